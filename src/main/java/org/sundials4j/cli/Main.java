package org.sundials4j.cli;

import java.io.FileDescriptor;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.sundials4j.cli.progress.GradientProgressBar;
import org.sundials4j.cli.progress.ProgressBars;
import org.sundials4j.cli.progress.SolveProgress;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.EventRecord;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.ode.SolverStatistics;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Problem;
import org.sundials4j.problems.Problems;

/**
 * The {@code bin/sundials4j} launcher: {@code demo} and {@code solve} ({@code bench} lives with the
 * test classes, see {@code org.sundials4j.bench.compare.BenchMain}). The JSON that
 * {@code solve --json} prints is a stable interface: keys are only ever added, never renamed.
 */
public final class Main {
    /** The usage text (also what {@code bin/sundials4j bench --help} prints without building). */
    static final String USAGE = Usage.text();

    private final PrintStream out;
    private final PrintStream err;
    /** Whether to show a progress bar given {@code --json} ({@link ProgressBars#shown}; tests force it). */
    private final Predicate<Boolean> progressShown;

    Main(PrintStream out, PrintStream err) {
        this(out, err, ProgressBars::shown);
    }

    Main(PrintStream out, PrintStream err, Predicate<Boolean> progressShown) {
        this.out = out;
        this.err = err;
        this.progressShown = progressShown;
    }

    public static void main(String[] args) {
        System.exit(new Main(Usage.utf8(FileDescriptor.out), Usage.utf8(FileDescriptor.err)).run(args));
    }

    /** Runs a command; returns the process exit code (0 ok, 1 solver failure, 2 usage error). */
    int run(String[] args) {
        try {
            if (args.length == 0) throw new UsageException("no command given");
            // help wins wherever it appears: `solve rober --help` prints the usage, not an error
            if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h") || args[0].equals("help")) {
                out.print(USAGE);
                out.print(SbmlCommands.USAGE);
                return 0;
            }
            return switch (args[0]) {
                case "demo" -> {
                    if (args.length > 1) throw new UsageException("demo takes no arguments; got '" + args[1] + "'");
                    yield demo();
                }
                case "sbml" -> new SbmlCommands(out, err, progressShown).sbml(args);
                case "sbml-suite" -> new SbmlCommands(out, err).suite(args);
                case "solve" -> {
                    SolveArgs a = SolveArgs.parse(args);
                    yield a.sens() == null ? solve(a) : gradient(a);
                }
                case "bench" -> throw new UsageException(
                        "bench runs from a source checkout (bin/sundials4j bench): it needs the test classes");
                case "fit" -> new org.sundials4j.cli.fit.FitCommand(out, err, progressShown).run(args);
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException | IllegalArgumentException e) {
            err.println("sundials4j: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (SolverException e) {
            err.println("sundials4j: solve failed: " + e.getMessage());
            return 1;
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String m) {
            super(m);
        }
    }

    /** Parsed arguments of {@code solve}; {@code sens} is null for a plain solve. */
    record SolveArgs(String problem, boolean json, Double rtol, Double atol, SensitivityMethod sens) {
        static SolveArgs parse(String[] args) {
            if (args.length < 2 || args[1].startsWith("--")) throw new UsageException("solve needs a problem name");
            boolean json = false;
            Double rtol = null, atol = null;
            SensitivityMethod sens = null;
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--json" -> json = true;
                    case "--rtol" -> rtol = number(args, ++i, "--rtol");
                    case "--atol" -> atol = number(args, ++i, "--atol");
                    case "--sens" -> sens = method(args, ++i);
                    default -> throw new UsageException("unknown option '" + args[i] + "'");
                }
            }
            return new SolveArgs(args[1], json, rtol, atol, sens);
        }

        static SensitivityMethod method(String[] args, int i) {
            if (i >= args.length) throw new UsageException("--sens needs a value: forward, adjoint, auto or fd");
            return switch (args[i]) {
                case "forward" -> SensitivityMethod.FORWARD;
                case "adjoint" -> SensitivityMethod.ADJOINT;
                case "auto" -> SensitivityMethod.AUTO;
                case "fd" -> SensitivityMethod.FINITE_DIFFERENCE;
                default -> throw new UsageException("--sens value '" + args[i] + "' is not one of forward, adjoint, auto, fd");
            };
        }

        /** A plain decimal number: Java's own suffixes (1e-4d), hex, NaN and Infinity are not numbers here. */
        private static final java.util.regex.Pattern DECIMAL =
                java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

