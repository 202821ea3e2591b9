package org.sundials4j.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.LotkaVolterra;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/** Estimation problems: recovery of known parameters, the likelihood's gradient, Hessian and standard errors. */
class EstimationTest {
    static final OdeDefinition LV = LotkaVolterra.definition();
    static final double[] TRUE = LotkaVolterra.PARAMETERS;
    static final SolverOptions TIGHT = SolverOptions.defaults().withTolerances(1e-11, 1e-13);
    static final SensitivityOptions SENS = SensitivityOptions.defaults().withBackwardTolerances(1e-11, 1e-13)
            .withQuadratureTolerances(1e-11, 1e-13);

    static double[] times(int count, double dt) {
        double[] t = new double[count];
        for (int k = 0; k < count; k++) t[k] = dt * (k + 1);
        return t;
    }

    /** States at {@code times}, solved at tolerances well below those of the fits. */
    static double[][] simulate(OdeDefinition rhs, int n, double[] y0, double[] p, double[] times) {
        TapeOdeModel m = TapeOdeModel.record(n, p.length, rhs, 0, y0, p);
        try (CvodesSolver s = new CvodesSolver(m, SolverOptions.defaults().withTolerances(1e-13, 1e-15).withMaxSteps(100000))) {
            Solution sol = s.solve(0, y0, p, times);
            return sol.states();
        }
    }

    static FitParameter[] lvParameters(double factor) {
        return new FitParameter[] {
                FitParameter.of("alpha", TRUE[0] * factor).withLogScale().withBounds(0.01, 10),
                FitParameter.of("beta", TRUE[1] * factor).withBounds(-10, -0.01),
                FitParameter.of("gamma", TRUE[2] * factor).withBounds(-10, -0.01),
                FitParameter.of("delta", TRUE[3] * factor).withLogScale().withBounds(0.01, 10)};
    }

    /**
     * Two experiments from different initial states, the second with δ set to 1.5 as a condition;
     * noise-free data; the fit from 15% off recovers every parameter to 1e-6 (relative).
     */
    @Test
    void recoversKnownParametersFromNoiseFreeData() {
        double[] t = times(30, 0.5);
        double[] y0a = {0.1, 0.2}, y0b = {1.5, 0.5};
        double[] pb = TRUE.clone();
        pb[3] = 1.5;
        EstimationProblem problem = EstimationProblem.builder(2, LV)
                .parameters(lvParameters(1.15))
                .noise(NoiseModel.gaussian(0.05, 0.05))
                .experiment(Experiment.of("a", y0a, t, simulate(LV, 2, y0a, TRUE, t)))
                .experiment(Experiment.of("b", y0b, t, simulate(LV, 2, y0b, pb, t)).withCondition(3, 1.5))
                .solverOptions(TIGHT).sensitivityOptions(SENS).build();
        FitResult r = problem.fit(OptimizerOptions.defaults().withGradientTolerance(1e-9).withFunctionTolerance(0), null);
        assertTrue(r.optimization().converged(), r.optimization().toString());
        for (int i = 0; i < 4; i++) assertEquals(TRUE[i], r.estimates()[i], 1e-6 * Math.abs(TRUE[i]), r.names()[i]);
        assertTrue(r.gradientEvaluations() >= r.optimization().iterations());
        assertNotNull(r.uncertainty(), r.uncertaintyFailure());
    }

    /** A fixed parameter stays at its value and the others are recovered around it. */
    @Test
    void fixedParametersAreNotMoved() {
        double[] t = times(25, 0.6), y0 = {0.1, 0.2};
        FitParameter[] ps = lvParameters(1.1);
        ps[2] = FitParameter.of("gamma", TRUE[2]).asFixed();
        EstimationProblem problem = EstimationProblem.builder(2, LV).parameters(ps)
                .noise(NoiseModel.gaussian(0.1, 0.1))
                .experiment(Experiment.of("a", y0, t, simulate(LV, 2, y0, TRUE, t)))
                .solverOptions(TIGHT).sensitivityOptions(SENS).build();
        assertEquals(3, problem.estimatedCount());
        FitResult r = problem.fit(OptimizerOptions.defaults().withGradientTolerance(1e-9).withFunctionTolerance(0), null);
        assertArrayEquals(new String[] {"alpha", "beta", "delta"}, r.names());
        assertArrayEquals(new double[] {TRUE[0], TRUE[1], TRUE[3]}, r.estimates(), 1e-6);
    }

