package org.sundials4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.sundials4j.ensemble.EnsembleResult;
import org.sundials4j.ensemble.OdeEnsemble;
import org.sundials4j.ode.Gradient;
import org.sundials4j.problems.PkDosing;
import org.sundials4j.problems.Rober;

/**
 * The population check: the summed gradient of a {@link Population} on Spark against the same
 * population on this machine's cores ({@link OdeEnsemble}), with wall times. Prints one JSON line;
 * exits 0 when the two sums have the same bits, 1 when they differ or members failed, 2 on bad
 * arguments.
 *
 * <pre>
 * PopulationJob --master spark://127.0.0.1:7077 [--population pk-dosing|rober] [--size 10000]
 *               [--partitions 16] [--threads 2]
 *               [--repeat 2] [--jars a.jar,b.jar] [--conf key=value]...
 * </pre>
 * {@code --jars} are shipped to the executors ({@code spark.jars}): the sundials4j API jar, its
 * natives jar, JavaCPP and this module's jar. {@code --repeat} runs each side that many times (the
 * first Spark run includes the executors' start-up work: class loading, native extraction, JIT).
 */
public final class PopulationJob {
    private PopulationJob() {
    }

    public static void main(String[] args) {
        String master = null, jars = null, population = PkDosing.NAME;
        int size = 10_000, partitions = 16, threads = Runtime.getRuntime().availableProcessors(), repeat = 1;
        List<String[]> conf = new ArrayList<>();
        try {
            for (int a = 0; a < args.length; a++) {
                String v = a + 1 < args.length ? args[a + 1] : null;
                switch (args[a]) {
                    case "--master" -> master = need(args[a], v);
                    case "--population" -> population = need(args[a], v);
                    case "--size" -> size = positive(args[a], need(args[a], v));
                    case "--partitions" -> partitions = positive(args[a], need(args[a], v));
                    case "--threads" -> threads = positive(args[a], need(args[a], v));
                    case "--repeat" -> repeat = positive(args[a], need(args[a], v));
                    case "--jars" -> jars = need(args[a], v);
                    case "--conf" -> {
                        String kv = need(args[a], v);
                        int eq = kv.indexOf('=');
                        if (eq <= 0) throw new IllegalArgumentException("--conf wants key=value, got " + kv);
                        conf.add(new String[] {kv.substring(0, eq), kv.substring(eq + 1)});
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[a]);
                }
                a++;
            }
            if (master == null) throw new IllegalArgumentException("--master is required");
            if (!population.equals(PkDosing.NAME) && !population.equals(Rober.NAME))
                throw new IllegalArgumentException("--population is pk-dosing or rober, got " + population);
        } catch (IllegalArgumentException e) {
            System.err.println("PopulationJob: " + e.getMessage());
            System.exit(2);
            return;
        }
        Population pop = population.equals(Rober.NAME) ? Population.rober(size) : Population.pkDosing(size);
        System.exit(run(pop, master, jars, conf, partitions, threads, repeat) ? 0 : 1);
    }

    private static boolean run(Population pop, String master, String jars, List<String[]> conf, int partitions,
                               int threads, int repeat) {
        int size = pop.size();
        long[] localNanos = new long[repeat];
        double[] local = null;
        int localFailures = 0;
        try (OdeEnsemble ens = pop.localEnsemble(threads)) {
            for (int r = 0; r < repeat; r++) {
                EnsembleResult<Gradient> res = ens.gradients(pop.members());
                localNanos[r] = res.wallNanos();
                local = res.sum();
                localFailures = res.failures().size();
            }
        }
        SparkConf sc = new SparkConf().setMaster(master).setAppName("sundials4j-population-" + size);
        if (jars != null) sc.set("spark.jars", jars);
        for (String[] kv : conf) sc.set(kv[0], kv[1]);
        long t0 = System.nanoTime();
        long contextNanos;
        long[] sparkNanos = new long[repeat];
        SparkSum spark = null;
        try (JavaSparkContext ctx = new JavaSparkContext(sc)) {
            contextNanos = System.nanoTime() - t0;
            for (int r = 0; r < repeat; r++) {
                long s = System.nanoTime();
                spark = SparkEnsemble.sumByIndex(ctx, size, partitions, pop::newSolver,
                        (solver, i, ignored) -> pop.gradient(solver, i), false);
                sparkNanos[r] = System.nanoTime() - s;
            }
        }
        double[] remote = spark.sum();
        boolean same = Arrays.equals(bits(local), bits(remote));
        double maxRel = 0;
        for (int i = 0; local != null && remote != null && i < local.length; i++)
            maxRel = Math.max(maxRel, Math.abs(local[i] - remote[i]) / Math.max(Math.abs(local[i]), Double.MIN_NORMAL));
        System.out.println(String.format(Locale.ROOT,
                "{\"job\":\"%s-population\",\"master\":\"%s\",\"size\":%d,\"partitions\":%d,\"threads\":%d,"
                        + "\"localMillis\":%s,\"sparkContextMillis\":%.1f,\"sparkMillis\":%s,\"bitIdentical\":%b,"
                        + "\"maxRelativeDifference\":%s,\"summed\":%d,\"failures\":%d,\"localFailures\":%d,"
                        + "\"localSum\":%s,\"sparkSum\":%s}",
                pop.objective(), master, size, partitions, threads, millis(localNanos), contextNanos / 1e6, millis(sparkNanos), same,
                maxRel, spark.summed(), spark.failures().size(), localFailures, json(local), json(remote)));
        return same && spark.failures().isEmpty() && localFailures == 0;
    }

    private static long[] bits(double[] v) {
        return v == null ? null : Arrays.stream(v).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    private static String millis(long[] nanos) {
        return Arrays.stream(nanos).mapToObj(n -> String.format(Locale.ROOT, "%.1f", n / 1e6))
                .collect(Collectors.joining(",", "[", "]"));
    }

    /** Doubles as JSON numbers with every bit kept (Java's shortest round-trip form). */
    private static String json(double[] v) {
        return v == null ? "null" : Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static String need(String option, String value) {
        if (value == null) throw new IllegalArgumentException(option + " needs a value");
        return value;
    }

    private static int positive(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n < 1) throw new IllegalArgumentException(option + " must be at least 1, got " + value);
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " wants an integer, got " + value);
        }
    }
}
