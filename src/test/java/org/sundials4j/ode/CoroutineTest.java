package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sundials4j.internal.cvodes.global.cvodes.*;

import java.nio.DoubleBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.sundials4j.internal.CallbackTarget;
import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.N_Vector;

/**
 * Integrations run on a per-solver native stack and Java serves their callbacks (Glue.serve). These
 * tests cover what that inversion could break: the path really taken, runs whose Java loop goes
 * away mid-integration, and a solver driven from different threads in turn.
 */
class CoroutineTest {
    private static final double[] TIMES = {0.4, 4, 40, 400, 4e3, 4e4};

    private static CvodesSolver rober() {
        return new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions());
    }

    private static double[][] statesOfFreshSolve() {
        try (CvodesSolver s = rober()) {
            return s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).states();
        }
    }

    @Test
    void callbacksAreServedByTheJavaLoopNotByUpcalls() {
        boolean[] servedByLoop = {false};
        OdeModel probe = new OdeModel() {
            @Override public int stateCount() { return 1; }
            @Override public int parameterCount() { return 0; }
            @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
                for (StackTraceElement e : new Throwable().getStackTrace())
                    servedByLoop[0] |= e.getClassName().equals(Glue.class.getName()) && e.getMethodName().equals("serve");
                ydot[0] = -y[0];
            }
        };
        try (CvodesSolver s = new CvodesSolver(probe, SolverOptions.defaults())) {
            s.solve(new double[] {1}, new double[0], new double[] {1});
        }
        assertTrue(servedByLoop[0], "RHS called from Glue.serve");
    }

    @Test
    void anErrorLeavingTheLoopFailsTheRunAndTheSolverStaysUsable() {
        double[][] expected = statesOfFreshSolve();
        try (CvodesSolver s = rober()) {
            N_Vector ydot = N_VClone(s.y);
            try {
                s.begin(0, RoberFixture.Y0, RoberFixture.P);
                DoubleBuffer io = s4j_run_io(s.bridge).capacity(2).asBuffer();
                int[] calls = {0};
                CallbackTarget failing = (event, index, t) -> {
                    if (++calls[0] == 3) throw new AssertionError("lost loop");
                    return s.callbacks.onEvent(event, index, t);
                };
                assertThrows(AssertionError.class, () -> Glue.serve(s.bridge, io, failing, s4j_bench_run_rhs(s.bridge, s.y, ydot, 100)));
                assertEquals(CV_ILL_INPUT, s4j_resume(s.bridge, 0), "nothing left to resume");
            } finally {
                N_VDestroy(ydot);
            }
            assertArrayEquals(expected, s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).states());
        }
    }

    @Test
    void aRunLeftWaitingIsFinishedByTheNextStart() {
        double[][] expected = statesOfFreshSolve();
        try (CvodesSolver s = rober()) {
            s.begin(0, RoberFixture.Y0, RoberFixture.P);
            assertTrue(s4j_run_cvode(s.bridge, s.mem, s.y, 1.0) >= Glue.PENDING, "CVode waits for its first RHS");
            assertArrayEquals(expected, s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).states());
        }
    }

    @Test
    void closingWithARunLeftWaitingDiscardsIt() {
        for (int i = 0; i < 100; i++) {
            try (CvodesSolver s = rober()) {
                s.begin(0, RoberFixture.Y0, RoberFixture.P);
                assertTrue(s4j_run_cvode(s.bridge, s.mem, s.y, 1.0) >= Glue.PENDING);
            }
        }
        assertArrayEquals(statesOfFreshSolve(), statesOfFreshSolve());
    }

    @Test
    void successiveSolvesFromDifferentThreadsMatchOneThread() throws Exception {
        double[][] expected = statesOfFreshSolve();
        ExecutorService[] threads = {Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor()};
        try (CvodesSolver s = rober()) {
            for (int k = 0; k < 20; k++) {
                Future<double[][]> f = threads[k % 2].submit(() -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).states());
                assertArrayEquals(expected, f.get(), "solve " + k);
            }
        } finally {
            for (ExecutorService e : threads) e.shutdown();
        }
    }
}
