package org.sundials4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.sundials4j.cli.progress.ProgressBars;
import org.sundials4j.cli.progress.SolveProgress;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.sbml.LossGradient;
import org.sundials4j.sbml.SbmlException;
import org.sundials4j.sbml.SbmlImporter;
import org.sundials4j.sbml.SbmlModel;
import org.sundials4j.sbml.TimeCourse;
import org.sundials4j.sbml.Variable;
import org.sundials4j.sbml.suite.CaseResult;
import org.sundials4j.sbml.suite.CaseSettings;
import org.sundials4j.sbml.suite.ExpectedResults;
import org.sundials4j.sbml.suite.SuiteReport;
import org.sundials4j.sbml.suite.SuiteRunner;

/**
 * The {@code sbml} and {@code sbml-suite} commands. JSON keys are a stable interface, as for
 * {@code solve}: keys are only ever added.
 */
final class SbmlCommands {
    static final String USAGE = """
            usage: sundials4j sbml MODEL.xml [--start T0] [--duration T] [--steps N] [--variables a,b]
                                  [--settings NNNNN-settings.txt] [--rtol R] [--atol A] [--json]
                   sundials4j sbml MODEL.xml --data obs.csv [--params k1,k2] [--sens forward|adjoint|auto|fd]
                                  [--rtol R] [--atol A] [--json]
                   sundials4j sbml-suite DIR [--out REPORT_DIR] [--expect PASSES_FILE] [--write-passes FILE]
            """;

    private final PrintStream out;
    private final PrintStream err;

    /** Whether to show a progress bar given {@code --json} (see {@code ProgressBars#shown}). */
    private final Predicate<Boolean> progressShown;

    SbmlCommands(PrintStream out, PrintStream err) {
        this(out, err, ProgressBars::shown);
    }

    SbmlCommands(PrintStream out, PrintStream err, Predicate<Boolean> progressShown) {
        this.out = out;
        this.err = err;
        this.progressShown = progressShown;
    }

