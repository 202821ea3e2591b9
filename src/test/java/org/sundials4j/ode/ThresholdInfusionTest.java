package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * A time-scheduled infusion and a parameter-dependent threshold event: forward sensitivities,
 * the adjoint and fourth-order central differences agree. Every term of the event jump has a job:
 * the threshold {@code θ(1 + 0.05 t)} depends on t and p ({@code g_t, g_p}), the update
 * {@code x ← x(1 - f) + 0.1 t} on t, y and p ({@code h_t, h_y, h_p}), the right-hand side jumps with
 * x ({@code f⁻ ≠ f⁺}), and with the integral {@code ∫ x² dt} the integrand jumps too.
 *
 * <p>States {@code [x, r]}: {@code x' = r - k x}, {@code r' = 0}; the infusion sets {@code r ← R}
 * at t = 1 and {@code r ← 0} at t = 4 (scheduled: no root finding). {@code p = [k, R, θ, f]}.
 */
class ThresholdInfusionTest {
    static final double[] P = {0.5, 2.0, 1.5, 0.3};
    static final double[] Y0 = {0.2, 0};
    static final double[] TIMES = {0.5, 1, 2, 3, 4, 5, 6, 8};

    static DifferentiableOdeModel model() {
        TapeOdeModel rhs = TapeOdeModel.record(2, 4, (tape, t, y, p) -> new Var[] {y.get(1).minus(p.get(0).times(y.get(0))),
                tape.constant(0)}, 0, Y0, P);
        Event on = TapeEvents.at("infusion on", new double[] {1}, 2, 4, (tape, t, y, p) -> new Var[] {y.get(0), p.get(1)});
        Event off = TapeEvents.at("infusion off", new double[] {4}, 2, 4, (tape, t, y, p) -> new Var[] {y.get(0), tape.constant(0)});
        Event threshold = TapeEvents.whenZero("threshold", 2, 4,
                (tape, t, y, p) -> y.get(0).minus(p.get(2).times(t.times(0.05).plus(1))), Event.Direction.UP,
                (tape, t, y, p) -> new Var[] {y.get(0).times(p.get(3).rminus(1)).plus(t.times(0.1)), y.get(1)});
        return EventModel.of(rhs, on, off, threshold);
    }

    static final TapeLoss LOSS = TapeLoss.of((tape, t, y, p) -> {
        Var s = tape.constant(0);
        for (int k = 0; k < y.length; k++) s = s.plus(y[k].get(0).minus(1 + 0.1 * k).square());
        return s;
    });

    static Gradient run(SensitivityMethod m, boolean integral) {
        SolverOptions o = SolverOptions.defaults().withRtol(1e-12).withAtol(1e-13);
        // differences with a 1e-4 relative step: a 1% step (the default) moves the last threshold
        // crossing (t = 3.96) past the end of the infusion (t = 4), which changes the event sequence
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-12, 1e-13)
                .withQuadratureTolerances(1e-12, 1e-13).withFiniteDifferenceStep(1e-4);
        Integrand g = integral ? TapeIntegrand.of(2, 4, (tape, t, y, p) -> y.get(0).square()) : null;
        try (GradientSolver gs = new GradientSolver(model(), LOSS, g, o, so)) {
            return gs.gradient(0, Y0, P, TIMES);
        }
    }

    static double[] all(Gradient g) {
        double[] r = new double[6];
        System.arraycopy(g.params(), 0, r, 0, 4);
        System.arraycopy(g.initialState(), 0, r, 4, 2);
        return r;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void forwardAdjointAndCentralDifferencesAgree(boolean integral) {
        Gradient fwd = run(SensitivityMethod.FORWARD, integral), adj = run(SensitivityMethod.ADJOINT, integral),
                fd = run(SensitivityMethod.FINITE_DIFFERENCE, integral);
        long thresholds = fwd.solution().events().stream().filter(e -> e.name().equals("threshold")).count();
        assertTrue(thresholds >= 2, "the threshold fires more than once: " + fwd.solution().events());
        assertEquals(fd.loss(), fwd.loss(), 1e-9 * fd.loss());
        double[] f = all(fwd), a = all(adj), d = all(fd);
        double norm = 0;
        for (double v : d) norm = Math.max(norm, Math.abs(v));
        double worstFa = 0, worstFd = 0, worstAd = 0;
        for (int j = 0; j < 6; j++) {
            double scale = Math.max(Math.abs(d[j]), 1e-3 * norm);
            worstFa = Math.max(worstFa, Math.abs(f[j] - a[j]) / scale);
            worstFd = Math.max(worstFd, Math.abs(f[j] - d[j]) / scale);
            worstAd = Math.max(worstAd, Math.abs(a[j] - d[j]) / scale);
            assertEquals(d[j], f[j], 1e-6 * scale, "forward vs differences, θ" + j);
            assertEquals(d[j], a[j], 1e-6 * scale, "adjoint vs differences, θ" + j);
            assertEquals(f[j], a[j], 1e-6 * scale, "forward vs adjoint, θ" + j);
        }
        System.out.printf("threshold+infusion%s: forward-adjoint %.2e, forward-FD %.2e, adjoint-FD %.2e (max rel)%n",
                integral ? " with integral" : "", worstFa, worstFd, worstAd);
    }
}
