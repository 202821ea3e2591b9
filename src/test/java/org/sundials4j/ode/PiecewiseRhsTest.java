package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Piecewise right-hand sides written with {@code Condition.select}: the comparison becomes a root
 * function by itself, the solver restarts at the switch, and sensitivities carry the jump
 * {@code (f⁻ - f⁺) dτ/dθ}, checked against closed forms differentiated by dual numbers (without
 * that term the answers below are off by O(1)).
 */
class PiecewiseRhsTest {
    static final OutputLoss LAST = (times, states, p, dS, dP) -> {
        dS[times.length - 1][0] = 1;
        return states[times.length - 1][0];
    };

    static SolverOptions tight() {
        return SolverOptions.defaults().withRtol(1e-11).withAtol(1e-13);
    }

    static Gradient gradient(TapeOdeModel m, SensitivityMethod method, double x0, double[] p, double end) {
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(method).withBackwardTolerances(1e-11, 1e-13)
                .withQuadratureTolerances(1e-11, 1e-13);
        try (GradientSolver gs = new GradientSolver(m, LAST, null, tight(), so)) {
            return gs.gradient(0, new double[] {x0}, p, new double[] {0.5 * end, end});
        }
    }

    static void check(Dual ref, Gradient g, String what) {
        assertEquals(ref.v, g.loss(), 1e-9 * Math.abs(ref.v), what + " value");
        double[] got = new double[ref.d.length];
        System.arraycopy(g.params(), 0, got, 0, got.length - 1);
        got[got.length - 1] = g.initialState()[0];
        for (int j = 0; j < got.length; j++)
            assertEquals(ref.d[j], got[j], 1e-7 * Math.max(1, Math.abs(ref.d[j])), what + " dθ" + j);
    }

    /** x' = c before Ts, -k x after: x(T) = (x0 + c Ts) e^{-k (T - Ts)}; p = [c, k, Ts]. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void aTimeSwitchAtAParameter(SensitivityMethod method) {
        double c = 0.8, k = 0.6, ts = 1.3, x0 = 0.2, end = 3;
        TapeOdeModel m = TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {
                t.isLessThan(p.get(2)).select(p.get(0), p.get(1).times(y.get(0)).neg())}, 0, new double[] {x0}, new double[] {c, k, ts});
        assertEquals(1, m.events().size(), "one comparison, one switch");
        try (CvodesSolver s = new CvodesSolver(m, tight())) {
            Solution sol = s.solve(new double[] {x0}, new double[] {c, k, ts}, new double[] {end});
            assertEquals(1, sol.events().size());
            assertEquals(ts, sol.events().get(0).time(), 1e-12);
        }
        Dual dc = Dual.variable(c, 0, 4), dk = Dual.variable(k, 1, 4), dts = Dual.variable(ts, 2, 4), dx0 = Dual.variable(x0, 3, 4);
        Dual ref = dx0.plus(dc.times(dts)).times(dk.times(dts.neg().plus(end)).neg().exp());
        check(ref, gradient(m, method, x0, new double[] {c, k, ts}, end), method + " time switch");
    }

    /** x' = b below θ, a above: x(T) = θ + a (T - (θ - x0)/b); p = [θ, a, b]. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void aStateSwitchAtAParameter(SensitivityMethod method) {
        double th = 1, a = 0.5, b = 2, x0 = 0.1, end = 2;
        TapeOdeModel m = TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {
                y.get(0).isGreaterThan(p.get(0)).select(p.get(1), p.get(2))}, 0, new double[] {x0}, new double[] {th, a, b});
        try (CvodesSolver s = new CvodesSolver(m, tight())) {
            Solution sol = s.solve(new double[] {x0}, new double[] {th, a, b}, new double[] {end});
            assertEquals(1, sol.events().size());
            assertEquals((th - x0) / b, sol.events().get(0).time(), 1e-10);
            assertEquals(th + a * (end - (th - x0) / b), sol.state(0)[0], 1e-10);
        }
        Dual dth = Dual.variable(th, 0, 4), da = Dual.variable(a, 1, 4), db = Dual.variable(b, 2, 4), dx0 = Dual.variable(x0, 3, 4);
        Dual ref = dth.plus(da.times(dth.minus(dx0).div(db).neg().plus(end)));
        check(ref, gradient(m, method, x0, new double[] {th, a, b}, end), method + " state switch");
    }
}