    /** {@code sbml ...}: exit 0 ok, 1 model refused or solve failed, 2 usage. */
    int sbml(String[] args) {
        if (args.length < 2 || args[1].startsWith("--")) return usage("sbml needs a model file");
        Path file = Path.of(args[1]);
        Map<String, String> o;
        try {
            o = options(args, 2, Set.of("--start", "--duration", "--steps", "--variables", "--settings", "--rtol",
                    "--atol", "--data", "--params", "--sens"), Set.of("--json"));
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            long t0 = System.nanoTime();
            SbmlModel model = SbmlImporter.read(file);
            double rtol = number(o, "--rtol", 1e-8), atol = number(o, "--atol", 1e-12);
            SolverOptions opts = SolverOptions.defaults().withTolerances(rtol, atol).withMaxSteps(1_000_000)
                    .withLinearSolver(LinearSolver.auto());
            if (o.containsKey("--data")) return gradient(model, o, opts, t0);
            double start = number(o, "--start", 0), duration = number(o, "--duration", 10);
            int steps = (int) number(o, "--steps", 100);
            List<Variable> vars = model.defaultVariables();
            if (o.containsKey("--settings")) {
                CaseSettings s = CaseSettings.read(Path.of(o.get("--settings")));
                start = s.start();
                duration = s.duration();
                steps = s.steps();
                vars = s.variables();
                opts = opts.withTolerances(Math.min(rtol, s.relative() / SuiteRunner.TIGHTENING),
                        Math.min(atol, s.absolute() / SuiteRunner.TIGHTENING));
            }
            if (o.containsKey("--start")) start = number(o, "--start", 0);
            if (o.containsKey("--duration")) duration = number(o, "--duration", 10);
            if (o.containsKey("--steps")) steps = (int) number(o, "--steps", 100);
            if (o.containsKey("--variables")) vars = variables(o.get("--variables"));
            double[] times = SbmlModel.uniformTimes(start, duration, steps);
            TimeCourse tc;
            try (SolveProgress bar = SolveProgress.open("sbml " + model.id(),
                    times[0], times[times.length - 1], progressShown.test(o.containsKey("--json")), err)) {
                tc = model.simulate(times, vars, opts, bar.listener());
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            if (o.containsKey("--json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", model.id());
                m.put("times", tc.times());
                m.put("variables", tc.variables().stream().map(Variable::id).toList());
                m.put("states", tc.values());
                m.put("stats", tc.statistics() == null ? null : Main.stats(tc.statistics()));
                m.put("rtol", opts.rtol());
                m.put("atol", opts.atol()[0]);
                m.put("wallMillis", millis);
                if (!tc.events().isEmpty())
                    m.put("events", Main.events(tc.events()));
                out.println(Json.write(m));
            } else {
                StringBuilder h = new StringBuilder("time");
                for (Variable v : tc.variables()) h.append(',').append(v.id());
                out.println(h);
                for (int k = 0; k < tc.times().length; k++) {
                    StringBuilder r = new StringBuilder(String.valueOf(tc.times()[k]));
                    for (double v : tc.values()[k]) r.append(',').append(v);
                    out.println(r);
                }
            }
            return 0;
        } catch (SbmlException e) {
            err.println("sundials4j: " + e.getMessage());
            return 1;
        } catch (SolverException e) {
            err.println("sundials4j: solve failed: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
    }

    private int gradient(SbmlModel model, Map<String, String> o, SolverOptions opts, long t0) {
        ExpectedResults data = ExpectedResults.read(Path.of(o.get("--data")));
        if (data.columns().isEmpty() || !data.columns().get(0).equalsIgnoreCase("time"))
            throw new IllegalArgumentException("--data: the first column must be 'time'");
        List<Variable> vars = new ArrayList<>();
        for (String c : data.columns().subList(1, data.columns().size())) vars.add(Variable.value(c));
        double[] times = new double[data.rows().length];
        double[][] obs = new double[times.length][];
        for (int k = 0; k < times.length; k++) {
            times[k] = data.rows()[k][0];
            obs[k] = java.util.Arrays.copyOfRange(data.rows()[k], 1, data.rows()[k].length);
        }
        List<String> params = o.containsKey("--params") ? list(o.get("--params")) : model.parameterIds();
        SensitivityMethod method = Main.SolveArgs.method(new String[] {o.getOrDefault("--sens", "auto")}, 0);
        SensitivityOptions sens = SensitivityOptions.defaults().withMethod(method)
                .withBackwardTolerances(opts.rtol(), opts.atol()[0]).withQuadratureTolerances(opts.rtol(), opts.atol()[0]);
        LossGradient g = model.lossGradient(times, model.declaredValues(), vars, obs, params, opts, sens);
        double millis = (System.nanoTime() - t0) / 1e6;
        String used = g.solverGradient() == null ? "NONE" : g.solverGradient().method().name();
        if (o.containsKey("--json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model.id());
            m.put("loss", g.loss());
            m.put("params", g.wrt());
            m.put("gradient", g.gradient());
            m.put("method", used);
            m.put("stats", g.solverGradient() == null ? null : Main.stats(g.solverGradient().solution().statistics()));
            m.put("rtol", opts.rtol());
            m.put("atol", opts.atol()[0]);
            m.put("wallMillis", millis);
            out.println(Json.write(m));
        } else {
            out.printf(Locale.ROOT, "loss %.12e (method %s, %.1f ms)%n", g.loss(), used, millis);
            for (int j = 0; j < g.wrt().size(); j++)
                out.printf(Locale.ROOT, "dL/d%-20s %.12e%n", g.wrt().get(j), g.gradient()[j]);
        }
        return 0;
    }

    /** {@code sbml-suite DIR}: exit 0 when every expected pass passed, 1 otherwise, 2 usage. */
    int suite(String[] args) {
        if (args.length < 2 || args[1].startsWith("--")) return usage("sbml-suite needs a directory of cases");
        Map<String, String> o;
        try {
            o = options(args, 2, Set.of("--out", "--expect", "--write-passes"), Set.of());
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        Path dir = Path.of(args[1]);
        if (!Files.isDirectory(dir)) return usage("'" + dir + "' is not a directory");
        long start = System.nanoTime();
        SuiteRunner runner = SuiteRunner.forDirectory(dir);
        List<CaseResult> results = new ArrayList<>();
        for (Path c : SuiteRunner.caseDirectories(dir)) results.add(runner.run(c));
        SuiteReport report = new SuiteReport(results, (System.nanoTime() - start) / 1e9);
        Path outDir = Path.of(o.getOrDefault("--out", "sbml-suite-report"));
        try {
            Files.createDirectories(outDir);
            Files.writeString(outDir.resolve("report.md"), report.markdown());
            Files.writeString(outDir.resolve("report.tsv"), report.tsv());
            if (o.containsKey("--write-passes"))
                Files.writeString(Path.of(o.get("--write-passes")), "# SBML Test Suite cases that pass; sbml-suite --expect "
                        + "fails if any of them stops passing.\n# Written by: sundials4j sbml-suite " + dir + " --write-passes FILE\n"
                        + String.join("\n", report.passedIds()) + "\n");
        } catch (IOException e) {
            err.println("sundials4j: cannot write the report: " + e.getMessage());
            return 1;
        }
        out.println(report.summary());
        out.println("report: " + outDir.resolve("report.md"));
        if (!o.containsKey("--expect")) return 0;
        Set<String> expected;
        try {
            expected = new TreeSet<>();
            for (String line : Files.readAllLines(Path.of(o.get("--expect"))))
                if (!line.isBlank() && !line.startsWith("#")) expected.add(line.trim());
        } catch (IOException e) {
            return usage("--expect: cannot read " + o.get("--expect") + ": " + e.getMessage());
        }
        Set<String> seen = new TreeSet<>();
        List<String> regressions = new ArrayList<>();
        for (CaseResult r : results) {
            seen.add(r.id());
            if (expected.contains(r.id()) && r.status() != CaseResult.Status.PASSED)
                regressions.add(r.id() + " " + r.status() + ": " + r.detail());
        }
        for (String id : expected) if (!seen.contains(id)) regressions.add(id + " missing from " + dir);
        if (regressions.isEmpty()) {
            out.println("all " + expected.size() + " expected passes passed");
            return 0;
        }
        err.println("sundials4j: " + regressions.size() + " expected passes regressed:");
        for (String r : regressions) err.println("  " + r);
        return 1;
    }

    private int usage(String message) {
        err.println("sundials4j: " + message);
        err.print(USAGE);
        return 2;
    }

    private static Map<String, String> options(String[] args, int from, Set<String> valued, Set<String> flags) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = from; i < args.length; i++) {
            if (flags.contains(args[i])) o.put(args[i], "");
            else if (valued.contains(args[i])) {
                if (i + 1 >= args.length) throw new IllegalArgumentException(args[i] + " needs a value");
                o.put(args[i], args[++i]);
            } else throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
        return o;
    }

    private static double number(Map<String, String> o, String flag, double fallback) {
        String v = o.get(flag);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " value '" + v + "' is not a number");
        }
    }

    private static List<String> list(String s) {
        List<String> l = new ArrayList<>();
        for (String x : s.split(",")) if (!x.isBlank()) l.add(x.trim());
        return l;
    }

    private static List<Variable> variables(String s) {
        return list(s).stream().map(Variable::value).toList();
    }
}
