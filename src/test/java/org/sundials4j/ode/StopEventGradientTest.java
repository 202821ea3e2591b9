package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Gradients through a stop event ({@link Event#stopWhen}) with an output at {@link Event#AT_STOP}:
 * the stop time τ(p) and the state there, against closed forms (dual numbers) and fourth-order central
 * differences, forward against adjoint. Each case has a term that only the event-time derivative
 * {@code f(τ) dτ/dθ} gets right (τ through a clock state, a state at τ, an integral ending at τ).
 */
class StopEventGradientTest {
    static SolverOptions tight() {
        return SolverOptions.defaults().withRtol(1e-12).withAtol(1e-14);
    }

    static SensitivityOptions sens(SensitivityMethod m) {
        return SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-12, 1e-14).withQuadratureTolerances(1e-12, 1e-14);
    }

    static Dual log(Dual x) {
        double[] d = x.d.clone();
        for (int i = 0; i < d.length; i++) d[i] /= x.v;
        return new Dual(Math.log(x.v), d);
    }

    // ---- exponential decay to a threshold: y' = -k y, stop when y falls through c; clock c' = 1

    static final double K = 0.7, C = 0.3, Y0 = 2, TMID = 0.5;

    static DifferentiableOdeModel decay() {
        TapeOdeModel m = TapeOdeModel.record(2, 2, (tape, t, y, p) -> new Var[] {p.get(0).times(y.get(0)).neg(), tape.constant(1)},
                0, new double[] {Y0, 0}, new double[] {K, C});
        return EventModel.of(m, TapeEvents.stopWhen("threshold", 2, 2, (tape, t, y, p) -> y.get(0).minus(p.get(1)),
                Event.Direction.DOWN));
    }

    /** L = τ² + 3 y(τ) + y(0.5)², with τ = clock(τ) = ln(y0/c)/k and y(τ) = c. */
    static final OutputLoss DECAY_LOSS = (times, states, p, dS, dP) -> {
        double tau = states[1][1], yStop = states[1][0], yMid = states[0][0];
        dS[1][1] = 2 * tau;
        dS[1][0] = 3;
        dS[0][0] = 2 * yMid;
        return tau * tau + 3 * yStop + yMid * yMid;
    };

    /** The closed form in (k, c, y0, clock0). */
    static Dual decayReference() {
        Dual k = Dual.variable(K, 0, 4), c = Dual.variable(C, 1, 4), y0 = Dual.variable(Y0, 2, 4), c0 = Dual.variable(0, 3, 4);
        Dual tau = log(y0.div(c)).div(k);
        Dual clockAtStop = c0.plus(tau);
        Dual yMid = y0.times(k.times(-TMID).exp());
        return clockAtStop.square().plus(c.times(3)).plus(yMid.square());
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void decayToAThreshold(SensitivityMethod method) {
        double[] p = {K, C}, y0 = {Y0, 0}, times = {TMID, Event.AT_STOP};
        Gradient g;
        try (GradientSolver gs = new GradientSolver(decay(), DECAY_LOSS, null, tight(), sens(method))) {
            g = gs.gradient(0, y0, p, times);
        }
        double tau = Math.log(Y0 / C) / K;
        assertEquals(tau, g.solution().time(1), 1e-9, "the stop output is at τ");
        assertEquals(C, g.solution().state(1)[0], 1e-9, "y(τ) = c");
        Dual ref = decayReference();
        double[] fd = centralDifferences(decay(), DECAY_LOSS, null, y0, p, times);
        check(ref, g, fd, method + " decay");
    }

    /** The same with an integral ∫_0^τ y dt = (y0 - c)/k as the loss: its end moves with τ. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void anIntegralEndsAtTheStop(SensitivityMethod method) {
        double[] p = {K, C}, y0 = {Y0, 0}, times = {Event.AT_STOP};
        Integrand q = TapeIntegrand.of(2, 2, (tape, t, y, r) -> y.get(0));
        Gradient g;
        try (GradientSolver gs = new GradientSolver(decay(), OutputLoss.NONE, q, tight(), sens(method))) {
            g = gs.gradient(0, y0, p, times);
        }
        Dual k = Dual.variable(K, 0, 4), c = Dual.variable(C, 1, 4), y = Dual.variable(Y0, 2, 4);
        Dual ref = y.minus(c).div(k);
        double[] fd = centralDifferences(decay(), OutputLoss.NONE, q, y0, p, times);
        check(ref, g, fd, method + " integral");
    }

    // ---- a falling ball: h'' = -g, stop when h reaches the ground; clock

    static DifferentiableOdeModel ball() {
        TapeOdeModel m = TapeOdeModel.record(3, 1, (tape, t, y, p) -> new Var[] {y.get(1), p.get(0).neg(), tape.constant(1)},
                0, new double[] {10, 1, 0}, new double[] {9.81});
        return EventModel.of(m, TapeEvents.stopWhen("ground", 3, 1, (tape, t, y, p) -> y.get(0), Event.Direction.DOWN));
    }

    /** L = τ + v(τ)², τ = (v0 + sqrt(v0² + 2 g h0))/g, v(τ) = -sqrt(v0² + 2 g h0). */
    static final OutputLoss BALL_LOSS = (times, states, p, dS, dP) -> {
        double tau = states[0][2], v = states[0][1];
        dS[0][2] = 1;
        dS[0][1] = 2 * v;
        return tau + v * v;
    };

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void aFallingBallHitsTheGround(SensitivityMethod method) {
        double gr = 9.81, h0 = 10, v0 = 1;
        double[] p = {gr}, y0 = {h0, v0, 0}, times = {Event.AT_STOP};
        Gradient g;
        try (GradientSolver gs = new GradientSolver(ball(), BALL_LOSS, null, tight(), sens(method))) {
            g = gs.gradient(0, y0, p, times);
        }
        // directions: g, h0, v0, clock0 (the gradient lists params, then initial states)
        Dual dg = Dual.variable(gr, 0, 4), dh = Dual.variable(h0, 1, 4), dv = Dual.variable(v0, 2, 4), dc = Dual.variable(0, 3, 4);
        Dual root = dv.square().plus(dg.times(dh).times(2)).sqrt();
        Dual tau = dv.plus(root).div(dg);
        Dual ref = dc.plus(tau).plus(root.square());
        assertEquals(tau.v, g.solution().time(0), 1e-9, "impact time");
        assertEquals(-root.v, g.solution().state(0)[1], 1e-9, "impact velocity");
        double[] fd = centralDifferences(ball(), BALL_LOSS, null, y0, p, times);
        check(ref, g, fd, method + " ball");
    }

    @Test
    void forwardAndAdjointAgree() {
        double[] p = {K, C}, y0 = {Y0, 0}, times = {TMID, Event.AT_STOP};
        Gradient f, a;
        try (GradientSolver gs = new GradientSolver(decay(), DECAY_LOSS, null, tight(), sens(SensitivityMethod.FORWARD))) {
            f = gs.gradient(0, y0, p, times);
        }
        try (GradientSolver gs = new GradientSolver(decay(), DECAY_LOSS, null, tight(), sens(SensitivityMethod.ADJOINT))) {
            a = gs.gradient(0, y0, p, times);
        }
        for (int j = 0; j < 2; j++) assertEquals(f.params()[j], a.params()[j], 1e-6 * Math.max(1, Math.abs(f.params()[j])));
        for (int i = 0; i < 2; i++)
            assertEquals(f.initialState()[i], a.initialState()[i], 1e-6 * Math.max(1, Math.abs(f.initialState()[i])));
    }

    /** A finite output after the stop is an error in a loss: named by flag, event, stop time and the missing output. */
    static void assertStoppedBeforeFirstOutput(SolverException e, double tau, String what) {
        assertEquals("STOPPED_BY_EVENT", e.flagName(), what);
        assertEquals(tau, e.time(), 1e-9, what + ": the stop time");
        assertTrue(e.getMessage().contains("event 'threshold'") && e.getMessage().contains("before output 0 (t = " + (tau + 1) + ")"),
                what + ": " + e.getMessage());
    }

    @Test
    void whatOutputsAfterTheStopGet() {
        double tau = Math.log(Y0 / C) / K;
        try (CvodesSolver s = new CvodesSolver(decay(), tight())) {
            Solution sol = s.solve(new double[] {Y0, 0}, new double[] {K, C}, new double[] {1, Event.AT_STOP});
            assertEquals(2, sol.size());
            assertEquals(tau, sol.time(1), 1e-9, "a plain solve reports τ as the stop output's time");
            assertEquals(tau, sol.state(1)[1], 1e-9);
            Solution cut = s.solve(new double[] {Y0, 0}, new double[] {K, C}, new double[] {1, tau + 1, Event.AT_STOP});
            assertEquals(1, cut.size(), "outputs after the stop are not computed (nor the stop output after them)");
            SolverException never = assertThrows(SolverException.class,
                    () -> s.solve(new double[] {Y0, 0}, new double[] {K, -1}, new double[] {Event.AT_STOP}));
            assertEquals("NO_STOP_EVENT", never.flagName());
        }
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT,
                SensitivityMethod.FINITE_DIFFERENCE}) {
            try (GradientSolver gs = new GradientSolver(decay(), DECAY_LOSS, null, tight(), sens(m))) {
                double[] times = {tau + 1, Event.AT_STOP};
                SolverException e = assertThrows(SolverException.class, () -> gs.gradient(0, new double[] {Y0, 0}, new double[] {K, C}, times));
                assertStoppedBeforeFirstOutput(e, tau, m + " gradient");
                // the loss alone (one plain solve) says the same as the gradients
                e = assertThrows(SolverException.class, () -> gs.loss(0, new double[] {Y0, 0}, new double[] {K, C}, times));
                assertStoppedBeforeFirstOutput(e, tau, m + " loss()");
            }
        }
        TapeOdeModel plain = TapeOdeModel.record(1, 1, (tape, t, y, p) -> new Var[] {p.get(0).times(y.get(0)).neg()}, 0,
                new double[] {1}, new double[] {1});
        try (CvodesSolver s = new CvodesSolver(plain, tight())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.solve(new double[] {1}, new double[] {1}, new double[] {Event.AT_STOP}));
            assertTrue(e.getMessage().contains("stop event"), e.getMessage());
        }
    }

    static void check(Dual ref, Gradient g, double[] fd, String what) {
        assertEquals(ref.v, g.loss(), 1e-10 * Math.max(1, Math.abs(ref.v)), what + " value");
        double[] got = new double[ref.d.length];
        int np = g.params().length;
        System.arraycopy(g.params(), 0, got, 0, np);
        System.arraycopy(g.initialState(), 0, got, np, got.length - np);
        for (int j = 0; j < got.length; j++) {
            double scale = Math.max(1, Math.abs(ref.d[j]));
            assertEquals(ref.d[j], got[j], 1e-7 * scale, what + " dθ" + j + " against the closed form");
            assertEquals(fd[j], got[j], 1e-6 * scale, what + " dθ" + j + " against central differences");
            assertEquals(ref.d[j], fd[j], 1e-6 * scale, what + " dθ" + j + ": central differences against the closed form");
        }
    }

    /** Fourth-order central differences of the loss value in (p..., y0...). */
    static double[] centralDifferences(DifferentiableOdeModel m, OutputLoss loss, Integrand q, double[] y0, double[] p, double[] times) {
        double[] out = new double[p.length + y0.length];
        try (GradientSolver gs = new GradientSolver(m, loss, q, tight(), sens(SensitivityMethod.FORWARD))) {
            for (int j = 0; j < out.length; j++) {
                int jj = j;
                ToDoubleFunction<Double> f = x -> {
                    double[] pp = p.clone(), yy = y0.clone();
                    if (jj < p.length) pp[jj] += x;
                    else yy[jj - p.length] += x;
                    return gs.loss(0, yy, pp, times);
                };
                double base = j < p.length ? p[j] : y0[j - p.length], h = 1e-3 * Math.max(1, Math.abs(base));
                out[j] = (-f.applyAsDouble(2 * h) + 8 * f.applyAsDouble(h) - 8 * f.applyAsDouble(-h) + f.applyAsDouble(-2 * h)) / (12 * h);
            }
        }
        return out;
    }
}