    /** A problem with every kind of term: estimated σ (log scale), conditions, log-scale parameters, one observable of a sum. */
    static EstimationProblem mixedProblem(NoiseModel noise, SensitivityMethod method) {
        double[] t = times(12, 0.8), y0 = {0.3, 0.4};
        double[][] clean = simulate(LV, 2, y0, TRUE, t);
        Random rnd = new Random(3);
        double[][] data = new double[t.length][2];
        for (int k = 0; k < t.length; k++) {
            data[k][0] = (clean[k][0] + clean[k][1]) * Math.exp(0.1 * rnd.nextGaussian());
            data[k][1] = clean[k][1] * Math.exp(0.1 * rnd.nextGaussian());
        }
        data[4][1] = Double.NaN; // a missing measurement
        return EstimationProblem.builder(2, LV).parameters(lvParameters(1.05))
                .observables((tape, time, y, p) -> new Var[] {y.get(0).plus(y.get(1)), y.get(1)})
                .noise(noise)
                .experiment(Experiment.of("a", y0, t, data))
                .experiment(Experiment.of("b", new double[] {1, 0.5}, t, data).withCondition(0, 0.8))
                .solverOptions(TIGHT).sensitivityOptions(SENS.withMethod(method)).build();
    }

    /** ∇_θ NLL against central differences of NLL, for each noise model and both gradient methods. */
    @Test
    void gradientMatchesCentralDifferences() {
        for (NoiseModel noise : new NoiseModel[] {NoiseModel.gaussian(0.2, 0.3).estimated(), NoiseModel.logNormal(0.1, 0.15),
                NoiseModel.logNormal(0.1, 0.15).estimated()}) {
            for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT}) {
                EstimationProblem problem = mixedProblem(noise, m);
                try (Likelihood l = problem.likelihood()) {
                    double[] theta = problem.initialTheta(), g = new double[theta.length];
                    l.value(theta, g);
                    for (int i = 0; i < theta.length; i++) {
                        // fourth order: a large step keeps the solver's own noise (rtol 1e-11) out of the difference
                        double h = 1e-3 * Math.max(1, Math.abs(theta[i]));
                        double fd = (8 * (shifted(l, theta, i, h) - shifted(l, theta, i, -h))
                                - (shifted(l, theta, i, 2 * h) - shifted(l, theta, i, -2 * h))) / (12 * h);
                        assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), noise + " " + m + " " + problem.estimatedNames()[i]);
                    }
                }
            }
        }
    }

    private static double shifted(Likelihood l, double[] theta, int i, double h) {
        double[] x = theta.clone();
        x[i] += h;
        return l.value(x, new double[x.length]);
    }

    /** The NLL's value against the formula evaluated by hand on an independent solve. */
    @Test
    void logNormalLikelihoodValueMatchesTheFormula() {
        EstimationProblem problem = mixedProblem(NoiseModel.logNormal(0.1, 0.15), SensitivityMethod.FORWARD);
        double[] theta = problem.initialTheta(), q = problem.naturalOf(theta);
        double expected = 0;
        for (Experiment e : problem.experiments()) {
            double[] qe = q.clone();
            e.conditions().forEach((i, v) -> qe[i] = v);
            double[][] y = simulate(LV, 2, e.initialState(), qe, e.times()), d = e.data();
            double[] sigma = {0.1, 0.15};
            for (int k = 0; k < y.length; k++) {
                double[] h = {y[k][0] + y[k][1], y[k][1]};
                for (int j = 0; j < 2; j++) {
                    if (Double.isNaN(d[k][j])) continue;
                    double r = (Math.log(h[j]) - Math.log(d[k][j])) / sigma[j];
                    expected += 0.5 * r * r + Math.log(sigma[j]) + Math.log(d[k][j]) + 0.5 * Math.log(2 * Math.PI);
                }
            }
        }
        try (Likelihood l = problem.likelihood()) {
            assertEquals(expected, l.value(theta, new double[theta.length]), 1e-8 * Math.abs(expected));
        }
    }

    /**
     * At the maximum-likelihood estimate of a Gaussian σ, {@code σ̂² = mean(r²)} over that observable's
     * residuals (∂NLL/∂σ = 0 in closed form).
     */
    @Test
    void estimatedSigmaIsTheRootMeanSquareResidual() {
        EstimationProblem problem = mixedProblem(NoiseModel.gaussian(0.2, 0.3).estimated(), SensitivityMethod.AUTO);
        FitResult r = problem.fit(OptimizerOptions.defaults().withGradientTolerance(1e-8).withFunctionTolerance(0), null);
        assertTrue(r.optimization().converged(), r.optimization().toString());
        double[] q = problem.naturalOf(r.theta());
        double[] ss = new double[2];
        int[] count = new int[2];
        for (Experiment e : problem.experiments()) {
            double[] qe = q.clone();
            e.conditions().forEach((i, v) -> qe[i] = v);
            double[][] y = simulate(LV, 2, e.initialState(), java.util.Arrays.copyOf(qe, 4), e.times()), d = e.data();
            for (int k = 0; k < y.length; k++) {
                double[] h = {y[k][0] + y[k][1], y[k][1]};
                for (int j = 0; j < 2; j++) {
                    if (Double.isNaN(d[k][j])) continue;
                    ss[j] += (h[j] - d[k][j]) * (h[j] - d[k][j]);
                    count[j]++;
                }
            }
        }
        assertEquals(Math.sqrt(ss[0] / count[0]), q[4], 1e-6 * q[4]);
        assertEquals(Math.sqrt(ss[1] / count[1]), q[5], 1e-6 * q[5]);
    }

    /**
     * Standard errors from the Hessian by second-order adjoints against those from a Hessian made by
     * central differences of the likelihood gradient, at the optimum of a noisy fit.
     */
    @Test
    void standardErrorsMatchAFiniteDifferenceHessian() {
        EstimationProblem problem = mixedProblem(NoiseModel.gaussian(0.2, 0.3).estimated(), SensitivityMethod.AUTO);
        try (Likelihood l = problem.likelihood()) {
            FitResult r = l.fit(problem.initialTheta(), OptimizerOptions.defaults().withGradientTolerance(1e-8).withFunctionTolerance(0), null, true);
            assertNotNull(r.uncertainty(), r.uncertaintyFailure());
            int n = r.theta().length;
            double[][] fdH = new double[n][n];
            for (int j = 0; j < n; j++) {
                double h = 1e-4 * Math.max(1, Math.abs(r.theta()[j]));
                double[] a = r.theta().clone(), b = r.theta().clone(), ga = new double[n], gb = new double[n];
                a[j] += h;
                b[j] -= h;
                l.value(a, ga);
                l.value(b, gb);
                for (int i = 0; i < n; i++) fdH[i][j] = (ga[i] - gb[i]) / (2 * h);
            }
            double[][] cov = Hessians.inverseSpd(Hessians.symmetrize(fdH));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++)
                    assertEquals(fdH[i][j], r.uncertainty().hessian()[i][j], 1e-5 * (1 + Math.abs(fdH[i][j])), "H[" + i + "][" + j + "]");
                assertEquals(Math.sqrt(cov[i][i]), r.uncertainty().thetaStandardErrors()[i], 1e-5 * Math.sqrt(cov[i][i]), r.names()[i]);
                assertEquals(1, r.uncertainty().correlation()[i][i], 1e-12);
                assertEquals(r.uncertainty().standardErrors()[i], r.standardError(i), 0, "natural units, as the reports print them");
            }
            FitResult without = new FitResult(r.names(), r.estimates(), r.theta(), r.optimization(), r.gradientEvaluations(), r.seconds(),
                    null, "not computed", null);
            assertTrue(Double.isNaN(without.standardError(0)), "no uncertainty: no standard error");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> r.standardError(n));
            assertTrue(e.getMessage().contains("estimate index " + n), e.getMessage());
        }
    }

    /**
     * The profile of β on a well-determined fit (one experiment, 1% noise): at ±1 standard error the
     * profile is close to the quadratic value 1, never above the NLL with the others held at the optimum,
     * never below the minimum; the 95% interval lies around the estimate at about ±1.96 se.
     */
    @Test
    void profileLikelihoodOfAWellDeterminedParameter() {
        double[] t = times(40, 0.4), y0 = {0.1, 0.2};
        double[][] data = simulate(LV, 2, y0, TRUE, t);
        Random rnd = new Random(11);
        for (double[] row : data) for (int j = 0; j < 2; j++) row[j] += 0.01 * rnd.nextGaussian();
        EstimationProblem problem = EstimationProblem.builder(2, LV).parameters(lvParameters(1.05))
                .noise(NoiseModel.gaussian(0.01, 0.01)).experiment(Experiment.of("a", y0, t, data))
                .solverOptions(TIGHT).sensitivityOptions(SENS).build();
        try (Likelihood l = problem.likelihood()) {
            OptimizerOptions o = OptimizerOptions.defaults().withGradientTolerance(1e-8).withFunctionTolerance(0);
            FitResult r = l.fit(problem.initialTheta(), o, null, true);
            double se = r.uncertainty().thetaStandardErrors()[1];
            ProfileLikelihood prof = ProfileLikelihood.of(l, r, 1, 2, 2, o);
            assertEquals(5, prof.values().length);
            assertEquals(0, prof.deltaChi2()[2], 1e-12);
            assertEquals(1, prof.deltaChi2()[1], 0.1);
            assertEquals(1, prof.deltaChi2()[3], 0.1);
            for (int k = 0; k < 5; k++) {
                double[] held = r.theta().clone();
                held[1] = prof.values()[k]; // β is on a linear scale
                assertTrue(prof.nll()[k] <= l.value(held, new double[4]) + 1e-9, "profile above the slice at " + k);
                assertTrue(prof.deltaChi2()[k] >= -1e-9);
            }
            assertEquals(r.estimates()[1] - 1.96 * se, prof.lower(), 0.2 * se);
            assertEquals(r.estimates()[1] + 1.96 * se, prof.upper(), 0.2 * se);
        }
    }

    @Test
    void inconsistentInputsAreNamed() {
        double[] t = {1, 2};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EstimationProblem.builder(2, LV)
                .parameters(lvParameters(1)).noise(NoiseModel.gaussian(0.1))
                .experiment(Experiment.of("x", new double[] {1, 1}, t, new double[][] {{1, 1}, {1, 1}})).build());
        assertTrue(e.getMessage().contains("data columns"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Experiment.of("y", new double[] {1}, new double[] {2, 1}, new double[][] {{1}, {1}}));
        assertTrue(e.getMessage().contains("times[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FitParameter.of("k", -1).withLogScale());
        assertTrue(e.getMessage().contains("k"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EstimationProblem.builder(2, LV)
                .parameters(lvParameters(1)).noise(NoiseModel.gaussian(0.1, 0.1))
                .experiment(Experiment.of("z", new double[] {1, 1}, t, new double[][] {{1, 1}, {1, 1}}).withCondition(7, 1)).build());
        assertTrue(e.getMessage().contains("condition parameter 7"), e.getMessage());
    }
}
