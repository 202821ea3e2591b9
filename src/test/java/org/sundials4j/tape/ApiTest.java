package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sundials4j.problems.Brusselator2d;
import org.sundials4j.problems.Pollu;

/** Argument checking, allocation-free replay, and one-copy-per-thread use. */
class ApiTest {

    private static TapeOdeModel decay() {
        return TapeOdeModel.record(2, 1, (tape, t, y, p) -> new Var[]{y.get(0).times(p.get(0)).neg(), y.get(1)},
                0, new double[]{1, 2}, new double[]{0.5});
    }

    @Test
    void wrongLengthsNameTheArgument() {
        TapeOdeModel m = decay();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.rhs(0, new double[3], new double[1], new double[2]));
        assertTrue(e.getMessage().contains("y.length = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.rhs(0, new double[2], new double[2], new double[2]));
        assertTrue(e.getMessage().contains("p.length = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> m.jacobianCsc(0, new double[2], new double[1], new double[5]));
        assertTrue(e.getMessage().contains("values.length = 5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TapeOdeModel.record(2, 0, (tape, t, y, p) -> new Var[]{y.get(0)}, 0, new double[2], null));
        assertTrue(e.getMessage().contains("stateCount = 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> TapeOdeModel.record(1, 0, (tape, t, y, p) -> new Var[]{null}, 0, new double[1], null));
        assertTrue(e.getMessage().contains("outputs[0] is null"), e.getMessage());
    }

    @Test
    void variablesOfAnotherTapeAreRejected() {
        Var[] stolen = new Var[1];
        TapeFunction.record(1, (tape, x) -> { stolen[0] = x.get(0); return new Var[]{x.get(0)}; }, new double[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TapeFunction.record(1, (tape, x) -> new Var[]{x.get(0).plus(stolen[0])}, new double[1]));
        assertTrue(e.getMessage().contains("another tape"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TapeFunction.record(4, (tape, x) -> new Var[]{x.slice(2, 3).get(0)}, new double[4]));
        assertThrows(IllegalArgumentException.class,
                () -> TapeFunction.record(4, (tape, x) -> new Var[]{x.asMatrix(3, 2).get(0, 0)}, new double[4]));
    }

    @Test
    void replayAllocatesNothing() {
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TapeOdeModel m = Pollu.problem().tapeModel();
        int n = m.stateCount();
        double[] y = Pollu.initialState(), p = Pollu.PARAMETERS.clone(), f = new double[n], lambda = new double[n];
        double[] outY = new double[n], outP = new double[p.length], csc = new double[m.sparsity().nonZeros()];
        java.util.Arrays.fill(lambda, 1);
        Runnable work = () -> {
            m.rhs(0, y, p, f);
            m.vjp(0, y, p, lambda, outY, outP, f);
            m.jvp(0, y, p, lambda, outP, f);
            m.jacobianCsc(0, y, p, csc);
        };
        for (int i = 0; i < 20_000; i++) work.run();
        long before = bean.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (int i = 0; i < 10_000; i++) work.run();
        long allocated = bean.getThreadAllocatedBytes(Thread.currentThread().getId()) - before;
        assertTrue(allocated < 10_000, "replay allocated " + allocated + " bytes over 10000 rounds");
    }

    @Test
    void linearisationIsReusedOnlyAtTheSameInputs() {
        TapeOdeModel m = Pollu.problem().tapeModel().forSolver();
        TapeOdeModel fresh = Pollu.problem().tapeModel().forSolver();
        int n = m.stateCount();
        double[] y = Pollu.initialState(), p = Pollu.PARAMETERS.clone(), f = new double[n];
        double[] a = new double[n], b = new double[n];
        double[] outY = new double[n], outP = new double[p.length], refY = new double[n], refP = new double[p.length];
        for (int i = 0; i < n; i++) {
            a[i] = 1.0 / (i + 1);
            b[i] = Math.sin(i);
        }
        m.vjp(0.5, y, p, a, outY, outP, null);
        m.vjp(0.5, y, p, b, outY, outP, null); // only λ changed: the backward RHS within one step
        assertEquals(1, m.linearizations());
        fresh.vjp(0.5, y, p, b, refY, refP, null);
        assertArrayEquals(refY, outY, 0.0);
        assertArrayEquals(refP, outP, 0.0);
        m.rhs(0.5, y, p, f); // a values sweep overwrites the point
        m.vjp(0.5, y, p, b, outY, outP, null);
        assertEquals(2, m.linearizations());
        y[3] += 1e-3;
        m.vjp(0.5, y, p, b, outY, outP, null);
        m.vjp(0.25, y, p, b, outY, outP, null);
        assertEquals(4, m.linearizations());
        fresh.vjp(0.25, y, p, b, refY, refP, null);
        assertArrayEquals(refY, outY, 0.0);
        assertArrayEquals(refP, outP, 0.0);
    }

    @Test
    void copiesRunConcurrentlyOnePerThread() throws Exception {
        int grid = 8;
        TapeOdeModel shared = Brusselator2d.problem(grid).tapeModel();
        int n = shared.stateCount(), nnz = shared.sparsity().nonZeros();
        double[] p = Brusselator2d.PARAMETERS;
        double[][] points = new double[16][];
        double[][] expected = new double[16][nnz];
        for (int k = 0; k < points.length; k++) {
            points[k] = Brusselator2d.initialState(grid);
            for (int i = 0; i < n; i++) points[k][i] += 0.01 * k * Math.sin(i);
            shared.jacobianCsc(0, points[k], p, expected[k]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                TapeOdeModel mine = shared.forSolver();
                results.add(pool.submit(() -> {
                    double[] csc = new double[nnz];
                    for (int round = 0; round < 200; round++) {
                        int k = round % points.length;
                        mine.jacobianCsc(0, points[k], p, csc);
                        assertArrayEquals(expected[k], csc);
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) assertEquals(true, r.get());
        } finally {
            pool.shutdown();
        }
    }
}
