package org.sundials4j.bench.compare;

import java.io.FileDescriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.sundials4j.cli.Usage;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;

/**
 * Side-by-side benchmark: sundials4j against Hipparchus and Commons Math on the problem set.
 * {@code [--quick] [--cpu-time] [--problems a,b,...] [--out dir] [--no-sweeps | --sweeps-only]}, then the
 * {@link Scaling} sweeps of the problems chosen (their PNG charts beside the report). Every
 * contender's first run is checked against the tight-tolerance reference; the process exits 1 if a finished answer is outside its band.
 * Timings are reported, never judged.
 */
public final class BenchMain {
    /** Reference tolerances per problem: the ones GradientAgreementTest shows to agree to 1e-6 across methods. */
    static final Object[][] PROBLEMS = {
            {"rober", 1e-10, 1e-14}, {"pollu", 1e-12, 1e-16}, {"lotka-volterra", 1e-12, 1e-14},
            {"advection-diffusion", 1e-10, 1e-13}, {"neural-ode", 1e-10, 1e-12}, {"brusselator-2d", 1e-11, 1e-14},
            {"pk-dosing", 1e-12, 1e-14}};

    /**
     * @param contenderSeconds measuring time one contender may use: slow runs get fewer rounds (at
     *                         least one), so that --quick stays a few minutes on two cores
     */
    record Settings(boolean quick, int warmups, int rounds, double batchSeconds, double timeLimit, long maxEvaluations,
                    double contenderSeconds, boolean cpuTime) {
        static Settings of(boolean quick) {
            return of(quick, false);
        }

        /**
         * @param cpuTime measured rounds in the thread's CPU time rather than wall time: on a machine
         *                shared with other load, wall-clock rounds scatter by 2-4x, CPU time by a few percent
         *                (it leaves out waiting for a core, and the JIT and GC threads' work)
         */
        static Settings of(boolean quick, boolean cpuTime) {
            return quick ? new Settings(true, 1, 3, 0.02, 1.5, 10_000_000L, 1.5, cpuTime)
                    : new Settings(false, 2, 9, 0.1, 20.0, 200_000_000L, 30.0, cpuTime);
        }

        /** The clock of the measured rounds, in nanoseconds. */
        long now() {
            return cpuTime ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** One contender's measurements and checked answer. */
    static final class Row {
        final Case.Contender contender;
        /** The tolerance rung a pure-Java row was timed at; null for rows at the task's setting. */
        Matching.Choice match;
        Outcome first;
        double error = Double.NaN;
        boolean ok = true;
        int iterations = 1;
        double firstSeconds;
        final List<Double> times = new ArrayList<>();

        Row(Case.Contender c) { this.contender = c; }

        double median() {
            double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            if (t.length == 0) return Double.NaN;
            return t.length % 2 == 1 ? t[t.length / 2] : 0.5 * (t[t.length / 2 - 1] + t[t.length / 2]);
        }

        /** Half the range of the measured rounds: with a handful of rounds, quartiles mean little. */
        double spread() {
            if (times.isEmpty()) return Double.NaN;
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (double t : times) { lo = Math.min(lo, t); hi = Math.max(hi, t); }
            return 0.5 * (hi - lo);
        }
    }

    record Result(Case c, List<Row> rows) {}

    public static void main(String[] args) throws IOException {
        // progress lines print times in µs: UTF-8 whatever the locale (see Usage.utf8)
        System.setOut(Usage.utf8(FileDescriptor.out));
        System.setErr(Usage.utf8(FileDescriptor.err));
        boolean quick = false, compare = true, scaling = true, cpuTime = false;
        List<String> names = new ArrayList<>();
        for (Object[] p : PROBLEMS) names.add((String) p[0]);
        Path out = Path.of("bench-report");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--cpu-time" -> cpuTime = true;
                case "--problems" -> names = Arrays.asList(args[++i].split(","));
                case "--out" -> out = Path.of(args[++i]);
                case "--no-sweeps" -> scaling = false;
                case "--sweeps-only" -> compare = false;
                case "-h", "--help" -> {
                    System.out.print(Usage.text());
                    return;
                }
                default -> {
                    System.err.println("bench: unknown option '" + args[i] + "'");
                    System.err.print(Usage.text());
                    System.exit(2);
                }
            }
        }
        Settings s = Settings.of(quick, cpuTime);
        long start = System.nanoTime();
        List<Result> results = new ArrayList<>();
        for (String name : compare ? names : List.<String>of()) {
            Object[] spec = Arrays.stream(PROBLEMS).filter(p -> p[0].equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown problem " + name));
            // Quick mode takes brusselator-2d at N = 8: forward sensitivities for 2N² initial states
            // cost ~20 s a run at the default N = 16.
            Objective o = name.equals("brusselator-2d") && quick ? Objectives.brusselator(8) : Objectives.byName(name);
            String label = name.equals("neural-ode") ? name + " (H=50)"
                    : name.equals("brusselator-2d") ? name + " (N=" + (quick ? 8 : 16) + ")" : name;
            System.err.printf("bench: %s ...%n", label);
            try (Case c = new Case(label, o, (Double) spec[1], (Double) spec[2])) {
                results.add(new Result(c, CLimit.around(c, s, () -> measure(c, s))));
            }
        }
        Files.createDirectories(out);
        Scaling sweeps = scaling ? Scaling.run(names, s, out) : null;
        double wall = (System.nanoTime() - start) / 1e9;
        String md = compare ? Report.markdown(results, s, wall) : "# sundials4j benchmark report\n\nScaling sweeps only.\n\n";
        String json = Report.json(results, s, wall);
        Files.writeString(out.resolve("report.md"), sweeps == null ? md : md + sweeps.markdown());
        Files.writeString(out.resolve("report.json"), sweeps == null ? json : sweeps.into(json));
        System.err.printf("bench: wrote %s/report.md and report.json (%.0f s)%n", out, wall);
        List<String> bad = new ArrayList<>();
        for (Result r : results)
            for (Row row : r.rows())
                if (!row.ok) bad.add(r.c().label + " / " + row.contender.name() + " " + row.contender.task()
                        + ": error " + fmt(row.error) + " > band " + fmt(row.contender.band()));
        if (!bad.isEmpty()) {
            bad.forEach(b -> System.err.println("bench: WRONG ANSWER " + b));
            System.exit(1);
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }

    static Outcome runOnce(Case.Contender c, Settings s, double limit) {
        try {
            return c.run().apply(new Budget(limit, s.maxEvaluations()));
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), 0, 0);
        }
    }

