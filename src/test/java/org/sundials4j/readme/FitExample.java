package org.sundials4j.readme;

// README:fit
import org.sundials4j.fit.EstimationProblem;
import org.sundials4j.fit.Experiment;
import org.sundials4j.fit.FitParameter;
import org.sundials4j.fit.FitResult;
import org.sundials4j.fit.Likelihood;
import org.sundials4j.fit.NoiseModel;
import org.sundials4j.fit.OptimizerOptions;
import org.sundials4j.fit.ProfileLikelihood;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.LotkaVolterra;
import org.sundials4j.tape.Var;

// README:end

/**
 * README, "Fitting models to data": Lotka-Volterra fitted to two experiments (δ fixed in one,
 * set by a condition in the other) with log-normal noise of estimated σ.
 */
final class FitExample {
    private FitExample() {}

    record Result(FitResult fit, double nllAtOptimum, double[] gradientAtOptimum, double[] hessianVector,
                  ProfileLikelihood profile) {}

    static EstimationProblem problemFor(double[] y0, double[] times, double[][] data,
                                        double[] y0b, double[] timesB, double[][] dataB) {
        // README:fit
        EstimationProblem problem = EstimationProblem.builder(2, LotkaVolterra.definition())
                .parameters(FitParameter.of("alpha", 0.8).withLogScale().withBounds(0.05, 5),   // natural units
                            FitParameter.of("beta", -1.1).withBounds(-5, -0.05),
                            FitParameter.of("gamma", -0.8).withBounds(-5, -0.05),
                            FitParameter.of("delta", 1.2).withLogScale().asFixed())              // held at 1.2
                .observables((tape, t, y, p) -> new Var[] {y.get(0), y.get(1)})                 // h(t, y, p) on the tape
                .noise(NoiseModel.logNormal(0.2, 0.2).estimated())     // or gaussian(σ...), with .estimated() or known σ
                .experiment(Experiment.of("control", y0, times, data))                         // data[k][j], NaN = missing
                .experiment(Experiment.of("treated", y0b, timesB, dataB).withCondition(3, 1.5)) // δ = 1.5 in this one
                .solverOptions(SolverOptions.defaults().withTolerances(1e-8, 1e-10))
                .build();
        // README:end
        return problem;
    }

    static Result run(double[] y0, double[] times, double[][] data, double[] y0b, double[] timesB, double[][] dataB) {
        EstimationProblem problem = problemFor(y0, times, data, y0b, timesB, dataB);
        Result result;
        // README:fit
        FitResult fit = problem.fit(OptimizerOptions.defaults(), (iter, loss, gradNorm, evals, x) -> { });
        double[] estimates = fit.estimates(), se = fit.uncertainty().standardErrors();
        double[][] correlation = fit.uncertainty().correlation();
        double seBeta = fit.standardError(1);           // one of them; NaN when the uncertainty failed
        System.out.println(fit.optimization().reason()); // GRADIENT, FUNCTION_CHANGE, STEP, MAX_ITERATIONS,
                                                         // MAX_EVALUATIONS, LINE_SEARCH_FAILED, NON_FINITE
        try (Likelihood l = problem.likelihood()) {      // the objective itself, for more control
            double[] theta = fit.theta(), gradient = new double[theta.length], v = new double[theta.length];
            v[1] = 1;
            double nll = l.value(theta, gradient);       // θ: estimated parameters on their own scale
            double[] hv = l.hessianVector(theta, v);     // H v by a second-order adjoint
            ProfileLikelihood prof = ProfileLikelihood.of(l, fit, 1, 5, 3.0, OptimizerOptions.defaults()); // β, ±3 se
            // README:end
            result = new Result(fit, nll, gradient, hv, prof);
            // README:fit
        }
        // README:end
        return result;
    }
}
