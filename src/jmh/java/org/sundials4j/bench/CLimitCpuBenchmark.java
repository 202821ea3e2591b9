package org.sundials4j.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.sundials4j.bench.compare.CLimit;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Problem;

/**
 * sundials4j against the C limit in thread CPU time, for a machine too loaded for wall-clock
 * medians (the bench's C-limit table): on two cores shared by a dozen processes, wall-clock ratios
 * of one run scattered by 2-4x, thread CPU time by 1-3 %. Per round: a batch of sundials4j solves and
 * adjoint gradients on the native replay and on the Java replay (solvers made once and reused, as
 * the bench does), one round of the C program ({@code climit_<problem>} from tests/c/build.sh, run
 * with CLIMIT_CLOCK=cpu: it times itself in thread CPU time too), and the native batches again (the lower of the two is kept). The ratio of each round is
 * sundials4j / C; printed are the medians over the rounds, with min and max.
 *
 * <p>usage: CLimitCpuBenchmark [--rounds R] [--c-dir DIR] problem... (rober, pollu, lotka-volterra)
 */
public final class CLimitCpuBenchmark {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private CLimitCpuBenchmark() {}

    /** Thread CPU seconds per run of {@code r}, over batches of at least {@code seconds} wall time. */
    static double cpuPerRun(Runnable r, double seconds) {
        long w0 = System.nanoTime(), c0 = THREADS.getCurrentThreadCpuTime();
        int n = 0;
        do {
            r.run();
            n++;
        } while (System.nanoTime() - w0 < seconds * 1e9);
        return (THREADS.getCurrentThreadCpuTime() - c0) / 1e9 / n;
    }

    /** The reused-integrator median of one task in the C program's JSON line. */
    public static void main(String[] args) throws Exception {
        int rounds = 7;
        Path dir = Path.of("target/c");
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--c-dir" -> dir = Path.of(args[++i]);
                default -> problems.add(args[i]);
            }
        }
        if (problems.isEmpty()) problems = List.of("rober", "pollu", "lotka-volterra");
        System.out.println("problem | native solve / C | Java solve / C | native adjoint / C | Java adjoint / C "
                + "| native solve, C solve | native adjoint, C adjoint (thread CPU, medians over " + rounds + " rounds [min, max])");
        for (String name : problems) {
            Path bin = dir.resolve("climit_" + name.replace('-', '_'));
            if (!Files.isExecutable(bin)) throw new IllegalStateException(bin + " is missing: run tests/bench-climit-cpu.sh");
            System.out.println(measure(name, bin, rounds));
        }
    }

    private static String measure(String name, Path bin, int rounds) throws Exception {
        Objective o = Objectives.byName(name);
        Problem p = o.problem();
        double[] y0 = p.initialState(), par = p.parameters(), times = p.outputTimes(), gt = o.times();
        SolverOptions so = o.options().withRtol(p.relativeTolerance()).withAtol(p.absoluteTolerances());
        List<AutoCloseable> own = new ArrayList<>();
        Runnable[] tasks = new Runnable[4]; // native solve, Java solve, native adjoint, Java adjoint
        for (int path = 0; path < 2; path++) {
            if (path == 1) System.setProperty("sundials4j.replay", "java");
            try {
                CvodesSolver s = new CvodesSolver(p.model(), so);
                GradientSolver g = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(),
                        o.sensitivity().withMethod(SensitivityMethod.ADJOINT));
                g.gradient(0, y0, par, gt); // makes its solvers now, on this path
                own.add(s);
                own.add(g);
                tasks[path] = () -> s.solve(0, y0, par, times);
                tasks[2 + path] = () -> g.gradient(0, y0, par, gt);
            } finally {
                System.clearProperty("sundials4j.replay");
            }
        }
        try {
            for (int w = 0; w < 3; w++) for (Runnable t : tasks) cpuPerRun(t, 0.2);
            double[][] r = new double[rounds][];
            for (int k = 0; k < rounds; k++) {
                double[] before = new double[4];
                for (int t = 0; t < 4; t++) before[t] = cpuPerRun(tasks[t], t < 2 ? 0.1 : 0.15);
                Map<String, Object> c = CLimit.run(bin, true, 0, 1, 0.08);
                double cs = CLimit.reusedMedian(c, "solve"), cg = CLimit.reusedMedian(c, "gradient");
                double ns = Math.min(before[0], cpuPerRun(tasks[0], 0.1)), ng = Math.min(before[2], cpuPerRun(tasks[2], 0.15));
                r[k] = new double[] {ns / cs, before[1] / cs, ng / cg, before[3] / cg, ns, cs, ng, cg};
            }
            StringBuilder b = new StringBuilder(name);
            for (int col = 0; col < 4; col++) b.append(" | ").append(summary(r, col, "%.2f×"));
            b.append(" | ").append(summary(r, 4, "%.1f µs", 1e6)).append(", ").append(summary(r, 5, "%.1f µs", 1e6));
            b.append(" | ").append(summary(r, 6, "%.2f ms", 1e3)).append(", ").append(summary(r, 7, "%.2f ms", 1e3));
            return b.toString();
        } finally {
            for (AutoCloseable c : own) c.close();
        }
    }

    private static String summary(double[][] rows, int col, String fmt) {
        return summary(rows, col, fmt, 1);
    }

    private static String summary(double[][] rows, int col, String fmt, double scale) {
        double[] v = new double[rows.length];
        for (int i = 0; i < v.length; i++) v[i] = rows[i][col] * scale;
        Arrays.sort(v);
        return String.format(Locale.ROOT, fmt + " [" + fmt + ", " + fmt + "]", v[v.length / 2], v[0], v[v.length - 1]);
    }
}
