package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Piecewise right-hand sides with their branches held per segment ({@link OdeModel#holdBranches}):
 * no evaluation of a segment uses the other branch (also those CVODES makes past a switch before
 * locating it), solutions and gradients against closed forms and fourth-order central differences,
 * and the native replay bit for bit the Java one.
 *
 * <p>Model: {@code x' = a x} above θ, {@code b} below; from {@code x0 < θ} it climbs linearly to θ at
 * {@code τ = (θ - x0)/b}, then grows exponentially: {@code x(T) = θ e^{a (T - τ)}}, {@code p = [θ, a, b]}.
 * Evaluated past θ, the old branch gives {@code b}, the other {@code a x}: they differ, so an evaluation
 * on the wrong branch is visible in the value it returns.
 */
class BranchFreezingTest {
    static final double TH = 1, A = 0.7, B = 2, X0 = 0.1, END = 2.5;
    static final double[] P = {TH, A, B};

    static TapeOdeModel model() {
        return TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {
                y.get(0).isGreaterThan(p.get(0)).select(p.get(1).times(y.get(0)), p.get(2))}, 0, new double[] {X0}, P);
    }

    static SolverOptions tight() {
        return SolverOptions.defaults().withRtol(1e-12).withAtol(1e-14);
    }

    /** x(T) and its gradient in (θ, a, b, x0), by dual numbers. */
    static Dual closedForm(double[] p, double x0, double end) {
        Dual th = Dual.variable(p[0], 0, 4), a = Dual.variable(p[1], 1, 4), b = Dual.variable(p[2], 2, 4);
        Dual x = Dual.variable(x0, 3, 4);
        Dual tau = th.minus(x).div(b);
        return th.times(a.times(tau.neg().plus(end)).exp());
    }

    /** Wraps a tape model and records every right-hand side call: the branch held, the live one, the value. */
    static final class Recording implements DifferentiableOdeModel {
        final DifferentiableOdeModel base;
        final List<double[]> calls;
        boolean[] held;

        Recording(DifferentiableOdeModel base, List<double[]> calls) {
            this.base = base;
            this.calls = calls;
        }

        @Override public int stateCount() { return 1; }
        @Override public int parameterCount() { return 3; }
        @Override public List<Event> events() { return base.events(); }
        @Override public boolean hasJacobian() { return base.hasJacobian(); }
        @Override public void jacobian(double t, double[] y, double[] p, JacobianWriter out) { base.jacobian(t, y, p, out); }

        @Override
        public void holdBranches(boolean[] sides) {
            held = sides == null ? null : sides.clone();
            base.holdBranches(sides);
        }

        @Override
        public void rhs(double t, double[] y, double[] p, double[] ydot) {
            base.rhs(t, y, p, ydot);
            calls.add(new double[] {t, y[0], held == null ? -1 : held[0] ? 1 : 0, y[0] > p[0] ? 1 : 0, ydot[0],
                    p[1] * y[0], p[2]});
        }

        @Override
        public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
            base.jvp(t, y, p, v, w, out);
        }

        @Override
        public void vjp(double t, double[] y, double[] p, double[] lambda, double[] outY, double[] outP, double[] ydot) {
            base.vjp(t, y, p, lambda, outY, outP, ydot);
        }

        @Override
        public DifferentiableOdeModel forSolver() {
            return new Recording(base.forSolver(), calls);
        }
    }

    @Test
    void noEvaluationUsesTheOtherBranch() {
        List<double[]> calls = new ArrayList<>();
        Recording m = new Recording(model(), calls);
        double tau = (TH - X0) / B;
        try (CvodesSolver s = new CvodesSolver(m, SolverOptions.defaults().withRtol(1e-6).withAtol(1e-9))) {
            Solution sol = s.solve(new double[] {X0}, P, new double[] {END});
            assertEquals(1, sol.events().size());
            assertEquals(tau, sol.events().get(0).time(), 1e-7);
        }
        int pastTheSwitch = 0;
        for (double[] c : calls) {
            assertTrue(c[2] >= 0, "every evaluation happens with branches held");
            double expected = c[2] == 1 ? c[5] : c[6];
            assertEquals(expected, c[4], 0.0, "t = " + c[0] + ", x = " + c[1] + ": the held branch's formula");
            if (c[2] != c[3]) pastTheSwitch++;
        }
        // CVODES steps past θ before it locates the crossing: those evaluations saw the old branch
        assertTrue(pastTheSwitch > 0, "some evaluations lie past the switch (" + calls.size() + " calls)");
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void stateSwitchAgainstClosedFormAndCentralDifferences(SensitivityMethod method) {
        Dual ref = closedForm(P, X0, END);
        Gradient g = gradient(model(), method, P, X0);
        assertEquals(ref.v, g.loss(), 1e-10 * ref.v, "x(T)");
        double[] got = {g.params()[0], g.params()[1], g.params()[2], g.initialState()[0]};
        double[] fd = centralDifferences(BranchFreezingTest::model, P, X0);
        for (int j = 0; j < 4; j++) {
            double scale = Math.max(1, Math.abs(ref.d[j]));
            assertEquals(ref.d[j], got[j], 1e-8 * scale, method + " d/dθ" + j + " against the closed form");
            assertEquals(fd[j], got[j], 1e-6 * scale, method + " d/dθ" + j + " against central differences");
            assertEquals(ref.d[j], fd[j], 1e-6 * scale, "central differences d/dθ" + j + " against the closed form");
        }
    }

    /** An infusion of rate R until T_inf = p[2] (a switch in t and p) into x' = R·[t < T_inf] - k x. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void timeSwitchAgainstClosedFormAndCentralDifferences(SensitivityMethod method) {
        double[] p = {1.5, 0.8, 1.2}; // R, k, T_inf
        double x0 = 0.3;
        Supplier<TapeOdeModel> make = () -> TapeOdeModel.record(1, 3, (tape, t, y, q) -> new Var[] {
                t.isLessThan(q.get(2)).select(q.get(0), tape.constant(0)).minus(q.get(1).times(y.get(0)))}, 0, new double[] {x0}, p);
        Dual r = Dual.variable(p[0], 0, 4), k = Dual.variable(p[1], 1, 4), ti = Dual.variable(p[2], 2, 4);
        Dual x = Dual.variable(x0, 3, 4);
        // x(T_inf) = R/k + (x0 - R/k) e^{-k T_inf}; then x(T) = x(T_inf) e^{-k (T - T_inf)}
        Dual rk = r.div(k);
        Dual atInf = rk.plus(x.minus(rk).times(k.times(ti).neg().exp()));
        Dual ref = atInf.times(k.times(ti.neg().plus(END)).neg().exp());
        Gradient g = gradient(make.get(), method, p, x0);
        assertEquals(ref.v, g.loss(), 1e-10 * ref.v, "x(T)");
        double[] got = {g.params()[0], g.params()[1], g.params()[2], g.initialState()[0]};
        double[] fd = centralDifferences(make, p, x0);
        for (int j = 0; j < 4; j++) {
            double scale = Math.max(1, Math.abs(ref.d[j]));
            assertEquals(ref.d[j], got[j], 1e-8 * scale, method + " d/dθ" + j + " against the closed form");
            assertEquals(fd[j], got[j], 1e-6 * scale, method + " d/dθ" + j + " against central differences");
        }
    }

    @Test
    void nativeReplayIsBitForBitTheJavaReplay() {
        Run nat = runOn("native"), java = runOn("java");
        assertTrue(nat.nativeCalls > 0, "the native path served calls");
        assertNull(nat.reason, "the native replay stayed on");
        assertEquals(0, java.nativeCalls);
        assertArrayEquals(java.states, nat.states, 0.0, "states");
        assertArrayEquals(java.forward, nat.forward, 0.0, "forward gradient");
        assertArrayEquals(java.adjoint, nat.adjoint, 0.0, "adjoint gradient");
        assertEquals(java.eventTime, nat.eventTime, 0.0, "switch time");
    }

    record Run(double[] states, double[] forward, double[] adjoint, double eventTime, long nativeCalls, String reason) {}

    static Run runOn(String path) {
        String before = System.getProperty(NativeReplay.PROPERTY);
        System.setProperty(NativeReplay.PROPERTY, path);
        try {
            double[] times = {0.2, 0.45, 1, END};
            double[] states = new double[times.length];
            double eventTime;
            long nativeCalls;
            String reason;
            try (CvodesSolver s = new CvodesSolver(model(), tight())) {
                Solution sol = s.solve(new double[] {X0}, P, times);
                for (int k = 0; k < times.length; k++) states[k] = sol.state(k)[0];
                eventTime = sol.events().get(0).time();
                nativeCalls = s.replayStatistics().nativeEvaluations();
                reason = s.replayStatistics().javaReason();
            }
            Gradient f = gradient(model(), SensitivityMethod.FORWARD, P, X0), a = gradient(model(), SensitivityMethod.ADJOINT, P, X0);
            return new Run(states, concat(f), concat(a), eventTime, nativeCalls, reason);
        } finally {
            if (before == null) System.clearProperty(NativeReplay.PROPERTY);
            else System.setProperty(NativeReplay.PROPERTY, before);
        }
    }

    static double[] concat(Gradient g) {
        return new double[] {g.loss(), g.params()[0], g.params()[1], g.params()[2], g.initialState()[0]};
    }

    static Gradient gradient(TapeOdeModel m, SensitivityMethod method, double[] p, double x0) {
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(method).withBackwardTolerances(1e-12, 1e-14)
                .withQuadratureTolerances(1e-12, 1e-14);
        try (GradientSolver gs = new GradientSolver(m, PiecewiseRhsTest.LAST, null, tight(), so)) {
            return gs.gradient(0, new double[] {x0}, p, new double[] {0.5 * END, END});
        }
    }

    /** Fourth-order central differences of x(T) in (p..., x0), each from four plain solves. */
    static double[] centralDifferences(Supplier<TapeOdeModel> make, double[] p, double x0) {
        double[] out = new double[p.length + 1];
        try (CvodesSolver s = new CvodesSolver(make.get(), tight())) {
            for (int j = 0; j <= p.length; j++) {
                double base = j < p.length ? p[j] : x0, h = 1e-3 * Math.max(1, Math.abs(base));
                double[] f = new double[4];
                double[] steps = {2, 1, -1, -2};
                for (int i = 0; i < 4; i++) {
                    double[] q = p.clone();
                    double y0 = x0;
                    if (j < p.length) q[j] = base + steps[i] * h;
                    else y0 = base + steps[i] * h;
                    f[i] = s.solve(new double[] {y0}, q, new double[] {END}).state(0)[0];
                }
                out[j] = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
            }
        }
        return out;
    }
}