        private static double number(String[] args, int i, String flag) {
            if (i >= args.length) throw new UsageException(flag + " needs a value");
            double v = DECIMAL.matcher(args[i]).matches() ? Double.parseDouble(args[i]) : Double.NaN;
            if (!Double.isFinite(v)) throw new UsageException(flag + " value '" + args[i] + "' is not a number");
            return v;
        }
    }

    static SolverOptions options(Problem p, Double rtol, Double atol) {
        SolverOptions o = SolverOptions.defaults()
                .withRtol(rtol != null ? rtol : p.relativeTolerance())
                .withMaxSteps(100_000)
                .withLinearSolver(LinearSolver.auto());
        return atol != null ? o.withAtol(atol) : o.withAtol(p.absoluteTolerances());
    }

    int solve(SolveArgs a) {
        Problem p = Problems.byName(a.problem());
        SolverOptions o = options(p, a.rtol(), a.atol());
        OdeModel model = p.model();
        long t0 = System.nanoTime();
        Solution sol;
        String ls;
        double[] times = p.outputTimes();
        try (CvodesSolver s = new CvodesSolver(model, o);
             SolveProgress bar = SolveProgress.open("solve " + p.name(), 0, times[times.length - 1], progressShown.test(a.json()), err)) {
            ls = s.linearSolver().toString();
            s.setListener(bar.listener());
            sol = s.solve(p.initialState(), p.parameters(), times);
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        if (a.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("problem", p.name());
            m.put("times", sol.times());
            m.put("states", sol.states());
            m.put("stats", stats(sol.statistics()));
            m.put("method", o.method().name());
            m.put("linearSolver", ls);
            m.put("rtol", o.rtol());
            m.put("atol", o.atol());
            m.put("wallMillis", millis);
            if (!p.events().isEmpty()) m.put("events", events(sol.events()));
            out.println(Json.write(m));
        } else {
            printTable(p, sol);
            printEvents(sol);
            printStats(sol.statistics(), ls, millis);
            out.printf("tolerances: rtol %.2e, atol %s%s%n", o.rtol(), tolerances(o.atol()),
                    a.rtol() == null && a.atol() == null ? " (the problem's own)" : "");
        }
        return 0;
    }

    /**
     * The objective of the problem set with the command line's tolerances. One given alone keeps
     * the objective's other value; a per-state atol becomes its smallest entry, since the backward
     * and quadrature problems take a scalar.
     */
    static Objective objective(String name, Double rtol, Double atol) {
        Objective o = Objectives.byName(name);
        if (rtol == null && atol == null) return o;
        return o.withTolerances(rtol != null ? rtol : o.options().rtol(), atol != null ? atol : smallest(o.options().atol()));
    }

    /** Every entry of a short atol vector; the range of a long one. */
    static String tolerances(double[] atol) {
        double lo = smallest(atol), hi = Double.NEGATIVE_INFINITY;
        for (double v : atol) hi = Math.max(hi, v);
        if (lo == hi) return String.format("%.2e", lo);
        if (atol.length <= 4) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < atol.length; i++) sb.append(i > 0 ? ", " : "").append(String.format("%.2e", atol[i]));
            return sb.append(']').toString();
        }
        return String.format("%.2e to %.2e over %d states", lo, hi, atol.length);
    }

    private static double smallest(double[] a) {
        double m = Double.POSITIVE_INFINITY;
        for (double v : a) m = Math.min(m, v);
        return m;
    }

    static GradientSolver solver(Objective o, SensitivityMethod m) {
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity().withMethod(m));
    }

    static Gradient gradient(GradientSolver gs, Objective o) {
        Problem p = o.problem();
        return gs.gradient(p.initialTime(), p.initialState(), p.parameters(), o.times());
    }

    int gradient(SolveArgs a) {
        Objective o = objective(a.problem(), a.rtol(), a.atol());
        long t0 = System.nanoTime();
        Gradient g;
        double[] times = o.times();
        try (GradientSolver gs = solver(o, a.sens());
             GradientProgressBar bar = GradientProgressBar.open("solve " + o.name(), o.problem().initialTime(), times[times.length - 1],
                     gs.methodFor(times.length) == SensitivityMethod.ADJOINT,
                     progressShown.test(a.json()) && a.sens() != SensitivityMethod.FINITE_DIFFERENCE, err)) {
            gs.setListener(bar.listener());
            g = gradient(gs, o);
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        if (a.json()) {
            Map<String, Object> grad = new LinkedHashMap<>();
            grad.put("params", g.params());
            grad.put("y0", g.initialState());
            Map<String, Object> st = stats(g.solution().statistics());
            st.put("backward", g.backwardStatistics() == null ? null : stats(g.backwardStatistics()));
            st.put("checkpoints", g.checkpoints());
            st.put("checkpointBytes", g.checkpointBytes());
            st.put("reverseSweeps", g.reverseSweeps());
            st.put("backwardPairs", g.backwardPairs());
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("problem", o.name());
            m.put("loss", g.loss());
            m.put("gradient", grad);
            m.put("method", g.method().name());
            m.put("stats", st);
            m.put("rtol", o.options().rtol());
            m.put("atol", o.options().atol());
            m.put("wallMillis", millis);
            if (!o.problem().events().isEmpty()) m.put("events", events(g.solution().events()));
            out.println(Json.write(m));
            return 0;
        }
        Problem p = o.problem();
        String asked = a.sens() == SensitivityMethod.AUTO ? " (chosen by auto)" : "";
        out.printf("%s: %d states, %d parameters, %d output times; method %s%s%n", p.name(), p.stateCount(),
                p.parameterCount(), o.times().length, g.method(), asked);
        out.printf("loss %.10e%n", g.loss());
        printVector("dL/dp ", g.params());
        printVector("dL/dy0", g.initialState());
        printCounters("forward:  ", g.solution().statistics());
        if (g.backwardStatistics() != null) {
            printCounters("backward: ", g.backwardStatistics());
            out.printf("checkpoints %d (%.1f KiB), reverse sweeps %d for %d backward pairs%n", g.checkpoints(),
                    g.checkpointBytes() / 1024.0, g.reverseSweeps(), g.backwardPairs());
        }
        out.printf("rtol %.3g, atol %.3g (smallest), wall time %.2f ms (includes set-up and JIT warm-up)%n",
                o.options().rtol(), smallest(o.options().atol()), millis);
        return 0;
    }

    /**
     * The events that fired, as the JSON key {@code events}: {@code [{"time": t, "event": name}, ...]};
     * only problems with events have the key, so the others' output is unchanged.
     */
    static List<Map<String, Object>> events(List<EventRecord> fired) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (EventRecord e : fired) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", e.time());
            m.put("event", e.name());
            list.add(m);
        }
        return list;
    }

    private void printEvents(Solution sol) {
        if (sol.events().isEmpty()) return;
        StringBuilder sb = new StringBuilder("events:");
        for (EventRecord e : sol.events()) sb.append(String.format(" %s@%.6g", e.name(), e.time()));
        out.println(sb);
    }

    /** Every entry of a short vector; of a long one its norm and first entries, to stay on one screen. */
    private void printVector(String label, double[] v) {
        double norm = 0;
        for (double x : v) norm += x * x;
        int shown = v.length <= SHOWN_ENTRIES ? v.length : SHOWN_ENTRIES / 2;
        StringBuilder sb = new StringBuilder(String.format("%s [%d]", label, v.length));
        if (shown < v.length) sb.append(String.format(" norm %.6e, first %d:", Math.sqrt(norm), shown));
        for (int i = 0; i < shown; i++) {
            if (i > 0 && i % 5 == 0) sb.append(String.format("%n%" + (label.length() + 1) + "s", ""));
            sb.append(String.format(" %14.6e", v[i]));
        }
        if (shown < v.length) sb.append(" ...");
        out.println(sb);
    }

    private static final int SHOWN_ENTRIES = 10;

    static Map<String, Object> stats(SolverStatistics s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("steps", s.steps());
        m.put("rhsEvals", s.rhsEvals());
        m.put("linearSolverRhsEvals", s.linearSolverRhsEvals());
        m.put("jacobianEvals", s.jacobianEvals());
        m.put("linearSolverSetups", s.linearSolverSetups());
        m.put("errorTestFailures", s.errorTestFailures());
        m.put("nonlinearIterations", s.nonlinearIterations());
        m.put("convergenceFailures", s.convergenceFailures());
        m.put("lastOrder", s.lastOrder());
        m.put("lastStep", s.lastStep());
        m.put("initialStep", s.initialStep());
        m.put("currentTime", s.currentTime());
        return m;
    }

    private void printTable(Problem p, Solution sol) {
        int shown = Math.min(p.stateCount(), 4);
        out.printf("%s: %d states, %d parameters%n", p.name(), p.stateCount(), p.parameterCount());
        StringBuilder h = new StringBuilder(String.format("%12s", "t"));
        for (int i = 0; i < shown; i++) h.append(String.format("  %14s", "y" + (i + 1)));
        if (shown < p.stateCount()) h.append("  ...");
        out.println(h);
        for (int k = 0; k < sol.size(); k++) {
            StringBuilder r = new StringBuilder(String.format("%12.4e", sol.time(k)));
            double[] y = sol.state(k);
            for (int i = 0; i < shown; i++) r.append(String.format("  %14.6e", y[i]));
            out.println(r);
        }
    }

    private void printStats(SolverStatistics s, String ls, double millis) {
        printCounters("", s);
        out.printf("linear solver %s, wall time %.2f ms (includes JIT warm-up)%n", ls, millis);
    }

    private void printCounters(String prefix, SolverStatistics s) {
        out.printf("%ssteps %d, RHS evals %d, Jacobian evals %d, error-test fails %d, Newton iterations %d, "
                        + "convergence fails %d, last order %d, last step %.4g%n",
                prefix, s.steps(), s.rhsEvals(), s.jacobianEvals(), s.errorTestFailures(), s.nonlinearIterations(),
                s.convergenceFailures(), s.lastOrder(), s.lastStep());
    }

    int demo() {
        Problem p = Problems.byName("rober");
        out.println("sundials4j demo: ROBER (Robertson chemical kinetics), stiff, BDF + Newton with a tape Jacobian");
        out.println("model written once on the AD tape; CVODES 7.1.1 linked statically.");
        out.println();
        SolverOptions o = options(p, null, null);
        Solution sol;
        String ls;
        List<Long> times = new ArrayList<>();
        long first = System.nanoTime();
        try (CvodesSolver s = new CvodesSolver(p.tapeModel(), o)) {
            ls = s.linearSolver().toString();
            sol = s.solve(p.initialState(), p.parameters(), p.outputTimes());
            first = System.nanoTime() - first;
            for (int r = 0; r < 200; r++) {
                long t0 = System.nanoTime();
                s.solve(p.initialState(), p.parameters(), p.outputTimes());
                times.add(System.nanoTime() - t0);
            }
        }
        printTable(p, sol);
        times.sort(null);
        SolverStatistics st = sol.statistics();
        printStats(st, ls, first / 1e6);
        out.printf("solve time: median %.1f µs, min %.1f µs over %d warm repetitions%n",
                times.get(times.size() / 2) / 1e3, times.get(0) / 1e3, times.size());
        demoGradient();
        return 0;
    }

    private static final int WARM_UPS = 2, REPETITIONS = 5;

    /** A gradient with the median wall time of {@link #REPETITIONS} runs after {@link #WARM_UPS}. */
    record Timed(Gradient gradient, double medianMillis) {
        static Timed run(Objective o, SensitivityMethod m) {
            try (GradientSolver gs = solver(o, m)) {
                Gradient g = null;
                double[] ms = new double[REPETITIONS];
                for (int r = -WARM_UPS; r < REPETITIONS; r++) {
                    long t0 = System.nanoTime();
                    g = Main.gradient(gs, o);
                    if (r >= 0) ms[r] = (System.nanoTime() - t0) / 1e6;
                }
                java.util.Arrays.sort(ms);
                return new Timed(g, ms[REPETITIONS / 2]);
            }
        }
    }

    /**
     * ROBER's objective by the two independent methods side by side: their agreement is the
     * reader's evidence that the gradient is right, their timings show what each costs.
     */
    private void demoGradient() {
        Objective o = Objectives.rober();
        Timed adj = Timed.run(o, SensitivityMethod.ADJOINT), fwd = Timed.run(o, SensitivityMethod.FORWARD);
        Gradient a = adj.gradient(), f = fwd.gradient();
        out.println();
        out.printf("gradient of G = integral of y3 dt over [0, %.0e] (cvsRoberts_ASAi_dns settings)%n",
                o.times()[o.times().length - 1]);
        out.printf("%-9s  %15s  %15s  %9s%n", "", "adjoint", "forward", "rel. diff");
        double worst = Math.max(printRows("dG/dp", a.params(), f.params()),
                printRows("dG/dy0_", a.initialState(), f.initialState()));
        out.printf("%-9s  %15.8e  %15.8e%n", "G", a.loss(), f.loss());
        out.printf("largest relative difference adjoint vs forward: %.2e%n", worst);
        out.printf("adjoint: median %.2f ms (%d forward + %d backward steps, %d checkpoints)%n", adj.medianMillis(),
                a.solution().statistics().steps(), a.backwardStatistics().steps(), a.checkpoints());
        out.printf("forward: median %.2f ms (%d steps carrying %d sensitivities); %d runs after %d warm-up%n",
                fwd.medianMillis(), f.solution().statistics().steps(), f.params().length + f.initialState().length,
                REPETITIONS, WARM_UPS);
    }

    /** Prints one row per entry; returns the largest relative difference. */
    private double printRows(String label, double[] a, double[] f) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = relativeDifference(a[i], f[i]);
            worst = Math.max(worst, d);
            out.printf("%-9s  %15.8e  %15.8e  %9.2e%n", label + (i + 1), a[i], f[i], d);
        }
        return worst;
    }

    static double relativeDifference(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }
}
