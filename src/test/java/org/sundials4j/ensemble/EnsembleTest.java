package org.sundials4j.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The engine's contract with plain Java members: order, thread ownership, sums, failures, lifetime. */
class EnsembleTest {

    /** A worker that checks it only ever runs on the thread that made it. */
    static final class Recorder implements AutoCloseable {
        final Thread home = Thread.currentThread();
        final AtomicInteger uses = new AtomicInteger();
        volatile Thread closedOn;

        int use() {
            if (Thread.currentThread() != home) throw new AssertionError("worker used off its thread");
            return uses.incrementAndGet();
        }

        @Override
        public void close() {
            closedOn = Thread.currentThread();
        }
    }

    /** Member i's vector: mixed magnitudes, so another grouping of the additions gives other bits. */
    static double[] vector(int i) {
        return new double[] {Math.sin(i) * Math.pow(10, i % 13 - 6), 1.0 / (i + 1), i % 2 == 0 ? 1e10 : -1e10 + i};
    }

    /** Sleeps up to 200 µs so that the schedule varies from run to run. */
    static void jitter(int i) {
        LockSupport.parkNanos((i * 7919L) % 200_000);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 8})
    void resultsInInputOrderSumsInTheFixedOrderWorkersOnTheirOwnThread(int threads) {
        Set<Recorder> made = ConcurrentHashMap.newKeySet();
        int size = 301;
        try (Ensemble<Recorder> ens = new Ensemble<>(() -> {
            Recorder r = new Recorder();
            made.add(r);
            return r;
        }, EnsembleOptions.defaults().withThreads(threads))) {
            for (int round = 0; round < 2; round++) {
                EnsembleResult<double[]> r = ens.mapAndSum(size, (w, i) -> {
                    w.use();
                    jitter(i);
                    return vector(i);
                }, v -> v);
                for (int i = 0; i < size; i++) assertArrayEquals(vector(i), r.get(i), 0.0);
                double[][] all = new double[size][];
                for (int i = 0; i < size; i++) all[i] = vector(i);
                assertArrayEquals(TreeSumProperties.pairwise(all, 0, size), r.sum(), 0.0);
                assertEquals(size, r.summed());
                assertTrue(r.allSucceeded());
            }
            // workers are made once per thread and reused across runs
            assertTrue(made.size() <= threads, made.size() + " workers for " + threads + " threads");
            assertEquals(2 * size, made.stream().mapToInt(w -> w.uses.get()).sum());
        }
        for (Recorder w : made) assertSame(w.home, w.closedOn, "closed on its own thread");
    }

    @Test
    void aFailingMemberIsReportedWithItsIndexAndTheOthersComplete() {
        int size = 40;
        try (Ensemble<Recorder> ens = new Ensemble<>(Recorder::new, EnsembleOptions.defaults().withThreads(3))) {
            EnsembleResult<double[]> r = ens.mapAndSum(size, (w, i) -> {
                if (i == 3) throw new IllegalArgumentException("bad member 3");
                if (i == 17) throw new java.io.IOException("checked failure 17");
                return vector(i);
            }, v -> v);
            assertEquals(List.of(3, 17), r.failures().stream().map(MemberFailure::index).toList());
            assertTrue(r.failures().get(0).error() instanceof IllegalArgumentException);
            assertTrue(r.failures().get(1).error() instanceof java.io.IOException);
            assertNull(r.results().get(3));
            EnsembleException e = assertThrows(EnsembleException.class, () -> r.get(17));
            assertEquals(17, e.firstIndex());
            EnsembleException all = assertThrows(EnsembleException.class, r::orThrow);
            assertEquals(2, all.failures().size());
            assertTrue(all.getMessage().contains("member 3 failed") && all.getMessage().contains("3, 17"), all.getMessage());
            double[][] ok = new double[size][];
            for (int i = 0; i < size; i++) if (i != 3 && i != 17) {
                ok[i] = vector(i);
                assertArrayEquals(ok[i], r.get(i), 0.0);
            }
            assertArrayEquals(TreeSumProperties.pairwise(ok, 0, size), r.sum(), 0.0);
            assertEquals(size - 2, r.summed());
        }
    }

    @Test
    void failFastHandsOutNoMemberAfterTheFirstFailure() {
        AtomicInteger ran = new AtomicInteger();
        try (Ensemble<Recorder> ens = new Ensemble<>(Recorder::new,
                EnsembleOptions.defaults().withThreads(1).withFailFast(true))) {
            EnsembleException e = assertThrows(EnsembleException.class, () -> ens.map(100, (w, i) -> {
                ran.incrementAndGet();
                if (i == 5) throw new IllegalStateException("member 5 broke");
                return i;
            }));
            assertEquals(5, e.firstIndex());
            assertTrue(e.getCause() instanceof IllegalStateException);
            assertEquals(6, ran.get(), "one thread takes members in order and stops after member 5");
            // the ensemble stays usable
            assertEquals(List.of(0, 1, 2), ens.map(3, (w, i) -> i).results());
        }
    }

    @Test
    void anErrorStopsTheRunAndIsRethrown() {
        try (Ensemble<Recorder> ens = new Ensemble<>(Recorder::new, EnsembleOptions.defaults().withThreads(2))) {
            AssertionError e = assertThrows(AssertionError.class, () -> ens.map(50, (w, i) -> {
                if (i == 10) throw new AssertionError("fatal at 10");
                return i;
            }));
            assertEquals("fatal at 10", e.getMessage());
        }
    }

    @Test
    void aWorkerFactoryThatFailsEndsTheRun() {
        try (Ensemble<Recorder> ens = new Ensemble<>(() -> {
            throw new IllegalArgumentException("no solver for these options");
        }, EnsembleOptions.defaults().withThreads(2))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ens.map(5, (w, i) -> i));
            assertEquals("no solver for these options", e.getMessage());
        }
    }

    @Test
    void aSummandOfAnotherLengthFailsItsMember() {
        try (Ensemble<Recorder> ens = new Ensemble<>(Recorder::new, EnsembleOptions.defaults().withThreads(1))) {
            EnsembleResult<double[]> r = ens.mapAndSum(4, (w, i) -> i == 2 ? new double[3] : new double[] {i, 1}, v -> v);
            assertEquals(1, r.failures().size());
            MemberFailure f = r.failures().get(0);
            assertEquals(2, f.index());
            assertTrue(f.error().getMessage().contains("length 3"), f.error().getMessage());
            assertArrayEquals(new double[] {0 + 1 + 3, 3}, r.sum(), 0.0);
        }
    }

    @Test
    void closeEndsItAndBadArgumentsAreRefused() {
        Ensemble<Recorder> ens = new Ensemble<>(Recorder::new, EnsembleOptions.defaults().withThreads(2));
        assertEquals(0, ens.map(0, (w, i) -> i).size());
        assertNull(ens.mapAndSum(0, (w, i) -> new double[1], v -> v).sum());
        assertThrows(IllegalArgumentException.class, () -> ens.map(-1, (w, i) -> i));
        ens.close();
        ens.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> ens.map(1, (w, i) -> i));
        assertThrows(IllegalArgumentException.class, () -> EnsembleOptions.defaults().withThreads(0));
        assertThrows(IllegalArgumentException.class, () -> new EnsembleOptions(EnsembleOptions.MAX_THREADS + 1, false));
    }

    @Test
    void aWorkerCloseFailureIsReportedAfterAllAreClosed() {
        AtomicInteger closed = new AtomicInteger();
        Ensemble<AutoCloseable> ens = new Ensemble<>(() -> () -> {
            closed.incrementAndGet();
            throw new IllegalStateException("close failed");
        }, EnsembleOptions.defaults().withThreads(3));
        ens.map(30, (w, i) -> {
            jitter(i);
            return i;
        });
        assertEquals(0, closed.get(), "workers live until close");
        IllegalStateException e = assertThrows(IllegalStateException.class, ens::close);
        assertEquals("close failed", e.getMessage());
        assertTrue(closed.get() >= 1 && closed.get() <= 3);
        assertEquals(closed.get() - 1, e.getSuppressed().length);
    }
}
