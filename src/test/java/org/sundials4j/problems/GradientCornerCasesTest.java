package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * Gradient settings and inputs at their edges (issue 10, items 2, 8, 9 and the misleading
 * defaults), each checked against a closed form or the other method.
 */
class GradientCornerCasesTest {
    /** y' = -k y: y(t) = y0 e^{-kt}. */
    static TapeOdeModel decay() {
        return TapeOdeModel.record(1, 1, (tape, t, y, p) -> new Var[] {p.get(0).times(y.get(0)).neg()}, 0, new double[] {1},
                new double[] {0.3});
    }

    static final OutputLoss SQUARES = TapeLoss.of((tape, times, y, p) -> {
        Var s = tape.constant(0);
        for (VarVector yk : y) s = s.plus(yk.dot(yk));
        return s;
    });

    static GradientSolver solver(TapeOdeModel m, OutputLoss loss, Integrand g, SolverOptions o, SensitivityOptions so) {
        return new GradientSolver(m, loss, g, o, so);
    }

    static double rel(double a, double b) {
        return Math.abs(a - b) / Math.abs(b);
    }

    /** Item 9: outputs a few ulps apart, in both modes, against the closed form. */
    @Test
    void outputsAFewUlpsApartWorkInBothModes() {
        double k = 0.3, y0 = 1.7;
        double[][] cases = {{5, Math.nextUp(Math.nextUp(5.0)), 10}, {0.4, Math.nextUp(0.4)}, {1, Math.nextUp(1.0), 2, Math.nextUp(2.0)}};
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-11, 1e-13);
        for (double[] times : cases) {
            double l = 0, dk = 0, dy0 = 0;
            for (double t : times) {
                double e = Math.exp(-2 * k * t);
                l += y0 * y0 * e;
                dk += -2 * t * y0 * y0 * e;
                dy0 += 2 * y0 * e;
            }
            for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT}) {
                SensitivityOptions so = SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-11, 1e-13)
                        .withQuadratureTolerances(1e-11, 1e-13);
                try (GradientSolver gs = solver(decay(), SQUARES, null, o, so)) {
                    Gradient g = gs.gradient(0, new double[] {y0}, new double[] {k}, times);
                    String what = m + " " + java.util.Arrays.toString(times);
                    assertEquals(l, g.loss(), 1e-9 * l, what);
                    assertTrue(rel(g.params()[0], dk) < 1e-7, what + ": dL/dk " + g.params()[0] + " vs " + dk);
                    assertTrue(rel(g.initialState()[0], dy0) < 1e-7, what + ": dL/dy0 " + g.initialState()[0] + " vs " + dy0);
                }
            }
        }
    }

    /** Item 8: every output at t0 with an integral: G = 0, and the gradient is the loss's own. */
    @Test
    void allOutputsAtT0GiveAZeroIntegralInEveryMode() {
        TapeIntegrand g = TapeIntegrand.of(1, 1, (tape, t, y, p) -> y.get(0).times(p.get(0)));
        double y0 = 1.7;
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT,
                SensitivityMethod.FINITE_DIFFERENCE}) {
            try (GradientSolver gs = solver(decay(), SQUARES, g, SolverOptions.defaults(), SensitivityOptions.defaults().withMethod(m))) {
                Gradient r = gs.gradient(0, new double[] {y0}, new double[] {0.3}, new double[] {0});
                assertEquals(y0 * y0, r.loss(), 1e-15, m.toString());
                assertEquals(0.0, r.params()[0], 1e-12, m.toString());
                assertEquals(2 * y0, r.initialState()[0], 1e-9, m.toString());
            }
        }
    }

    /** Item 2: POLYNOMIAL interpolation with fewer checkpoint steps than the maximum order is refused. */
    @Test
    void polynomialInterpolationNeedsCheckpointStepsOfAtLeastTheMaximumOrder() {
        SensitivityOptions poly = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT)
                .withInterpolation(SensitivityOptions.Interpolation.POLYNOMIAL);
        SolverOptions bdf = SolverOptions.defaults(), adams = bdf.withMethod(Method.ADAMS);
        for (int steps = 1; steps < 5; steps++) {
            int s = steps;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> solver(decay(), SQUARES, null, bdf, poly.withCheckpointSteps(s)));
            assertTrue(e.getMessage().contains("checkpointSteps >= the forward method's maximum order 5"), e.getMessage());
        }
        for (int steps = 1; steps < 12; steps++) {
            int s = steps;
            assertThrows(IllegalArgumentException.class, () -> solver(decay(), SQUARES, null, adams, poly.withCheckpointSteps(s)));
        }
        // at the bound, and with a lower maximum order, the adjoint runs and agrees with the closed form
        double k = 0.3, t = 3, exact = -2 * t * Math.exp(-2 * k * t);
        SolverOptions tight = bdf.withTolerances(1e-10, 1e-12);
        for (SolverOptions o : new SolverOptions[] {tight, tight.withMethod(Method.ADAMS).withMaxOrder(3)}) {
            int steps = o.method() == Method.BDF ? 5 : 3;
            try (GradientSolver gs = solver(decay(), SQUARES, null, o, poly.withCheckpointSteps(steps)
                    .withBackwardTolerances(1e-10, 1e-12).withQuadratureTolerances(1e-10, 1e-12))) {
                Gradient g = gs.gradient(0, new double[] {1}, new double[] {k}, new double[] {t});
                assertTrue(rel(g.params()[0], exact) < 1e-6, o + ": " + g.params()[0] + " vs " + exact);
            }
        }
    }

    /**
     * Hénon-Heiles, x'' = -x - 2xy, y'' = -y - x² + y², integrated with Adams at tight tolerances:
     * left unset, the interpolation follows the method (polynomial for Adams) and the adjoint
     * matches forward sensitivities closely; Hermite's cubic, still selectable, caps it far lower.
     */
    @Test
    void adamsDefaultsToPolynomialInterpolation() {
        TapeOdeModel hh = TapeOdeModel.record(4, 1, (tape, t, y, p) -> {
            Var x = y.get(0), v = y.get(1);
            Var lam = p.get(0);
            return new Var[] {y.get(2), y.get(3), x.neg().minus(lam.times(x).times(v).times(2)),
                    v.neg().minus(lam.times(x.square().minus(v.square())))};
        }, 0, new double[4], new double[] {1});
        double[] y0 = {0, 0.1, 0.5, 0}, p = {1}, times = {10, 20};
        SolverOptions o = SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(1e-10, 1e-12).withMaxSteps(100_000);
        SensitivityOptions base = SensitivityOptions.defaults().withBackwardTolerances(1e-10, 1e-12).withQuadratureTolerances(1e-10, 1e-12);
        assertEquals(SensitivityOptions.Interpolation.POLYNOMIAL, base.interpolation(o));
        assertEquals(SensitivityOptions.Interpolation.HERMITE, base.interpolation(SolverOptions.defaults()));
        Gradient fwd, byDefault, hermite;
        try (GradientSolver gs = solver(hh, SQUARES, null, o, base.withMethod(SensitivityMethod.FORWARD))) {
            fwd = gs.gradient(0, y0, p, times);
        }
        try (GradientSolver gs = solver(hh, SQUARES, null, o, base.withMethod(SensitivityMethod.ADJOINT))) {
            byDefault = gs.gradient(0, y0, p, times);
        }
        try (GradientSolver gs = solver(hh, SQUARES, null, o, base.withMethod(SensitivityMethod.ADJOINT)
                .withInterpolation(SensitivityOptions.Interpolation.HERMITE))) {
            hermite = gs.gradient(0, y0, p, times);
        }
        double eDefault = GradientAgreementTest.error(byDefault.initialState(), fwd.initialState());
        double eHermite = GradientAgreementTest.error(hermite.initialState(), fwd.initialState());
        assertTrue(eDefault < 1e-7, "default (polynomial) adjoint vs forward: " + eDefault);
        assertTrue(eHermite > 10 * eDefault, "Hermite " + eHermite + " vs default " + eDefault);
    }

    /**
     * withQuadratureTolerances applies to the integral in forward mode too: with loose state
     * tolerances, tight quadrature tolerances make G = ∫₀³ y dt = (1 - e^{-3k})/k accurate.
     */
    @Test
    void quadratureTolerancesApplyInForwardMode() {
        double k = 0.3, exact = (1 - Math.exp(-3 * k)) / k;
        TapeIntegrand y = TapeIntegrand.of(1, 1, (tape, t, s, p) -> s.get(0));
        SolverOptions loose = SolverOptions.defaults().withTolerances(1e-3, 1e-3);
        SensitivityOptions fwd = SensitivityOptions.defaults().withMethod(SensitivityMethod.FORWARD);
        double eLoose, eTight;
        try (GradientSolver gs = solver(decay(), null, y, loose, fwd)) {
            eLoose = rel(gs.gradient(0, new double[] {1}, new double[] {k}, new double[] {3}).loss(), exact);
        }
        try (GradientSolver gs = solver(decay(), null, y, loose, fwd.withQuadratureTolerances(1e-10, 1e-12))) {
            eTight = rel(gs.gradient(0, new double[] {1}, new double[] {k}, new double[] {3}).loss(), exact);
        }
        assertTrue(eLoose > 1e-6, "loose: " + eLoose);
        assertTrue(eTight < 1e-8, "tight quadrature tolerances: " + eTight);
    }

    /** withParameters keeps the caller's order. */
    @Test
    void selectedParametersFollowTheCallersOrder() {
        Objective o = Objectives.rober();
        double[] all, picked;
        SensitivityOptions so = o.sensitivity().withMethod(SensitivityMethod.FORWARD).withInitialStates();
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), so)) {
            all = gs.gradient(0, Rober.Y0, Rober.PARAMETERS, new double[] {40}).params();
        }
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), so.withParameters(2, 0))) {
            Gradient g = gs.gradient(0, Rober.Y0, Rober.PARAMETERS, new double[] {40});
            picked = g.params();
            assertEquals(2, g.parameterIndices()[0]);
        }
        assertEquals(all[2], picked[0], 1e-6 * Math.abs(all[2]));
        assertEquals(all[0], picked[1], 1e-6 * Math.abs(all[0]));
    }
}
