package org.sundials4j.bench.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.ReplayStatistics;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.GradientError;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Problem;

/**
 * One problem of the set with its contenders and the tight-tolerance sundials4j references their
 * answers are checked against. Solve errors are in units of the task's tolerance,
 * max |y - ref| / (rtol |ref| + atol) at the last output; gradient errors are relative,
 * max |g - ref| / max(|ref|, 1e-3 ‖ref‖∞) (components a thousandth below the largest are judged on
 * that scale, as in GradientAgreementTest).
 */
final class Case implements AutoCloseable {
    static final String SOLVE = "solve", GRADIENT = "gradient";
    /**
     * Bands, wide enough for honest answers and far below the O(1) error of a wrong one. Solves: 100
     * tolerance units. Gradients: 1e4·rtol, since no method controls the gradient's global error
     * directly (pure-Java variational states are outside the error test, the adjoint interpolates the
     * forward solution) and over lotka-volterra's 20 time units it reaches ~1e3·rtol. Central FD:
     * 1e3·ε² with ε = rtol^(1/3), its truncation/noise floor.
     */
    static final double SOLVE_BAND = 100.0, GRADIENT_BAND = 1e4, FD_BAND = 1e3;

    /**
     * @param ladder the same contender with its tolerances (rtol and atol) scaled by a factor, for
     *               {@link Matching}; null for contenders that always run at the task's setting
     */
    record Contender(String name, String task, double band, boolean baseline, Function<Budget, Outcome> run,
                     DoubleFunction<Contender> ladder) {
        Contender(String name, String task, double band, boolean baseline, Function<Budget, Outcome> run) {
            this(name, task, band, baseline, run, null);
        }
    }

    final String label;
    final Problem problem;
    final Objective objective;
    final double solveRtol;
    final double[] solveAtol;
    final double gradientRtol;
    final double[] referenceState;
    final double[] referenceGradient;
    final List<Contender> contenders = new ArrayList<>();
    private final List<AutoCloseable> resources = new ArrayList<>();

    Case(String label, Objective objective, double refRtol, double refAtol) {
        this.label = label;
        this.objective = objective;
        this.problem = objective.problem();
        this.solveRtol = problem.relativeTolerance();
        this.solveAtol = problem.absoluteTolerances();
        this.gradientRtol = objective.options().rtol();
        SolverOptions solveOptions = objective.options().withRtol(solveRtol).withAtol(solveAtol);
        double[] refSolveAtol = solveAtol.clone();
        for (int i = 0; i < refSolveAtol.length; i++) refSolveAtol[i] *= refRtol / solveRtol;
        try (CvodesSolver s = new CvodesSolver(problem.model(), solveOptions.withRtol(refRtol).withAtol(refSolveAtol)
                .withMaxSteps(10_000_000))) {
            Solution sol = s.solve(0, problem.initialState(), problem.parameters(), problem.outputTimes());
            referenceState = sol.state(sol.size() - 1);
        }
        Objective tight = objective.withTolerances(refRtol, refAtol);
        try (GradientSolver gs = new GradientSolver(tight.model(), tight.loss(), tight.integrand(),
                tight.options().withMaxSteps(10_000_000), tight.sensitivity().withMethod(SensitivityMethod.FORWARD))) {
            referenceGradient = answer(gs.gradient(0, problem.initialState(), problem.parameters(), tight.times()));
        }
        addSundials(solveOptions);
        // the pure-Java adapters integrate the right-hand side alone: a problem with events (doses,
        // thresholds) would need each library's event handling, which they do not implement
        pureJavaSkipped = problem.events().isEmpty() ? null : "the problem has events, which the pure-Java adapters do not model";
        if (pureJavaSkipped == null) addPureJava();
    }

    /** Why the pure-Java contenders were not run, or null when they were. */
    final String pureJavaSkipped;

    private static double[] answer(Gradient g) {
        double[] p = g.params(), y = g.initialState();
        double[] a = Arrays.copyOf(p, p.length + y.length);
        System.arraycopy(y, 0, a, p.length, y.length);
        return a;
    }

