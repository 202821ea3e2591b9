package org.sundials4j.bench.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.sundials4j.cli.JsonParser;

/**
 * The "C limit" contenders: the same solve and checkpointed adjoint gradient as sundials4j, made by
 * hand-written C callbacks on the same SUNDIALS build ({@code tests/c/climit*.c}, built into
 * {@code target/c} by {@code tests/c/build.sh}), for rober, pollu and lotka-volterra. The C program
 * times itself (one warm-up and then as many measured rounds as the Java contenders get, each round
 * a batch of runs), just before and just after the Java rounds of the problem, and prints its
 * answers; its rows are checked against the same references and bands as every other contender.
 * Two timings per task: the integrator made once and reused, as the harness keeps its sundials4j
 * solvers, and made, run and freed per run.
 *
 * <p>The binaries' directory is {@code target/c} (relative to the working directory) unless the
 * system property {@value #DIR_PROPERTY} says otherwise. A missing or failing binary gives one row
 * saying so, not an exception.
 */
public final class CLimit {
    static final String FAMILY = "C limit";
    static final String DIR_PROPERTY = "sundials4j.c.dir";
    private static final Set<String> PROBLEMS = Set.of("rober", "pollu", "lotka-volterra");
    /** The targets (issue 13) for native sundials4j / C: adjoint and solve. */
    private static final Map<String, Double> ADJOINT_TARGETS = Map.of("pollu", 1.2, "rober", 1.3, "lotka-volterra", 1.3);
    private static final Map<String, Double> SOLVE_TARGETS = Map.of("rober", 1.1, "lotka-volterra", 1.3);
    static final String NOT_BUILT = FAMILY + ": not built", FAILED = FAMILY + ": failed";

    private CLimit() {}

    /** Whether a problem has a C limit program (and so Java-replay rows beside the native ones). */
    static boolean covers(String problem) {
        return PROBLEMS.contains(problem);
    }

    static boolean is(Case.Contender c) {
        return c.name().startsWith(FAMILY);
    }

