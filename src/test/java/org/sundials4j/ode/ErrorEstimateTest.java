package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link SensitivityOptions#withErrorEstimate}: on a decaying rotation whose gradient is known in
 * closed form ({@link SpiralFixture}), the true error of every entry stays within
 * {@value #BOUND}× its estimate, in forward and adjoint mode, with BDF and Adams, from loose to
 * tight tolerances; the estimate is not a blanket either (its norm stays within 30× the true
 * error's). Without the option there is no estimate, and with it the gradient itself is unchanged,
 * bit for bit.
 */
class ErrorEstimateTest {
    /** The stated factor: true error ≤ BOUND × estimate, entry by entry. */
    static final double BOUND = 4;
    static final double[] Y0 = {1, 0.5}, P = {0.1, 1};
    static final double T = 2 * Math.PI * 5;

    static GradientSolver solver(SensitivityMethod m, Method lmm, double rtol, boolean estimate) {
        SolverOptions o = SolverOptions.defaults().withMethod(lmm).withTolerances(rtol, rtol * 1e-3).withMaxSteps(100_000);
        SensitivityOptions s = SensitivityOptions.defaults().withMethod(m).withErrorEstimate(estimate);
        return new GradientSolver(new SpiralFixture(), SpiralFixture.LOSS, null, o, s);
    }

    static double[] entries(double[] params, double[] states) {
        double[] r = new double[params.length + states.length];
        System.arraycopy(params, 0, r, 0, params.length);
        System.arraycopy(states, 0, r, params.length, states.length);
        return r;
    }

    @Test
    void theTrueErrorStaysWithinFourTimesTheEstimate() {
        double[] exact = SpiralFixture.gradient(T, Y0, P);
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT})
            for (Method lmm : Method.values())
                for (double rtol : new double[] {1e-4, 1e-6, 1e-8}) {
                    if (lmm == Method.ERK && m == SensitivityMethod.ADJOINT) continue; // refused: ErkTest
                    Gradient g;
                    try (GradientSolver gs = solver(m, lmm, rtol, true)) {
                        g = gs.gradient(0, Y0, P, new double[] {T});
                    }
                    double[] got = entries(g.params(), g.initialState()), est = entries(g.paramsError(), g.initialStateError());
                    double trueNorm = 0, estNorm = 0, worst = 0;
                    for (int i = 0; i < got.length; i++) {
                        double err = Math.abs(got[i] - exact[i]);
                        assertTrue(Double.isFinite(est[i]) && est[i] >= 0, "estimate " + est[i]);
                        assertTrue(err <= BOUND * est[i], m + " " + lmm + " rtol " + rtol + " entry " + i + ": true error " + err
                                + ", estimate " + est[i]);
                        worst = Math.max(worst, err / est[i]);
                        trueNorm = Math.hypot(trueNorm, err);
                        estNorm = Math.hypot(estNorm, est[i]);
                    }
                    System.out.printf("ErrorEstimateTest %s %s rtol %.0e: |true error| %.3e, |estimate| %.3e, worst entry true/estimate %.2f%n",
                            m, lmm, rtol, trueNorm, estNorm, worst);
                    assertTrue(estNorm <= 30 * trueNorm, m + " " + lmm + " rtol " + rtol + ": estimate " + estNorm + " vs true " + trueNorm);
                }
    }

    @Test
    void withoutTheOptionThereIsNoEstimateAndWithItTheGradientIsUnchanged() {
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT}) {
            Gradient plain, estimated;
            try (GradientSolver gs = solver(m, Method.BDF, 1e-6, false)) {
                plain = gs.gradient(0, Y0, P, new double[] {T});
            }
            try (GradientSolver gs = solver(m, Method.BDF, 1e-6, true)) {
                gs.gradient(0, Y0, P, new double[] {T / 2}); // a reused solver, for good measure
                estimated = gs.gradient(0, Y0, P, new double[] {T});
            }
            assertNull(plain.paramsError());
            assertNull(plain.initialStateError());
            double[] a = entries(plain.params(), plain.initialState()), b = entries(estimated.params(), estimated.initialState());
            for (int i = 0; i < a.length; i++)
                assertEquals(Double.doubleToRawLongBits(a[i]), Double.doubleToRawLongBits(b[i]), m + " entry " + i);
            assertEquals(Double.doubleToRawLongBits(plain.loss()), Double.doubleToRawLongBits(estimated.loss()));
        }
    }
}
