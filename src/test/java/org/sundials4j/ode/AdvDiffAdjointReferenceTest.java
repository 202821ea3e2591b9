package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * cvsAdvDiff_ASAi_bnd ported to the facade: the adjoint of a banded (mu = ml = 20) 800-state system,
 * G = ∫₀¹ Σ u dt, whose λ(t0) = dG/du(0) is reported by its maximum and where it is.
 */
class AdvDiffAdjointReferenceTest {

    static final Integrand SUM = new Integrand() {
        @Override public double value(double t, double[] y, double[] p) {
            double s = 0;
            for (double v : y) s += v;
            return s;
        }
        @Override public double gradient(double t, double[] y, double[] p, double[] gy, double[] gp) {
            Arrays.fill(gy, 1.0);
            return value(t, y, p);
        }
    };

    @Test
    void matchesTheExample() {
        List<String> ref = SundialsExamples.lines("cvsAdvDiff_ASAi_bnd.out");
        int ncheck = Integer.parseInt(SundialsExamples.matches(ref, "ncheck = (\\d+)").get(0)[0]);
        String lambdaMax = SundialsExamples.matches(ref, "lambda max = (\\S+)").get(0)[0];
        String x = SundialsExamples.matches(ref, "^\\s+x = (\\S+)").get(0)[0];
        String y = SundialsExamples.matches(ref, "^\\s+y = (\\S+)").get(0)[0];

        AdvDiff2DFixture m = new AdvDiff2DFixture();
        int mu = AdvDiff2DFixture.MY;
        SolverOptions o = SolverOptions.defaults().withRtol(0).withAtol(1e-5).withLinearSolver(LinearSolver.band(mu, mu));
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT).withParameters()
                .withCheckpointSteps(50).withBackwardTolerances(1e-6, 1e-5).withQuadratureErrorControl(false);
        try (GradientSolver gs = new GradientSolver(m, null, SUM, o, so)) {
            Gradient g = gs.gradient(0, m.initial(), new double[0], new double[] {1.0});
            assertEquals(ncheck, g.checkpoints(), "checkpoints");
            double[] lambda = g.initialState();
            double max = 0;
            int at = -1;
            for (int k = 0; k < lambda.length; k++) // the example's scan order: j outer, i inner
                if (Math.abs(lambda[k]) > max) { max = lambda[k]; at = k; }
            int i = at / AdvDiff2DFixture.MY + 1, j = at % AdvDiff2DFixture.MY + 1;
            assertEquals(lambdaMax, String.format("%e", max), "lambda max");
            assertEquals(x, String.format("%e", i * m.dx), "x of the maximum");
            assertEquals(y, String.format("%e", j * m.dy), "y of the maximum");
        }
    }
}
