package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sundials4j.internal.Glue;

/** Native memory is freed on close, and solvers on several threads do not interfere. */
class ResourcesTest {
    static final double[] TIMES = {0.4, 4, 40, 400, 4000, 4e4, 4e5};

    /**
     * Resident memory outside the Java heap, KiB: every mapping above 32 GiB (with compressed oops
     * the JVM places its heap and class space below; malloc, mmap and the executables lie above).
     * In a full test run the earlier tests' garbage makes G1 touch more heap pages during the
     * cycles, which whole-process RSS counted as growth (47 MB once over 10,000 ROBER cycles).
     */
    static long nativeRssKiB() throws java.io.IOException {
        long total = 0;
        boolean counted = false;
        for (String l : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/smaps"))) {
            if (l.matches("^[0-9a-f]+-[0-9a-f]+ .*")) counted = Long.parseUnsignedLong(l.substring(0, l.indexOf('-')), 16) >= 0x800000000L;
            else if (counted && l.startsWith("Rss:")) total += Long.parseLong(l.replaceAll("\\D", ""));
        }
        return total;
    }

    /**
     * Fails when {@code cycle} leaks native memory: after {@code warmUp} cycles, two windows of
     * {@code window} cycles each, and the smaller growth of native RSS over a window must stay under
     * {@code maxKiB}. A leak grows both windows by at least (leak per cycle) × window, since leaked
     * memory is never given back; what the JVM itself adds outside the heap (compiled code, malloc
     * arenas of its compiler threads, -Xcheck:jni's guarded copies) comes in one-off steps that a
     * single window caught once with 22 MB and no leak, so one window alone cannot tell them apart.
     */
    static void assertNoNativeGrowth(Runnable cycle, int warmUp, int window, long maxKiB, String what) throws IOException {
        for (int i = 0; i < warmUp; i++) cycle.run(); // JIT, allocator arenas, JavaCPP caches
        long[] rss = new long[3];
        for (int w = 0; w < 3; w++) {
            if (w > 0) for (int i = 0; i < window; i++) cycle.run();
            System.gc();
            rss[w] = nativeRssKiB();
        }
        long first = rss[1] - rss[0], second = rss[2] - rss[1];
        assertTrue(Math.min(first, second) < maxKiB, what + ": native RSS grew by " + first + " then " + second
                + " KiB over two windows of " + window + " cycles");
    }

    static void cycles(int count, SolverOptions o) {
        for (int i = 0; i < count; i++) {
            try (CvodesSolver s = new CvodesSolver(new RoberFixture(), o)) {
                s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            }
        }
    }

    @Test
    void tenThousandCyclesLeaveRssFlat() throws IOException {
        // per-state atol, so the abstol vector is made and freed each cycle too
        SolverOptions dense = RoberFixture.referenceOptions();
        int registered = Glue.registeredCount();
        // A leak of even the smallest object set (context, 2 vectors, matrix, solver, cvode_mem,
        // about 20 KiB per cycle) would add ~100 MiB to each window of 5,000 cycles.
        assertNoNativeGrowth(() -> cycles(1, dense), 1_000, 5_000, 32 * 1024, "ROBER solver cycles");
        assertEquals(registered, Glue.registeredCount(), "callback registry slots all returned");
    }

    @Test
    void concurrentSolversGiveBitIdenticalResults() throws Exception {
        SolverOptions o = RoberFixture.referenceOptions();
        double[][] reference;
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), o)) {
            reference = s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).states();
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<double[][]>>> futures = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                futures.add(pool.submit(() -> {
                    List<double[][]> out = new ArrayList<>();
                    try (CvodesSolver s = new CvodesSolver(new RoberFixture(), o)) {
                        for (int r = 0; r < 200; r++) out.add(s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).states());
                    }
                    return out;
                }));
            }
            for (Future<List<double[][]>> f : futures)
                for (double[][] states : f.get())
                    for (int k = 0; k < TIMES.length; k++) assertArrayEquals(reference[k], states[k], 0.0, "output " + k);
        } finally {
            pool.shutdownNow();
        }
    }
}