    /**
     * Runs the Java measurements of {@code c} between two runs of its C program (none for problems
     * without one) and returns the Java rows followed by the C rows. Load from other work on a shared
     * machine comes and goes: each C row keeps the quieter (lower median) of the two runs, as
     * tests/bench-callbacks.sh does.
     */
    static List<BenchMain.Row> around(Case c, BenchMain.Settings s, Supplier<List<BenchMain.Row>> javaRows) {
        String name = c.problem.name();
        if (!PROBLEMS.contains(name)) return javaRows.get();
        Path bin = Path.of(System.getProperty(DIR_PROPERTY, "target/c"), "climit_" + name.replace('-', '_'));
        if (!Files.isExecutable(bin)) {
            List<BenchMain.Row> rows = new ArrayList<>(javaRows.get());
            rows.add(unavailable(NOT_BUILT, bin + " is missing; tests/c/build.sh builds it (needs gcc)"));
            System.err.printf("  %-32s %s%n", NOT_BUILT, bin);
            return rows;
        }
        Object before = tryRun(bin, s);
        List<BenchMain.Row> rows = new ArrayList<>(javaRows.get());
        Object after = tryRun(bin, s);
        if (before instanceof String && after instanceof String) {
            rows.add(unavailable(FAILED, (String) after));
            System.err.printf("  %-32s %s%n", FAILED, after);
            return rows;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> runs = Stream.of(before, after).filter(Map.class::isInstance)
                .map(m -> (Map<String, Object>) m).toList();
        String method = (String) runs.get(0).get("method");
        rows.add(row(c, FAMILY + " " + method, Case.SOLVE, runs, "solve", "reused", "y_final"));
        rows.add(row(c, FAMILY + " " + method + " (create+solve+free)", Case.SOLVE, runs, "solve", "created", "y_final"));
        rows.add(row(c, FAMILY + " adjoint", Case.GRADIENT, runs, "gradient", "reused", "gradient"));
        rows.add(row(c, FAMILY + " adjoint (create+solve+free)", Case.GRADIENT, runs, "gradient", "created", "gradient"));
        return rows;
    }

    /** The C program's JSON, or why it failed. */
    private static Object tryRun(Path bin, BenchMain.Settings s) {
        try {
            return run(bin, s);
        } catch (IOException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static Map<String, Object> run(Path bin, BenchMain.Settings s) throws IOException, InterruptedException {
        double batch = Math.max(s.batchSeconds(), 0.05);
        return run(bin, s.cpuTime(), 0, s.rounds(), batch);
    }

    /**
     * Runs the C program {@code bin} ({@code runs} per round, 0: sized; {@code rounds}; {@code batch}
     * seconds per round) and returns its JSON. {@code cpuClock}: it times itself in thread CPU time
     * (CLIMIT_CLOCK=cpu, tests/c/climit.h), as the sundials4j rows it is compared with are then.
     */
    public static Map<String, Object> run(Path bin, boolean cpuClock, int runs, int rounds, double batch)
            throws IOException, InterruptedException {
        ProcessBuilder b = new ProcessBuilder(bin.toString(), Integer.toString(runs), Integer.toString(rounds), Double.toString(batch))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        if (cpuClock) b.environment().put("CLIMIT_CLOCK", "cpu");
        else b.environment().remove("CLIMIT_CLOCK");
        Process p = b.start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(bin + " did not finish in 600 s");
        }
        if (p.exitValue() != 0) throw new IOException(bin + " exited with " + p.exitValue());
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonParser.parse(out);
        return json;
    }

    /** The reused-integrator median seconds of {@code task} ("solve" or "gradient") in a C program's JSON. */
    @SuppressWarnings("unchecked")
    public static double reusedMedian(Map<String, Object> json, String task) {
        Map<String, Object> t = (Map<String, Object>) json.get(task);
        Object m = t == null ? null : ((Map<String, Object>) t.get("reused")).get("median_s");
        if (!(m instanceof Number)) throw new IllegalStateException("no " + task + " timing in the C program's output: " + json);
        return ((Number) m).doubleValue();
    }

    private static BenchMain.Row unavailable(String name, String why) {
        BenchMain.Row r = new BenchMain.Row(new Case.Contender(name, "solve, gradient", Double.NaN, false,
                b -> Outcome.failed(why, 0, 0)));
        r.first = Outcome.failed(why, 0, 0);
        return r;
    }

    /** The row of one task and timing, from the run of the C program with the lower median. */
    private static BenchMain.Row row(Case c, String name, String task, List<Map<String, Object>> runs, String taskKey,
                                     String timing, String key) {
        Map<String, Object> t = null;
        for (Map<String, Object> run : runs) {
            Map<String, Object> candidate = obj(run, taskKey);
            if (t == null || num(obj(candidate, timing).get("median_s")) < num(obj(t, timing).get("median_s"))) t = candidate;
        }
        double[] answer = doubles(t.get(key));
        Outcome o = Outcome.done(answer, t.containsKey("loss") ? num(t.get("loss")) : Double.NaN,
                (long) num(t.get("steps")), (long) num(t.get("rhs_evals")));
        double band = task.equals(Case.SOLVE) ? Case.SOLVE_BAND : Case.GRADIENT_BAND * c.gradientRtol;
        BenchMain.Row r = new BenchMain.Row(new Case.Contender(name, task, band, false, b -> o));
        r.first = o;
        Map<String, Object> tm = obj(t, timing);
        for (double v : doubles(tm.get("times_s"))) r.times.add(v);
        r.iterations = (int) num(tm.get("runs_per_round"));
        r.firstSeconds = r.median();
        r.error = c.error(task, answer);
        r.ok = r.error <= band;
        System.err.printf("  %-32s %-8s %s, error %s%n", name, task, Report.time(r.median()), BenchMain.fmt(r.error));
        return r;
    }

    /**
     * Markdown: sundials4j against the C limit per problem (solve: the sundials4j solve row against
     * the reused C solve; gradient: sundials4j adjoint against the reused C adjoint). Empty when no
     * problem has C limit rows.
     */
    static String summary(List<BenchMain.Result> results) {
        StringBuilder b = new StringBuilder();
        for (BenchMain.Result r : results) {
            List<BenchMain.Row> c = r.rows().stream().filter(x -> is(x.contender)).toList();
            if (c.isEmpty()) continue;
            if (b.isEmpty()) {
                b.append("## sundials4j against the C limit\n\n");
                b.append("The same CVODES solve and checkpointed adjoint gradient with hand-written C callbacks "
                        + "(tests/c/climit*.c, integrator reused as sundials4j's is); ratio = sundials4j / C, medians. "
                        + "Native: the tape replayed in C inside the solver (the default); Java: the same solvers with "
                        + "-Dsundials4j.replay=java, every callback crossing into the Java replay. "
                        + "Per RHS eval: the native adjoint ratio per (forward + backward) RHS evaluation, for when rounding "
                        + "makes the two take different steps. The C program times itself just before and just after "
                        + "the Java rounds of its problem; each C row keeps the quieter run.\n\n");
                b.append("| problem | native solve | Java solve | C solve | ratio native / Java | native adjoint "
                        + "| Java adjoint | C adjoint | ratio native / Java | per RHS eval | target | C answers |\n");
                b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            }
            String problem = r.c().problem.name();
            BenchMain.Row cs = find(c, Case.SOLVE), cg = find(c, Case.GRADIENT);
            if (cs == null || cg == null) {
                BenchMain.Row u = c.get(0);
                b.append("| ").append(r.c().label).append(" | ").append(Report.time(sundials(r.rows(), Case.SOLVE)))
                        .append(" | ").append(u.contender.name()).append(" | – | ")
                        .append(Report.time(sundials(r.rows(), Case.GRADIENT))).append(" | – | – | – | ")
                        .append(target(problem, Double.NaN, Double.NaN)).append(" | – |\n");
                continue;
            }
            double js = sundials(r.rows(), Case.SOLVE), jg = sundials(r.rows(), Case.GRADIENT);
            double xs = javaReplay(r.rows(), Case.SOLVE), xg = javaReplay(r.rows(), Case.GRADIENT);
            double rs = js / cs.median(), rg = jg / cg.median();
            BenchMain.Row ja = sundialsRow(r.rows(), Case.GRADIENT);
            double perEval = ja == null ? Double.NaN
                    : rg * cg.first.rhsEvals() / Math.max(1, ja.first.rhsEvals());
            boolean ok = c.stream().allMatch(x -> x.ok);
            b.append("| ").append(r.c().label).append(" | ").append(Report.time(js)).append(" | ").append(Report.time(xs))
                    .append(" | ").append(Report.time(cs.median())).append(" | ").append(ratio(rs)).append(" / ")
                    .append(ratio(xs / cs.median())).append(" | ").append(Report.time(jg)).append(" | ")
                    .append(Report.time(xg)).append(" | ").append(Report.time(cg.median())).append(" | ").append(ratio(rg))
                    .append(" / ").append(ratio(xg / cg.median())).append(" | ").append(ratio(perEval)).append(" | ")
                    .append(target(problem, rs, rg)).append(" | ").append(ok ? "within band" : "WRONG").append(" |\n");
        }
        if (!b.isEmpty()) b.append('\n');
        return b.append(nativeShares(results)).toString();
    }

    /** The share of each sundials4j row's callbacks the native replay answered (its last run). */
    private static String nativeShares(List<BenchMain.Result> results) {
        StringBuilder b = new StringBuilder();
        for (BenchMain.Result r : results) {
            for (Map.Entry<String, org.sundials4j.ode.ReplayStatistics> e : r.c().paths.entrySet()) {
                if (b.isEmpty()) {
                    b.append("## Native replay share\n\nCallbacks of each sundials4j row's last run answered by the native "
                            + "tape replay / served in Java, and why the replay was off if it was. Sweeps/pair: the adjoint "
                            + "rows' reverse tape sweeps per backward fB/fQB pair (one backward point). Engine: native-jit "
                            + "(compiled recordings), native-interpreter or java (ReplayStatistics.path()).\n\n");
                    b.append("| problem | row | native | Java | native share | sweeps/pair | engine | off because |\n"
                            + "|---|---|---|---|---|---|---|---|\n");
                }
                org.sundials4j.ode.ReplayStatistics st = e.getValue();
                double spp = st.sweepsPerPair();
                b.append("| ").append(r.c().label).append(" | ").append(e.getKey()).append(" | ")
                        .append(st.nativeEvaluations()).append(" | ").append(st.javaEvaluations()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.1f %%", 100 * st.nativeShare())).append(" | ")
                        .append(Double.isNaN(spp) ? "–" : String.format(Locale.ROOT, "%.2f", spp)).append(" | ")
                        .append(st.path()).append(" | ")
                        .append(st.javaReason() != null ? st.javaReason() : st.available() ? "–"
                                : e.getKey().contains("(Java replay)") ? "Java replay asked for"
                                : "no tape to replay (a model written on double[])")
                        .append(" |\n");
            }
        }
        return b.isEmpty() ? "" : b.append('\n').toString();
    }

    /** The Java-replay twin of sundials4j's solve or adjoint row (median; NaN if absent or unfinished). */
    private static double javaReplay(List<BenchMain.Row> rows, String task) {
        for (BenchMain.Row r : rows) {
            Case.Contender k = r.contender;
            if (k.task().equals(task) && r.first.finished() && k.name().endsWith(Case.JAVA_REPLAY)) return r.median();
        }
        return Double.NaN;
    }

    private static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f×", v) : "–";
    }

    private static String target(String problem, double solveRatio, double adjointRatio) {
        String a = goal("solve", SOLVE_TARGETS.get(problem), solveRatio), g = goal("adjoint", ADJOINT_TARGETS.get(problem), adjointRatio);
        return a == null && g == null ? "–" : a == null ? g : g == null ? a : a + "; " + g;
    }

    private static String goal(String what, Double t, double ratio) {
        if (t == null) return null;
        String goal = String.format(Locale.ROOT, "%s ≤ %.2f×", what, t);
        return Double.isFinite(ratio) ? goal + (ratio <= t ? ": met" : ": missed") : goal;
    }

    /** The first reused (not create+solve+free) C limit row of a task. */
    private static BenchMain.Row find(List<BenchMain.Row> c, String task) {
        for (BenchMain.Row r : c)
            if (r.contender.task().equals(task) && r.first.finished() && !r.contender.name().contains("create"))
                return r;
        return null;
    }

    /** sundials4j's solve, or its adjoint gradient (median; NaN if it did not finish). */
    private static double sundials(List<BenchMain.Row> rows, String task) {
        BenchMain.Row r = sundialsRow(rows, task);
        return r == null ? Double.NaN : r.median();
    }

    /** The CVODES solve row on the native path (the C limit is CVODES; an ERK row may be the target instead). */
    private static boolean isCvodesSolve(Case.Contender k) {
        return k.name().startsWith("sundials4j ") && !k.name().endsWith(Case.JAVA_REPLAY) && !k.name().equals(ErkRows.SOLVE_NAME);
    }

    private static BenchMain.Row sundialsRow(List<BenchMain.Row> rows, String task) {
        String name = task.equals(Case.SOLVE) ? null : "sundials4j adjoint";
        for (BenchMain.Row r : rows) {
            Case.Contender k = r.contender;
            if (!k.task().equals(task) || !r.first.finished()) continue;
            if (name == null ? isCvodesSolve(k) : k.name().equals(name)) return r;
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> obj(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Map)) throw new IllegalStateException("C limit JSON has no object \"" + key + "\"");
        return (Map<String, Object>) v;
    }

    /** A number of the C line; null stands for a non-finite answer value (JSON has no NaN). */
    private static double num(Object v) {
        if (v == null) return Double.NaN;
        if (!(v instanceof Double d)) throw new IllegalStateException("C limit JSON: expected a number, got " + v);
        return d;
    }

    static double[] doubles(Object v) {
        if (!(v instanceof List<?> l)) throw new IllegalStateException("C limit JSON: expected an array, got " + v);
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = num(l.get(i));
        return a;
    }
}