    private void addSundials(SolverOptions solveOptions) {
        ErkRows erk = ErkRows.of(objective);
        addSundialsSolve(solveOptions, "", !erk.solveTarget());
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT,
                SensitivityMethod.AUTO})
            addSundialsGradient(objective.options(), m, "", m == SensitivityMethod.AUTO && !erk.gradientTarget());
        if (erk.solve()) addSundialsSolve(solveOptions.withMethod(Method.ERK), "", erk.solveTarget());
        if (erk.gradient())
            addSundialsGradient(objective.options().withMethod(Method.ERK), SensitivityMethod.FORWARD, ErkRows.GRADIENT_SUFFIX,
                    erk.gradientTarget());
        if (CLimit.covers(problem.name())) {
            // the C limit table shows both back ends: these solvers run every callback in Java
            onJavaReplay(() -> {
                addSundialsSolve(solveOptions, JAVA_REPLAY, false);
                addSundialsGradient(objective.options(), SensitivityMethod.ADJOINT, JAVA_REPLAY, false);
                return null;
            });
        }
    }

    /** Suffix of the sundials4j rows whose solvers replay the tape in Java ({@code sundials4j.replay=java}). */
    static final String JAVA_REPLAY = " (Java replay)";
    /** Which path served each sundials4j row's callbacks in its last run. */
    final Map<String, ReplayStatistics> paths = new LinkedHashMap<>();

    /** Runs {@code body} with every solver it makes on the Java replay path. */
    static <T> T onJavaReplay(Supplier<T> body) {
        String before = System.getProperty("sundials4j.replay");
        System.setProperty("sundials4j.replay", "java");
        try {
            return body.get();
        } finally {
            if (before == null) System.clearProperty("sundials4j.replay");
            else System.setProperty("sundials4j.replay", before);
        }
    }

    /** A sundials4j solve row named after its method; {@code baseline}: the task's target row. */
    private void addSundialsSolve(SolverOptions solveOptions, String suffix, boolean baseline) {
        String name = "sundials4j " + solveOptions.method().name() + suffix;
        CvodesSolver solver = new CvodesSolver(problem.model(), solveOptions);
        resources.add(solver);
        double[] y0 = problem.initialState(), p = problem.parameters(), times = problem.outputTimes();
        contenders.add(new Contender(name, SOLVE, SOLVE_BAND, baseline, b -> {
            Solution s = solver.solve(0, y0, p, times);
            paths.put(name, solver.replayStatistics());
            return Outcome.done(s.state(s.size() - 1), Double.NaN, s.statistics().steps(), s.statistics().rhsEvals());
        }));
    }

    /** A sundials4j gradient row named after its sensitivity method; {@code baseline}: the task's target row. */
    private void addSundialsGradient(SolverOptions options, SensitivityMethod m, String suffix, boolean baseline) {
        GradientSolver gs = new GradientSolver(objective.model(), objective.loss(), objective.integrand(),
                options, objective.sensitivity().withMethod(m));
        resources.add(gs);
        double[] y0 = problem.initialState(), p = problem.parameters(), gt = objective.times();
        if (suffix.equals(JAVA_REPLAY)) gs.gradient(0, y0, p, gt); // makes its solvers now, on the path asked for
        String name = "sundials4j " + m.name().toLowerCase() + suffix;
        contenders.add(new Contender(name, GRADIENT, GRADIENT_BAND * gradientRtol, baseline, b -> {
            Gradient g = gs.gradient(0, y0, p, gt);
            ReplayStatistics path = gs.replayStatistics();
            if (path != null) paths.put(name, path);
            long steps = g.solution().statistics().steps(), evals = g.solution().statistics().rhsEvals();
            if (g.backwardStatistics() != null) {
                steps += g.backwardStatistics().steps();
                evals += g.backwardStatistics().rhsEvals();
            }
            return Outcome.done(answer(g), g.loss(), steps, evals);
        }));
    }

    /**
     * Pure-Java contenders, each with a tolerance ladder: at factor f the library runs at f times the
     * task's rtol and atol, and its band widens with a looser setting (solve and variational bands
     * scale with the tolerance, the central-FD band with tolerance^(2/3)); tighter settings keep the
     * task's band, since the reference's own error does not shrink with them.
     */
    private void addPureJava() {
        int n = problem.stateCount();
        double[] rtolN = new double[n];
        Arrays.fill(rtolN, solveRtol);
        TapeRhs solveRhs = new TapeRhs(problem.tapeModel(), null, problem.parameters());
        double[] y0 = problem.initialState(), times = problem.outputTimes();
        List<BiFunction<double[], double[], Library>> solvers = List.of(
                (a, r) -> new HipparchusLibrary(HipparchusLibrary.Scheme.DP853, a, r),
                (a, r) -> new HipparchusLibrary(HipparchusLibrary.Scheme.DP54, a, r), CommonsMathLibrary::new);
        for (BiFunction<double[], double[], Library> make : solvers) {
            contenders.add(tunable(make.apply(solveAtol, rtolN).name(), SOLVE, SOLVE_BAND, 1.0, f -> {
                Library lib = make.apply(scaled(solveAtol, f), scaled(rtolN, f));
                return b -> PureJava.solve(lib, solveRhs, y0, times, b);
            }));
        }
        PureJava.GradientTask task = new PureJava.GradientTask(objective);
        int dim = task.rhs.dim;
        double[] gAtol = new double[dim], gRtol = new double[dim];
        double[] oAtol = objective.options().atol();
        double maxAtol = 0;
        for (double a : oAtol) maxAtol = Math.max(maxAtol, a);
        for (int i = 0; i < dim; i++) {
            gAtol[i] = i >= n ? maxAtol : oAtol.length == 1 ? oAtol[0] : oAtol[i];
            gRtol[i] = gradientRtol;
        }
        double fdBand = FD_BAND * Math.pow(gradientRtol, 2.0 / 3.0);
        List<BiFunction<double[], double[], Library>> gradients = List.of(
                (a, r) -> new HipparchusLibrary(HipparchusLibrary.Scheme.DP853, a, r), CommonsMathLibrary::new);
        for (BiFunction<double[], double[], Library> make : gradients) {
            String name = make.apply(gAtol, gRtol).name();
            contenders.add(tunable(name + " variational", GRADIENT, GRADIENT_BAND * gradientRtol, 1.0, f -> {
                Library lib = make.apply(scaled(gAtol, f), scaled(gRtol, f));
                return b -> PureJava.variationalGradient(lib, task, b);
            }));
            contenders.add(tunable(name + " central FD", GRADIENT, fdBand, 2.0 / 3.0, f -> {
                Library lib = make.apply(scaled(gAtol, f), scaled(gRtol, f));
                return b -> PureJava.finiteDifferenceGradient(lib, task, gradientRtol * f, b);
            }));
        }
    }

    /** A contender at factor 1 whose ladder builds it at any factor. */
    private static Contender tunable(String name, String task, double band, double bandExponent,
                                     DoubleFunction<Function<Budget, Outcome>> runAt) {
        DoubleFunction<Contender> at = new DoubleFunction<>() {
            @Override
            public Contender apply(double f) {
                return new Contender(name, task, band * Math.pow(Math.max(1.0, f), bandExponent), false, runAt.apply(f), this);
            }
        };
        return at.apply(1.0);
    }

    private static double[] scaled(double[] v, double f) {
        double[] s = v.clone();
        for (int i = 0; i < s.length; i++) s[i] *= f;
        return s;
    }

    /** The setting a task runs at, before any factor: the solve's rtol or the gradient's. */
    double rtol(String task) {
        return task.equals(SOLVE) ? solveRtol : gradientRtol;
    }

    /** The error of a finished answer against the reference, in the task's measure. */
    double error(String task, double[] answer) {
        if (task.equals(SOLVE)) {
            double worst = 0;
            for (int i = 0; i < answer.length; i++)
                worst = Math.max(worst, Math.abs(answer[i] - referenceState[i])
                        / (solveRtol * Math.abs(referenceState[i]) + solveAtol[i]));
            return worst;
        }
        return GradientError.relative(answer, referenceGradient);
    }


    @Override
    public void close() {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // closing native solvers at the end of a run; nothing to recover
            }
        }
    }
}
