package org.sundials4j.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.ode.SolverStatistics;
import org.sundials4j.problems.Problem;
import org.sundials4j.problems.Problems;

/**
 * The {@code bin/sundials4j} launcher: {@code demo} and {@code solve}. The JSON that
 * {@code solve --json} prints is a stable interface: keys are only ever added, never renamed.
 */
public final class Main {
    static final String USAGE = """
            usage: sundials4j demo
                   sundials4j solve <problem> [--json] [--rtol R] [--atol A]
            problems: %s
            """;

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new Main(System.out, System.err).run(args));
    }

    /** Runs a command; returns the process exit code (0 ok, 1 solver failure, 2 usage error). */
    int run(String[] args) {
        try {
            if (args.length == 0) throw new UsageException("no command given");
            return switch (args[0]) {
                case "demo" -> demo();
                case "solve" -> solve(SolveArgs.parse(args));
                case "-h", "--help", "help" -> {
                    out.printf(USAGE, String.join(", ", Problems.names()));
                    yield 0;
                }
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException | IllegalArgumentException e) {
            err.println("sundials4j: " + e.getMessage());
            err.printf(USAGE, String.join(", ", Problems.names()));
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

    /** Parsed arguments of {@code solve}. */
    record SolveArgs(String problem, boolean json, Double rtol, Double atol) {
        static SolveArgs parse(String[] args) {
            if (args.length < 2) throw new UsageException("solve needs a problem name");
            boolean json = false;
            Double rtol = null, atol = null;
            for (int i = 2; i < args.length; i++) {
                switch (args[i]) {
                    case "--json" -> json = true;
                    case "--rtol" -> rtol = number(args, ++i, "--rtol");
                    case "--atol" -> atol = number(args, ++i, "--atol");
                    default -> throw new UsageException("unknown option '" + args[i] + "'");
                }
            }
            return new SolveArgs(args[1], json, rtol, atol);
        }

        private static double number(String[] args, int i, String flag) {
            if (i >= args.length) throw new UsageException(flag + " needs a value");
            try {
                return Double.parseDouble(args[i]);
            } catch (NumberFormatException e) {
                throw new UsageException(flag + " value '" + args[i] + "' is not a number");
            }
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
        OdeModel model = p.tapeModel();
        long t0 = System.nanoTime();
        Solution sol;
        String ls;
        try (CvodesSolver s = new CvodesSolver(model, o)) {
            ls = s.linearSolver().toString();
            sol = s.solve(p.initialState(), p.parameters(), p.outputTimes());
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
            out.println(Json.write(m));
        } else {
            printTable(p, sol);
            printStats(sol.statistics(), ls, millis);
        }
        return 0;
    }

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
        out.printf("steps %d, RHS evals %d, Jacobian evals %d, error-test fails %d, Newton iterations %d, "
                        + "convergence fails %d, last order %d, last step %.4g%n",
                s.steps(), s.rhsEvals(), s.jacobianEvals(), s.errorTestFailures(), s.nonlinearIterations(),
                s.convergenceFailures(), s.lastOrder(), s.lastStep());
        out.printf("linear solver %s, wall time %.2f ms (includes JIT warm-up)%n", ls, millis);
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
        out.printf("solve time: median %.1f us, min %.1f us over %d warm repetitions%n",
                times.get(times.size() / 2) / 1e3, times.get(0) / 1e3, times.size());
        return 0;
    }
}
