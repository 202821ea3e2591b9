package org.sundials4j.cli.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sundials4j.fit.EstimationProblem;
import org.sundials4j.fit.Experiment;
import org.sundials4j.fit.FitParameter;
import org.sundials4j.fit.FitResult;
import org.sundials4j.fit.Likelihood;
import org.sundials4j.fit.NoiseModel;
import org.sundials4j.fit.OptimizationListener;
import org.sundials4j.fit.OptimizerOptions;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.NeuralOde;
import org.sundials4j.problems.Objectives;

/**
 * The neural ODE of the problem set (H = 50, 252 weights) trained from its initial θ on the cubic
 * spiral, as in the neural ODE paper but with full-batch L-BFGS: the loss is the problem set's
 * {@code Σ (u(t_k) - data_k)²}, written as a Gaussian likelihood with σ² = 1/2 (so NLL = loss + a
 * constant, reported without the constant). Pictures: the loss against iteration, and the learned
 * trajectories (phase plane) at a few iterations against the true spiral.
 */
final class NeuralOdeExample {
    static final String NAME = "neural-ode";
    static final int DEFAULT_ITERATIONS = 300;
    static final int HIDDEN = NeuralOde.DEFAULT_HIDDEN;

    private NeuralOdeExample() {
    }

    static EstimationProblem problem() {
        double[] theta0 = NeuralOde.initialParameters(HIDDEN);
        FitParameter[] ps = new FitParameter[theta0.length];
        for (int k = 0; k < ps.length; k++) ps[k] = FitParameter.of("theta" + k, theta0[k]);
        SolverOptions o = SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(NeuralOde.RTOL, NeuralOde.ATOL)
                .withMaxSteps(20_000);
        return EstimationProblem.builder(2, NeuralOde.definition(HIDDEN)).parameters(ps)
                .noise(NoiseModel.gaussian(Math.sqrt(0.5), Math.sqrt(0.5)))
                .experiment(Experiment.of("spiral", NeuralOde.Y0, NeuralOde.outputTimes(), Objectives.neuralOdeData()))
                .solverOptions(o)
                .sensitivityOptions(SensitivityOptions.defaults().withBackwardTolerances(NeuralOde.RTOL, NeuralOde.ATOL)
                        .withQuadratureTolerances(NeuralOde.RTOL, NeuralOde.ATOL))
                .build();
    }

    /** NLL − loss: the Gaussian normalisation over the 60 data values. */
    static double constant() {
        return 60 * (Math.log(Math.sqrt(0.5)) + 0.5 * Math.log(2 * Math.PI));
    }

    static ExampleResult run(Path dir, int maxIterations, OptimizationListener progress) throws IOException {
        Files.createDirectories(dir);
        EstimationProblem problem = problem();
        int[] snapshotAt = {0, 10, 40, maxIterations / 3};
        Map<Integer, double[]> snapshots = new TreeMap<>();
        snapshots.put(0, problem.initialTheta());
        List<Double> gradientNorms = new ArrayList<>();
        OptimizationListener record = (it, v, g, e, x) -> {
            for (int s : snapshotAt) if (it == s) snapshots.put(it, x);
            gradientNorms.add(g);
            progress.iteration(it, v, g, e, x);
        };
        FitResult fit;
        try (Likelihood l = problem.likelihood()) {
            fit = l.fit(problem.initialTheta(), OptimizerOptions.defaults().withMaxIterations(maxIterations)
                    .withGradientTolerance(1e-7).withFunctionTolerance(1e-14), record, false);
        }
        snapshots.put(fit.optimization().iterations(), fit.theta());
        double c = constant();
        double[] hist = fit.optimization().history();
        double[] it = new double[hist.length], loss = new double[hist.length];
        for (int k = 0; k < hist.length; k++) {
            it[k] = k;
            loss[k] = hist[k] - c;
        }
        double finalLoss = fit.negativeLogLikelihood() - c;
        Path lossPng = Charts.logCurve(dir.resolve("neural-ode-loss.png"), "Neural ODE training: loss against iteration",
                String.format(Locale.ROOT, "L-BFGS, %d weights; loss %.4g → %.4g in %d iterations (%s)", problem.estimatedCount(),
                        loss[0], finalLoss, fit.optimization().iterations(), fit.optimization().reason()),
                "iteration", "loss Σ (u − data)²", Charts.Line.of("loss", it, loss, 0));

        double[] grid = new double[151];
        for (int k = 0; k < grid.length; k++) grid[k] = 0.01 * k;
        double[][] truth = Examples.simulate(NeuralOde.truthDefinition(), 2, NeuralOde.Y0, new double[0], grid,
                Examples.adams(NeuralOde.DATA_RTOL, NeuralOde.DATA_ATOL).withMaxSteps(100_000));
        List<Charts.Line> lines = new ArrayList<>();
        lines.add(Charts.Line.of("true spiral", Charts.column(truth, 0), Charts.column(truth, 1), 5).withDashes());
        int colour = 0;
        for (Map.Entry<Integer, double[]> s : snapshots.entrySet()) {
            try {
                double[][] y = Examples.simulate(NeuralOde.definition(HIDDEN), 2, NeuralOde.Y0, s.getValue(), grid,
                        Examples.adams(NeuralOde.RTOL, NeuralOde.ATOL).withMaxSteps(20_000));
                lines.add(Charts.Line.of("iteration " + s.getKey(), Charts.column(y, 0), Charts.column(y, 1), colour++));
            } catch (SolverException e) {
                colour++; // a snapshot the solver cannot integrate is left out of the picture
            }
        }
        double[][] data = Objectives.neuralOdeData();
        Path trajPng = Charts.linesAndPoints(dir.resolve("neural-ode-trajectories.png"),
                "Neural ODE: learned vs true trajectories (phase plane, t ∈ [0, 1.5])",
                "u(0) = (2, 0); points: the 30 training data", "u1", "u2", lines.toArray(new Charts.Line[0]),
                new Charts.Points[] {new Charts.Points("data", Charts.column(data, 0), Charts.column(data, 1), 5)});
        List<Path> pictures = List.of(lossPng, trajPng);
        Path report = Examples.writeReport(dir, "Neural ODE trained on the cubic spiral",
                "Model u' = W2 tanh(W1 u³ + b1) + b2 with H = " + HIDDEN + " (" + problem.estimatedCount()
                        + " weights) from θ_k = 0.1 sin(k + 1); data: the spiral at 30 times on [0, 1.5]. The loss Σ (u − data)² is "
                        + String.format(Locale.ROOT, "%.6g at the start and %.6g at the end", loss[0], finalLoss)
                        + " (the table's NLL is the loss plus " + String.format(Locale.ROOT, "%.6g", c) + ").",
                fit, null, pictures);
        Map<String, Double> params = new LinkedHashMap<>();
        for (int i = 0; i < fit.names().length; i++) params.put(fit.names()[i], fit.estimates()[i]);
        return new ExampleResult(NAME, fit.optimization().iterations(), fit.gradientEvaluations(), fit.seconds(), finalLoss,
                fit.optimization().reason().toString(), params, Map.of(), pictures, report);
    }
}
