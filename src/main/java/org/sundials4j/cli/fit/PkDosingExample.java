package org.sundials4j.cli.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.sundials4j.fit.EstimationProblem;
import org.sundials4j.fit.EventSchedule;
import org.sundials4j.fit.Experiment;
import org.sundials4j.fit.FitParameter;
import org.sundials4j.fit.FitResult;
import org.sundials4j.fit.LatinHypercube;
import org.sundials4j.fit.Likelihood;
import org.sundials4j.fit.NoiseModel;
import org.sundials4j.fit.OptimizationListener;
import org.sundials4j.fit.OptimizerOptions;
import org.sundials4j.fit.ProfileLikelihood;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.PkDosing;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * The pk-dosing model of the problem set fitted over four subjects with different dose schedules,
 * each with the problem set's rescue dose (F·50 mg whenever C = A_c/V falls through 0.9): subject 1 has
 * the problem set's schedule (100 mg at 0, 12, 24, 36 h), the others 200 mg every 24 h, 50 mg every 6 h
 * and one 300 mg dose. Concentrations observed at the problem set's 12 times with 10% log-normal
 * noise (fixed seed); ka, CL and V (log scale) and the noise level estimated, F = 0.8 fixed (oral data
 * alone cannot tell F from V and CL). Pictures: concentration curves with the data, and the profile
 * likelihood of CL.
 */
final class PkDosingExample {
    static final String NAME = "pk-dosing";
    static final long SEED = 7L;
    static final double NOISE = 0.1;
    /** Latin hypercube starts beside the guess, in a box of θ = log(ka, CL, V, σ). */
    static final int STARTS = 5;
    static final double[] START_LOWER = {Math.log(0.3), Math.log(1), Math.log(8), Math.log(0.05)},
            START_UPPER = {Math.log(3), Math.log(10), Math.log(60), Math.log(0.5)};

    record Subject(String name, double dose, double[] doseTimes) {
    }

    static final Subject[] SUBJECTS = {
            new Subject("subject 1: 100 mg every 12 h", PkDosing.DOSE, PkDosing.DOSE_TIMES),
            new Subject("subject 2: 200 mg every 24 h", 200, new double[] {0, 24}),
            new Subject("subject 3: 50 mg every 6 h", 50, new double[] {0, 6, 12, 18, 24, 30, 36, 42}),
            new Subject("subject 4: one 300 mg dose", 300, new double[] {0})};

    private PkDosingExample() {
    }

    /** The subject's doses of F·dose into the gut, then the rescue dose (the problem set's). */
    static EventSchedule schedule(Subject s) {
        return (n, np) -> PkDosing.events(n, np, s.dose(), s.doseTimes());
    }

