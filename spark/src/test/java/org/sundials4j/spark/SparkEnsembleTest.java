package org.sundials4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sundials4j.ensemble.EnsembleResult;
import org.sundials4j.ensemble.GradientSum;
import org.sundials4j.ensemble.Member;
import org.sundials4j.ensemble.MemberFailure;
import org.sundials4j.ensemble.OdeEnsemble;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.problems.Rober;
import scala.Tuple2;

/**
 * The Spark ensemble in local mode against the local ensemble ({@link OdeEnsemble}, which its own
 * tests hold to a sequential loop of fresh solvers): the same bits for the summed gradient of a
 * 10,000-subject population and for any partitioning; failures reported by index.
 */
class SparkEnsembleTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkEnsembleTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        if (sc != null) sc.close();
    }

    /** The local ensemble's sum over the members, with any failures it reports. */
    static EnsembleResult<Gradient> local(Population pop, List<Member> members, int threads) {
        try (OdeEnsemble ens = pop.localEnsemble(threads)) {
            return ens.gradients(members);
        }
    }

    /** 10,000 pk-dosing subjects (doses, rescue-dose event, data), the population test. */
    @Test
    void aPopulationOf10000SumsToTheLocalEnsemblesBits() {
        Population pop = Population.pkDosing(10_000);
        EnsembleResult<Gradient> local = local(pop, pop.members(), 2);
        assertTrue(local.allSucceeded(), local.failures().toString());
        SparkSum spark = SparkEnsemble.sumByIndex(sc, pop.size(), 16, pop::newSolver,
                (solver, i, ignored) -> pop.gradient(solver, i), false);
        assertEquals(10_000, spark.summed());
        assertTrue(spark.failures().isEmpty(), spark.failures().toString());
        assertArrayEquals(local.sum(), spark.sum(), 0.0, "the same bits: the same pairwise tree over the subject index");
        GradientSum total = GradientSum.unpack(spark.sum(), 4, 2, spark.summed()); // [L, dL/d(ka, CL, V, F), dL/dy0]
        assertEquals(10_000, total.members());
    }

    @Test
    void anyPartitioningGivesTheSameBits() {
        Population pop = Population.rober(150);
        double[] local = local(pop, pop.members(), 1).sum();
        for (int partitions : new int[] {1, 7, 150}) {
            SparkSum spark = SparkEnsemble.sumByIndex(sc, pop.size(), partitions, pop::newSolver,
                    (solver, i, ignored) -> pop.gradient(solver, i), false);
            assertArrayEquals(local, spark.sum(), 0.0, partitions + " partitions");
        }
    }

    @Test
    void anRddOfMembersSumsLikeTheLocalEnsemble() {
        Population pop = Population.rober(200);
        List<Tuple2<Integer, Member>> pairs = new ArrayList<>();
        for (int i = pop.size() - 1; i >= 0; i--) pairs.add(new Tuple2<>(i, pop.member(i))); // reversed on purpose
        JavaPairRDD<Integer, Member> rdd = JavaPairRDD.fromJavaRDD(sc.parallelize(pairs, 5));
        SparkSum spark = SparkEnsemble.sum(rdd, pop.size(), pop::newSolver, SparkEnsembleTest::gradient, false);
        assertArrayEquals(local(pop, pop.members(), 2).sum(), spark.sum(), 0.0);
    }

    static double[] gradient(GradientSolver solver, int index, Member m) {
        return GradientSum.pack(solver.gradient(m.t0(), m.y0(), m.params(), m.times()));
    }

    @Test
    void aMemberWithNaNParametersIsReportedWithItsIndexAndTheOthersComplete() {
        Population pop = Population.rober(100);
        List<Member> members = new ArrayList<>(pop.members());
        members.set(7, nanMember());
        EnsembleResult<Gradient> local = local(pop, members, 2);
        assertEquals(List.of(7), local.failures().stream().map(MemberFailure::index).toList());
        SparkSum spark = SparkEnsemble.sumByIndex(sc, pop.size(), 4, pop::newSolver, SparkEnsembleTest::withNaNAt7, false);
        assertEquals(1, spark.failures().size());
        MemberFailure f = spark.failures().get(0);
        assertEquals(7, f.index());
        assertTrue(f.error() instanceof IllegalArgumentException, f.error().toString());
        assertTrue(f.error().getMessage().contains("params[1] is not finite: NaN"), f.error().getMessage());
        assertEquals(99, spark.summed());
        assertArrayEquals(local.sum(), spark.sum(), 0.0);
    }

    static Member nanMember() {
        return new Member(0, Rober.Y0, new double[] {0.04, Double.NaN, 3e7}, new double[] {Rober.GRADIENT_SHORT_FINAL_TIME});
    }

    static double[] withNaNAt7(GradientSolver solver, int index, Integer ignored) {
        return index == 7 ? gradient(solver, index, nanMember()) : Population.rober(100).gradient(solver, index);
    }

    @Test
    void failFastEndsTheJobNamingTheMember() {
        Population pop = Population.rober(100);
        SparkException e = assertThrows(SparkException.class, () -> SparkEnsemble.sumByIndex(sc, pop.size(), 4,
                pop::newSolver, SparkEnsembleTest::withNaNAt7, true));
        assertTrue(e.getMessage().contains("member 7 failed"), e.getMessage());
    }

    /** An exception Java serialization cannot carry comes back as its class name and message. */
    @Test
    void aNonSerializableFailureArrivesAsItsClassAndMessage() {
        SparkSum spark = SparkEnsemble.sumByIndex(sc, 3, 1, () -> "worker", SparkEnsembleTest::throwsUnserializable, false);
        MemberFailure f = spark.failures().get(0);
        assertEquals(1, f.index());
        RemoteMemberException r = (RemoteMemberException) f.error();
        assertEquals(Unserializable.class.getName(), r.originalClass());
        assertTrue(r.getMessage().contains("holds a thread"), r.getMessage());
        assertArrayEquals(new double[] {0 + 2}, spark.sum(), 0.0);
    }

    static final class Unserializable extends RuntimeException {
        @SuppressWarnings("unused") private final Thread thread = Thread.currentThread(); // not serializable

        Unserializable() {
            super("holds a thread");
        }
    }

    static double[] throwsUnserializable(String worker, int index, Integer ignored) {
        if (index == 1) throw new Unserializable();
        return new double[] {index};
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SparkEnsemble.sumByIndex(sc, -1, 1, () -> 0, (w, i, m) -> new double[0], false));
        assertThrows(IllegalArgumentException.class, () -> SparkEnsemble.sumByIndex(sc, 5, 0, () -> 0, (w, i, m) -> new double[0], false));
        assertEquals(0, SparkEnsemble.sumByIndex(sc, 0, 3, () -> 0, (w, i, m) -> new double[0], false).summed());
    }
}
