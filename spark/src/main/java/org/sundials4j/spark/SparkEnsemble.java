package org.sundials4j.spark;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.sundials4j.ensemble.EnsembleException;
import org.sundials4j.ensemble.MemberFailure;
import scala.Tuple2;

/**
 * An ensemble over a Spark cluster: members partitioned across executors, one worker (solver) per
 * task made on the task's thread and closed when the task ends, member vectors summed per partition
 * and the partial sums combined by {@code treeAggregate}.
 *
 * <pre>{@code
 * SparkSum s = SparkEnsemble.sumByIndex(sc, 10_000, 64,
 *         population::newSolver,                         // a WorkerFactory: runs on the executor
 *         (solver, i, ignored) -> population.gradient(solver, i));
 * GradientSum total = GradientSum.unpack(s.sum(), 3, 3, s.summed());
 * }</pre>
 *
 * <p><b>Order of the sum.</b> Vectors are added in the fixed pairwise tree of
 * {@link org.sundials4j.ensemble.TreeSum} over the member index: node {@code (L, j)} is the sum of
 * members {@code j·2^L … (j+1)·2^L - 1}, left half plus right half. A partition sums the nodes its
 * members complete; the tree aggregation then merges partial sums in whatever order Spark chooses,
 * and merging only ever adds tree siblings. So the result has the same bits as the local
 * {@link org.sundials4j.ensemble.Ensemble} with any thread count, for any partitioning, tree depth
 * or executor count, provided each member's vector is itself the same (same natives jar, JDK and
 * CPU kind on every executor).
 *
 * <p><b>Natives.</b> The executors load the JNI library from the natives jar on their classpath
 * through JavaCPP's Loader the first time a solver is made (extracted once per machine into
 * {@code ~/.javacpp/cache}).
 */
public final class SparkEnsemble {
    /** Spark's own default depth of {@code treeAggregate}. */
    public static final int DEFAULT_DEPTH = 2;

    private SparkEnsemble() {
    }

    /**
     * Sums {@code fn(worker, index, member)} over an RDD of {@code (index, member)} pairs, indices
     * {@code 0..size-1}, each exactly once. A member whose function throws is left out and reported
     * in {@link SparkSum#failures()}; with {@code failFast} it fails its task instead, and Spark ends
     * the job once the task has failed {@code spark.task.maxFailures} times.
     */
    public static <W, M> SparkSum sum(JavaPairRDD<Integer, M> members, int size, WorkerFactory<W> workers,
                                      MemberVector<W, M> fn, boolean failFast) {
        return members.mapPartitions(it -> List.of(partition(it, size, workers, fn, failFast)).iterator())
                .treeAggregate(new SparkSum(size), SparkSum::merge, SparkSum::merge, DEFAULT_DEPTH);
    }

    /**
     * As {@link #sum}, for members known by their index alone (each executor regenerates member
     * {@code i}'s inputs, as a {@link org.sundials4j.ensemble.LogNormalPopulation} does): only the
     * {@code partitions} index ranges travel, as contiguous blocks of {@code ⌈size/partitions⌉}.
     */
    public static <W> SparkSum sumByIndex(JavaSparkContext sc, int size, int partitions, WorkerFactory<W> workers,
                                          MemberVector<W, Integer> fn, boolean failFast) {
        if (size < 0) throw new IllegalArgumentException("size = " + size + " < 0");
        if (partitions < 1) throw new IllegalArgumentException("partitions = " + partitions + " < 1");
        int block = Math.max(1, (int) Math.ceil(size / (double) partitions));
        List<int[]> ranges = new ArrayList<>();
        for (int lo = 0; lo < size; lo += block) ranges.add(new int[] {lo, Math.min(size, lo + block)});
        if (ranges.isEmpty()) return new SparkSum(0);
        return sc.parallelize(ranges, ranges.size())
                .mapPartitions(it -> List.of(partition(indices(it), size, workers, fn, failFast)).iterator())
                .treeAggregate(new SparkSum(size), SparkSum::merge, SparkSum::merge, DEFAULT_DEPTH);
    }

    /** One task: a worker for this task's thread, the partition's members, the worker closed. */
    static <W, M> SparkSum partition(Iterator<Tuple2<Integer, M>> members, int size, WorkerFactory<W> workers,
                                     MemberVector<W, M> fn, boolean failFast) throws Exception {
        SparkSum partial = new SparkSum(size);
        if (!members.hasNext()) return partial;
        W worker = workers.create();
        try {
            while (members.hasNext()) {
                Tuple2<Integer, M> m = members.next();
                int index = m._1();
                double[] v;
                try {
                    v = fn.apply(worker, index, m._2());
                } catch (Exception e) {
                    MemberFailure f = new MemberFailure(index, portable(e));
                    if (failFast) throw new EnsembleException(List.of(f));
                    partial.fail(f);
                    continue;
                }
                partial.add(index, v); // outside the try: a bad index or length fails the task, not the member
            }
        } finally {
            if (worker instanceof AutoCloseable c) c.close();
        }
        return partial;
    }

    private static Iterator<Tuple2<Integer, Integer>> indices(Iterator<int[]> ranges) {
        List<Tuple2<Integer, Integer>> all = new ArrayList<>();
        while (ranges.hasNext()) {
            int[] r = ranges.next();
            for (int i = r[0]; i < r[1]; i++) all.add(new Tuple2<>(i, i));
        }
        return all.iterator();
    }

    /**
     * The exception itself when Java serialization can carry it to the driver, otherwise a
     * {@link RemoteMemberException} with its class, message and stack trace.
     */
    static Exception portable(Exception e) {
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(e);
            return e;
        } catch (IOException notSerializable) {
            return new RemoteMemberException(e);
        }
    }
}
