package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Outputs one ulp before and after an event, scheduled and state-triggered, in a plain solve and in
 * both gradient modes. CVODES cannot start on an interval of a few ulps: an output just after a
 * restart is one Euler step away (forward: {@code y + δ f}, {@code s + δ (f_y s + f_p)}), and the
 * adjoint crosses such intervals with one Heun step. Checked against closed forms (the one-sided
 * values and derivatives at the event), fourth-order central differences (scheduled event: its time
 * is fixed, so each output stays on its side) and the other mode.
 */
class EventOutputBridgeTest {
    static final double K = 0.7, C = 0.4, D = 0.9, Y0 = 1.5, T = 2.5, TD = 1;
    static final double[] P = {K, C, D};

    static SolverOptions tight() {
        return SolverOptions.defaults().withRtol(1e-12).withAtol(1e-14);
    }

    static SensitivityOptions sens(SensitivityMethod m) {
        return SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-12, 1e-14).withQuadratureTolerances(1e-12, 1e-14);
    }

    static TapeOdeModel decay() {
        return TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {p.get(0).times(y.get(0)).neg()}, 0, new double[] {Y0}, P);
    }

    /** A dose of D at t = 1. */
    static DifferentiableOdeModel dosed() {
        return EventModel.of(decay(), TapeEvents.at("dose", new double[] {TD}, 1, 3, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(2))}));
    }

    /** L = Σ_k (k + 1) y(t_k)²: every output weighs differently. */
    static final OutputLoss LOSS = (times, states, p, dS, dP) -> {
        double s = 0;
        for (int k = 0; k < times.length; k++) {
            s += (k + 1) * states[k][0] * states[k][0];
            dS[k][0] = 2 * (k + 1) * states[k][0];
        }
        return s;
    };

    static Gradient gradient(DifferentiableOdeModel m, SensitivityMethod method, double[] times) {
        try (GradientSolver gs = new GradientSolver(m, LOSS, null, tight(), sens(method))) {
            return gs.gradient(0, new double[] {Y0}, P, times);
        }
    }

    /** Gradient entries in the order (k, c, D, y0). */
    static double[] entries(Gradient g) {
        return new double[] {g.params()[0], g.params()[1], g.params()[2], g.initialState()[0]};
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void aScheduledDose(SensitivityMethod method) {
        double[] times = {Math.nextDown(TD), TD, Math.nextUp(TD), T};
        try (CvodesSolver s = new CvodesSolver(dosed(), tight())) {
            Solution sol = s.solve(new double[] {Y0}, P, times);
            double before = Y0 * Math.exp(-K * TD);
            assertEquals(before, sol.state(0)[0], 1e-11, "one ulp before the dose");
            assertEquals(before + D, sol.state(1)[0], 1e-11, "at the dose: after it");
            assertEquals(before + D, sol.state(2)[0], 1e-11, "one ulp after the dose");
        }
        // closed form: L = y1² + 2 (y1 + D)² + 3 (y1 + D)² + 4 ((y1 + D) e^{-k (T - 1)})², y1 = y0 e^{-k}
        Dual k = Dual.variable(K, 0, 4), d = Dual.variable(D, 2, 4), y0 = Dual.variable(Y0, 3, 4);
        Dual y1 = y0.times(k.times(-TD).exp()), after = y1.plus(d), end = after.times(k.times(-(T - TD)).exp());
        Dual ref = y1.square().plus(after.square().times(5)).plus(end.square().times(4));
        checkDosed(ref, method, times);
    }

    /** The dosed model's gradient against its closed form (1e-7) and central differences (1e-6). */
    static void checkDosed(Dual ref, SensitivityMethod method, double[] times) {
        Gradient g = gradient(dosed(), method, times);
        assertEquals(ref.v, g.loss(), 1e-10 * ref.v);
        double[] got = entries(g), fd = centralDifferences(dosed(), times);
        for (int j = 0; j < 4; j++) {
            double scale = Math.max(1, Math.abs(ref.d[j]));
            assertEquals(ref.d[j], got[j], 1e-7 * scale, method + " d/dθ" + j + " against the closed form");
            assertEquals(fd[j], got[j], 1e-6 * scale, method + " d/dθ" + j + " against central differences");
        }
    }

    /** A rescue dose of D when y falls through c (τ = ln(y0/c)/k), or at t = c found by root finding (τ = c). */
    static DifferentiableOdeModel rescued(boolean onTime) {
        return EventModel.of(decay(), TapeEvents.whenZero("rescue", 1, 3,
                (tape, t, y, p) -> onTime ? t.minus(p.get(1)).neg() : y.get(0).minus(p.get(1)),
                Event.Direction.DOWN, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(2))}));
    }

    /**
     * A state-triggered rescue, outputs at the ulps around the τ a first solve located. Root finding
     * places τ within its tolerance, which depends on the output times (CVODES often puts the root
     * on an output just after it, and the next output is then one ulp after a restart): each output
     * is checked against the closed form of the side of the event it fell on in that very run,
     * forward and adjoint, and the two modes against each other where their sides agree. (An output
     * at a fixed time next to a moving event is discontinuous in p: differences across it mean nothing.)
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void aStateTriggeredRescue(boolean onTime) {
        double[] p = onTime ? new double[] {K, 1.3, D} : P;
        double tau;
        try (CvodesSolver s = new CvodesSolver(rescued(onTime), tight())) {
            tau = s.solve(new double[] {Y0}, p, new double[] {T}).events().get(0).time();
        }
        assertEquals(onTime ? 1.3 : Math.log(Y0 / C) / K, tau, 1e-9);
        double[] times = {Math.nextDown(tau), Math.nextUp(tau), Math.nextUp(Math.nextUp(tau)), T};
        Gradient f, a;
        try (GradientSolver gs = new GradientSolver(rescued(onTime), LOSS, null, tight(), sens(SensitivityMethod.FORWARD))) {
            f = gs.gradient(0, new double[] {Y0}, p, times);
        }
        try (GradientSolver gs = new GradientSolver(rescued(onTime), LOSS, null, tight(), sens(SensitivityMethod.ADJOINT))) {
            a = gs.gradient(0, new double[] {Y0}, p, times);
        }
        boolean[] fSide = checkAgainstClosedForm(f, p, times, onTime, "forward"), aSide = checkAgainstClosedForm(a, p, times, onTime, "adjoint");
        if (java.util.Arrays.equals(fSide, aSide)) {
            double[] fg = entries(f), ag = entries(a);
            for (int j = 0; j < 4; j++) assertEquals(fg[j], ag[j], 1e-6 * Math.max(1, Math.abs(fg[j])), "forward against adjoint d/dθ" + j);
        }
    }

    /** Checks a rescue gradient against the closed form of the side each output fell on; returns the sides (true: after). */
    static boolean[] checkAgainstClosedForm(Gradient g, double[] p, double[] times, boolean onTime, String what) {
        double tauRun = g.solution().events().get(0).time();
        Dual k = Dual.variable(p[0], 0, 4), c = Dual.variable(p[1], 1, 4), d = Dual.variable(p[2], 2, 4), y0 = Dual.variable(Y0, 3, 4);
        // y(t) = y0 e^{-k t} before τ; after: (y(τ⁻) + D) e^{-k (t - τ)}, with τ(p) and y(τ⁻) moving with p
        Dual tau = onTime ? c : log(y0.div(c)).div(k);
        Dual atTau = onTime ? y0.times(k.times(c).neg().exp()) : c;
        Dual ref = Dual.constant(0, 4);
        boolean[] after = new boolean[times.length];
        for (int i = 0; i < times.length; i++) {
            after[i] = times[i] >= tauRun;
            Dual y = after[i] ? atTau.plus(d).times(k.times(tau.neg().plus(times[i])).neg().exp())
                    : y0.times(k.times(-times[i]).exp());
            assertEquals(y.v, g.solution().state(i)[0], 1e-9, what + " y(t_" + i + ") on its side (after: " + after[i] + ")");
            ref = ref.plus(y.square().times(i + 1));
        }
        assertEquals(ref.v, g.loss(), 1e-9 * ref.v, what + " loss");
        double[] got = entries(g);
        for (int j = 0; j < 4; j++)
            assertEquals(ref.d[j], got[j], 1e-7 * Math.max(1, Math.abs(ref.d[j])), what + " d/dθ" + j + " against the closed form");
        return after;
    }

    /** The last output one ulp after the event: the adjoint's last segment is a few ulps long. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void theLastOutputJustAfterADose(SensitivityMethod method) {
        double[] times = {0.5, Math.nextUp(TD)};
        Dual k = Dual.variable(K, 0, 4), d = Dual.variable(D, 2, 4), y0 = Dual.variable(Y0, 3, 4);
        Dual mid = y0.times(k.times(-0.5).exp()), after = y0.times(k.times(-TD).exp()).plus(d);
        checkDosed(mid.square().plus(after.square().times(2)), method, times);
    }

    static Dual log(Dual x) {
        double[] d = x.d.clone();
        for (int i = 0; i < d.length; i++) d[i] /= x.v;
        return new Dual(Math.log(x.v), d);
    }

    /** Fourth-order central differences of the loss in (k, c, D, y0). */
    static double[] centralDifferences(DifferentiableOdeModel m, double[] times) {
        double[] out = new double[4];
        try (GradientSolver gs = new GradientSolver(m, LOSS, null, tight(), sens(SensitivityMethod.FORWARD))) {
            for (int j = 0; j < 4; j++) {
                double base = j < 3 ? P[j] : Y0, h = 1e-3 * Math.max(1, Math.abs(base));
                double[] f = new double[4], steps = {2, 1, -1, -2};
                for (int i = 0; i < 4; i++) {
                    double[] p = P.clone();
                    double y0 = Y0;
                    if (j < 3) p[j] += steps[i] * h;
                    else y0 += steps[i] * h;
                    f[i] = gs.loss(0, new double[] {y0}, p, times);
                }
                out[j] = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
            }
        }
        return out;
    }
}