    /** Concentrations {@code A_c/V} at {@code times} (true parameters unless given). */
    static double[] concentrations(Subject s, double[] p, double[] times) {
        TapeOdeModel m = TapeOdeModel.record(2, 4, PkDosing.definition(), 0, PkDosing.Y0, p);
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-10, 1e-12);
        try (CvodesSolver solver = new CvodesSolver(EventModel.of(m, schedule(s).events(2, 4)), o)) {
            double[][] y = solver.solve(0, PkDosing.Y0, p, times).states();
            double[] c = new double[times.length];
            for (int k = 0; k < c.length; k++) c[k] = y[k][1] / p[2];
            return c;
        }
    }

    static EstimationProblem problem() {
        Random rnd = new Random(SEED);
        double[] t = PkDosing.OUTPUT_TIMES, p = PkDosing.PARAMETERS;
        EstimationProblem.Builder b = EstimationProblem.builder(2, PkDosing.definition())
                .parameters(FitParameter.of("ka", 0.7).withLogScale().withBounds(0.05, 20),
                        FitParameter.of("CL", 6).withLogScale().withBounds(0.1, 100),
                        FitParameter.of("V", 15).withLogScale().withBounds(1, 500),
                        FitParameter.of("F", p[3]).asFixed())
                .observables((tape, time, y, q) -> new Var[] {y.get(1).div(q.get(2))})
                .noise(NoiseModel.logNormal(0.2).estimated())
                .solverOptions(SolverOptions.defaults().withTolerances(PkDosing.RTOL, PkDosing.ATOL))
                .sensitivityOptions(SensitivityOptions.defaults().withBackwardTolerances(PkDosing.RTOL, PkDosing.ATOL)
                        .withQuadratureTolerances(PkDosing.RTOL, PkDosing.ATOL));
        for (Subject s : SUBJECTS) {
            double[] c = concentrations(s, p, t);
            double[][] data = new double[t.length][1];
            for (int k = 0; k < t.length; k++) data[k][0] = c[k] * Math.exp(NOISE * rnd.nextGaussian());
            b.experiment(Experiment.of(s.name(), PkDosing.Y0, t, data).withEvents(schedule(s)));
        }
        return b.build();
    }

    static ExampleResult run(Path dir, int maxIterations, OptimizationListener progress) throws IOException {
        Files.createDirectories(dir);
        EstimationProblem problem = problem();
        FitResult fit;
        ProfileLikelihood profile;
        OptimizerOptions options = OptimizerOptions.defaults().withMaxIterations(maxIterations).withGradientTolerance(1e-6);
        int iterations = 0, evaluations = 0;
        double seconds = 0;
        try (Likelihood l = problem.likelihood()) {
            // the rescue dose makes the likelihood jump where a parameter change adds or removes a rescue, so a
            // local run can stop in the wrong basin: start from the guess and from Latin hypercube samples
            List<double[]> starts = new ArrayList<>(List.of(problem.initialTheta()));
            starts.addAll(List.of(LatinHypercube.sample(STARTS, START_LOWER, START_UPPER, SEED)));
            FitResult best = null;
            for (double[] start : starts) {
                FitResult r = l.fit(start, options, progress, false);
                iterations += r.optimization().iterations();
                evaluations += r.gradientEvaluations();
                seconds += r.seconds();
                if (best == null || r.negativeLogLikelihood() < best.negativeLogLikelihood()) best = r;
            }
            fit = l.fit(best.theta(), options, null, true); // at the best optimum: the uncertainty
            profile = ProfileLikelihood.of(l, fit, 1, 6, 3.0, options);
        }
        double[] q = problem.naturalOf(fit.theta()), p = java.util.Arrays.copyOf(q, 4);
        double[] grid = new double[193];
        for (int k = 0; k < grid.length; k++) grid[k] = 0.25 * k; // 0 .. 48 h
        List<Charts.Line> lines = new ArrayList<>();
        List<Charts.Points> points = new ArrayList<>();
        for (int i = 0; i < SUBJECTS.length; i++) {
            lines.add(Charts.Line.of(SUBJECTS[i].name() + ", fit", grid, concentrations(SUBJECTS[i], p, grid), i));
            points.add(new Charts.Points("data " + (i + 1), problem.experiments().get(i).times(),
                    Charts.column(problem.experiments().get(i).data(), 0), i));
        }
        double[] cmin = {0, 48};
        lines.add(Charts.Line.of("c_min (rescue dose)", cmin, new double[] {PkDosing.C_MIN, PkDosing.C_MIN}, 5).withDashes());
        String[] names = fit.names();
        StringBuilder sub = new StringBuilder();
        for (int i = 0; i < names.length; i++)
            sub.append(String.format(Locale.ROOT, "%s%s = %.4g ± %.2g", i == 0 ? "" : ",  ", names[i], fit.estimates()[i],
                    fit.standardError(i)));
        Path curves = Charts.linesAndPoints(dir.resolve("pk-concentrations.png"),
                "pk-dosing: four subjects, four dose schedules, one model", sub.toString(), "t (h)", "concentration C = A_c / V (mg/L)",
                lines.toArray(new Charts.Line[0]), points.toArray(new Charts.Points[0]));
        double[] threshold = {ProfileLikelihood.CHI2_95, ProfileLikelihood.CHI2_95};
        double[] ends = {profile.values()[0], profile.values()[profile.values().length - 1]};
        Path prof = Charts.linesAndPoints(dir.resolve("pk-profile-cl.png"), "Profile likelihood of CL",
                String.format(Locale.ROOT, "95%% interval from the profile: [%.4g, %.4g] L/h; Wald: %.4g ± %.3g (1.96 se); true 3.5",
                        profile.lower(), profile.upper(), fit.estimates()[1], 1.96 * fit.standardError(1)),
                "CL (L/h)", "2 (NLL − min NLL)",
                new Charts.Line[] {Charts.Line.of("profile", profile.values(), profile.deltaChi2(), 0),
                        Charts.Line.of("χ²(1) 95% = 3.84", ends, threshold, 1).withDashes()},
                new Charts.Points[] {new Charts.Points("profile points", profile.values(), profile.deltaChi2(), 0)});
        List<Path> pictures = List.of(curves, prof);
        Path report = Examples.writeReport(dir, "pk-dosing over four subjects",
                "Four subjects with their own dose schedules (100 mg / 12 h, 200 mg / 24 h, 50 mg / 6 h, one 300 mg dose), each with "
                        + "the rescue dose of the problem set; concentrations at t = 1, 2, 4, 8, 11, 14, 20, 26, 32, 38, 44, 48 h with 10% "
                        + "log-normal noise (seed " + SEED + "). ka, CL, V and σ estimated on a log scale, F = 0.8 fixed, from the guess "
                        + "(0.7, 6, 15, 0.2) and " + STARTS + " Latin hypercube starts (best kept; totals over all starts: "
                        + iterations + " iterations, " + evaluations + " gradient evaluations, " + String.format(Locale.ROOT, "%.1f s", seconds)
                        + "; the table shows the final run from the best optimum). "
                        + (fit.uncertainty() == null ? "No standard errors. " : "Standard errors from the Hessian by " + fit.uncertainty().hessianMethod() + ". ")
                        + String.format(Locale.ROOT, "Profile likelihood of CL: 95%% interval [%.4g, %.4g] L/h.", profile.lower(), profile.upper()),
                fit, new double[] {PkDosing.PARAMETERS[0], PkDosing.PARAMETERS[1], PkDosing.PARAMETERS[2], NOISE}, pictures);
        Map<String, Double> params = new LinkedHashMap<>(), ses = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            params.put(names[i], fit.estimates()[i]);
            if (fit.uncertainty() != null) ses.put(names[i], fit.standardError(i));
        }
        return new ExampleResult(NAME, iterations, evaluations, seconds,
                fit.negativeLogLikelihood(), fit.optimization().reason().toString(), params, ses, pictures, report);
    }
}
