package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sundials4j.problems.Rober;

/**
 * cvsRoberts_ASAi_dns ported to the facade: G = ∫ y3 dt over [0, 4e7] and [0, 50], dG/dp and
 * dG/dy0 = λ(t0) by the checkpointed adjoint, matched to the digits the example prints.
 */
class AdjointReferenceTest {

    /** g = y3. */
    static final Integrand Y3 = StateIntegrand.of(2);

    static GradientSolver asai() {
        return asai(0);
    }

    /** The example's settings, with the forward pass's first step {@code h0} (0: CVODES' estimate). */
    static GradientSolver asai(double h0) {
        SolverOptions o = SolverOptions.defaults().withRtol(Rober.GRADIENT_RTOL).withAtol(Rober.GRADIENT_ATOL).withMaxSteps(2500)
                .withInitialStep(h0);
        SensitivityOptions s = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT)
                .withCheckpointSteps(Rober.STEPS_BETWEEN_CHECKPOINTS)
                .withBackwardTolerances(Rober.GRADIENT_RTOL, Rober.ADJOINT_ATOL)
                .withQuadratureTolerances(Rober.GRADIENT_RTOL, Rober.QUADRATURE_ATOL);
        return new GradientSolver(new RoberFixture(), null, Y3, o, s);
    }

    static String e4(double v) {
        return String.format("%12.4e", v).trim();
    }

    @Test
    void matchesBothBackwardRunsOfTheExample() {
        List<String> ref = SundialsExamples.lines("cvsRoberts_ASAi_dns.out");
        List<String[]> dGdp = SundialsExamples.matches(ref, "dG/dp:\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");
        List<String[]> lambda0 = SundialsExamples.matches(ref, "lambda\\(t0\\):\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");
        String g = SundialsExamples.matches(ref, "^G:\\s+(\\S+)").get(0)[0];
        int ncheck = Integer.parseInt(SundialsExamples.matches(ref, "ncheck = (\\d+)").get(0)[0]);
        double[] finals = {Rober.GRADIENT_FINAL_TIME, Rober.GRADIENT_SHORT_FINAL_TIME};
        // The example's second backward run (T = 50) reuses the forward pass made towards 4e7; a
        // gradient run recomputes the forward pass to 50, where CVODES would estimate another first
        // step. Starting it with the first run's first step makes its steps up to 50 those of the
        // example's forward pass, so both backward runs see the example's forward solution.
        double h0 = 0;
        for (int run = 0; run < 2; run++) {
            try (GradientSolver gs = asai(h0)) {
                Gradient grad = gs.gradient(0, Rober.Y0, Rober.PARAMETERS, new double[] {finals[run]});
                h0 = grad.solution().statistics().initialStep();
                for (int j = 0; j < 3; j++) {
                    assertEquals(dGdp.get(run)[j], e4(grad.params()[j]), "dG/dp" + (j + 1) + ", T = " + finals[run]);
                    assertEquals(lambda0.get(run)[j], e4(grad.initialState()[j]), "lambda(t0)" + (j + 1) + ", T = " + finals[run]);
                }
                if (run == 0) {
                    assertEquals(g, e4(grad.loss()), "G");
                    assertEquals(ncheck, grad.checkpoints(), "checkpoints");
                }
                assertTrue(grad.backwardStatistics().steps() > 0);
            }
        }
    }
}