    /** A row's first run: checks the answer against its band and sizes the batch. */
    static Row firstRun(Row row, Case c, Settings s) {
        Case.Contender k = row.contender;
        long t0 = System.nanoTime();
        row.first = runOnce(k, s, s.timeLimit());
        row.firstSeconds = (System.nanoTime() - t0) / 1e9;
        if (row.first.finished()) {
            row.error = c.error(k.task(), row.first.answer());
            row.ok = row.error <= k.band();
            row.iterations = (int) Math.max(1, Math.min(100_000, Math.ceil(s.batchSeconds() / Math.max(row.firstSeconds, 1e-7))));
        }
        return row;
    }

    /**
     * First run of each contender (pure-Java ones at their matched tolerance, see {@link Matching})
     * checks its answer and sizes its batch; then warm-up and measured rounds interleave the
     * contenders, in a rotated order each round, so that drift in the machine (frequency, other
     * load) spreads over all of them rather than landing on one.
     */
    static List<Row> measure(Case c, Settings s) {
        List<Row> rows = new ArrayList<>();
        for (Case.Contender k : c.contenders) {
            Row row = k.ladder() == null ? firstRun(new Row(k), c, s)
                    : Matching.choose(c, k, Matching.target(rows, k.task()), s);
            System.err.printf("  %-32s %-8s %s%s%n", k.name(), k.task(),
                    row.first.finished() ? String.format(Locale.ROOT, "%.3g s, error %s", row.firstSeconds, fmt(row.error))
                            : "did not finish: " + row.first.failure(),
                    row.match == null ? "" : " [" + Matching.cell(row) + "]");
            rows.add(row);
        }
        List<Row> live = rows.stream().filter(r -> r.first.finished()).toList();
        for (int round = 0; round < s.warmups() + s.rounds(); round++) {
            for (int j = 0; j < live.size(); j++) {
                Row row = live.get((j + round) % live.size());
                // A run longer than the batch target was its own warm-up in the first run.
                boolean slow = row.firstSeconds > s.batchSeconds();
                int rounds = (int) Math.max(1, Math.min(s.rounds(), Math.floor(s.contenderSeconds() / row.firstSeconds)));
                int measured = round - s.warmups();
                if (slow && (measured < 0 || measured >= rounds)) continue;
                long t0 = s.now();
                for (int it = 0; it < row.iterations; it++) runOnce(row.contender, s, 10 * s.timeLimit());
                double t = (s.now() - t0) / 1e9 / row.iterations;
                if (round >= s.warmups()) row.times.add(t);
            }
        }
        return rows;
    }
}
