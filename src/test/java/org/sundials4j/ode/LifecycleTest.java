package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Re-entrancy, close from inside a callback, and cancellation. Each case ends in a typed
 * exception, and the solver afterwards answers bit for bit what a fresh solver answers (so a
 * half-freed or half-stepped solver cannot pass).
 */
class LifecycleTest {
    static final double[] TIMES = {0.4, 4, 40, 400};
    static final double[] LONG = {4e10};

    /** ROBER whose RHS runs {@code hook} at its {@code at}-th call (counted over the model's life). */
    static class Hooked extends HookedBase implements OdeModel {
        Hooked(int at, Consumer<Integer> hook) { super(at, hook); }
    }

    /** The same with the sensitivity products, hooking the RHS, the JVP and the VJP. */
    static final class HookedDiff extends HookedBase implements DifferentiableOdeModel {
        final String where;
        int jvpCalls, vjpCalls;

        HookedDiff(String where, int at, Consumer<Integer> hook) {
            super(where.equals("rhs") ? at : Integer.MAX_VALUE, hook);
            this.where = where;
            this.hookAt = at;
        }

        int hookAt;

        @Override public DifferentiableOdeModel forSolver() { return this; }

        @Override public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
            if (where.equals("jvp") && ++jvpCalls == hookAt) hook.accept(jvpCalls);
            base.jvp(t, y, p, v, w, out);
        }

        @Override public void vjp(double t, double[] y, double[] p, double[] l, double[] outY, double[] outP, double[] ydot) {
            if (where.equals("vjp") && ++vjpCalls == hookAt) hook.accept(vjpCalls);
            base.vjp(t, y, p, l, outY, outP, ydot);
        }
    }

    abstract static class HookedBase {
        final RoberFixture base = new RoberFixture();
        final int at;
        final Consumer<Integer> hook;
        int calls;

        HookedBase(int at, Consumer<Integer> hook) {
            this.at = at;
            this.hook = hook;
        }

        public int stateCount() { return 3; }
        public int parameterCount() { return 3; }
        public boolean hasJacobian() { return true; }
        public void jacobian(double t, double[] y, double[] p, JacobianWriter j) { base.jacobian(t, y, p, j); }
        public void rhs(double t, double[] y, double[] p, double[] ydot) {
            if (++calls == at) hook.accept(calls);
            base.rhs(t, y, p, ydot);
        }
    }

    static Solution freshSolve(double[] times) {
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
            return s.solve(RoberFixture.Y0, RoberFixture.P, times);
        }
    }

    static void assertSameSolution(Solution expected, Solution actual) {
        for (int k = 0; k < expected.size(); k++)
            for (int i = 0; i < 3; i++)
                assertEquals(Double.doubleToRawLongBits(expected.state(k)[i]), Double.doubleToRawLongBits(actual.state(k)[i]),
                        "y" + i + "(t_" + k + ")");
        assertEquals(expected.statistics(), actual.statistics());
    }

    @Test
    void closeInsideTheRhsIsRefusedAndTheSolverStaysIntact() {
        AtomicReference<CvodesSolver> self = new AtomicReference<>();
        try (CvodesSolver s = new CvodesSolver(new Hooked(40, c -> self.get().close()), RoberFixture.referenceOptions())) {
            self.set(s);
            CallbackException e = assertThrows(CallbackException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("close() called from inside a callback"), e.getCause().getMessage());
            assertSameSolution(freshSolve(TIMES), s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        }
    }

    @Test
    void reentrantSolveIsRefusedAndTheSolverStaysIntact() {
        AtomicReference<CvodesSolver> self = new AtomicReference<>();
        AtomicReference<Throwable> inner = new AtomicReference<>();
        Consumer<Integer> hook = c -> {
            try {
                self.get().solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            } catch (Throwable t) {
                inner.set(t); // swallowed here: the outer solve must still be right
            }
        };
        try (CvodesSolver s = new CvodesSolver(new Hooked(40, hook), RoberFixture.referenceOptions())) {
            self.set(s);
            Solution outer = s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            assertInstanceOf(IllegalStateException.class, inner.get());
            assertTrue(inner.get().getMessage().contains("solve() called from inside a callback"), inner.get().getMessage());
            assertSameSolution(freshSolve(TIMES), outer);
        }
    }

    /** A different solver may be used from inside a callback. */
    @Test
    void anotherSolverInsideACallbackWorks() {
        AtomicReference<Solution> nested = new AtomicReference<>();
        try (CvodesSolver other = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions());
             CvodesSolver s = new CvodesSolver(new Hooked(40, c -> nested.set(other.solve(RoberFixture.Y0, RoberFixture.P, TIMES))),
                     RoberFixture.referenceOptions())) {
            assertSameSolution(freshSolve(TIMES), s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
            assertSameSolution(freshSolve(TIMES), nested.get());
        }
    }

    static final Integrand Y3 = AdjointReferenceTest.Y3;

    static GradientSolver gradientSolver(DifferentiableOdeModel m, OutputLoss loss, SensitivityMethod method) {
        return new GradientSolver(m, loss, Y3, RoberFixture.referenceOptions(), SensitivityOptions.defaults().withMethod(method));
    }

    static final OutputLoss SQUARES = (times, states, p, dY, dP) -> {
        double s = 0;
        for (int k = 0; k < states.length; k++)
            for (int i = 0; i < states[k].length; i++) {
                s += states[k][i] * states[k][i];
                dY[k][i] = 2 * states[k][i];
            }
        return s;
    };

    static Gradient freshGradient(SensitivityMethod method) {
        try (GradientSolver g = gradientSolver(new RoberFixture(), SQUARES, method)) {
            return g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES);
        }
    }

    static void assertSameGradient(Gradient expected, Gradient actual) {
        assertEquals(Double.doubleToRawLongBits(expected.loss()), Double.doubleToRawLongBits(actual.loss()), "loss");
        for (int j = 0; j < 3; j++) {
            assertEquals(Double.doubleToRawLongBits(expected.params()[j]), Double.doubleToRawLongBits(actual.params()[j]), "dL/dp" + j);
            assertEquals(Double.doubleToRawLongBits(expected.initialState()[j]), Double.doubleToRawLongBits(actual.initialState()[j]),
                    "dL/dy0_" + j);
        }
    }

    /** GradientSolver.close() inside the RHS, the JVP (forward), the VJP (adjoint). */
    @Test
    void gradientSolverCloseInsideCallbacksIsRefused() {
        Object[][] cases = {{"rhs", SensitivityMethod.FORWARD}, {"rhs", SensitivityMethod.ADJOINT}, {"jvp", SensitivityMethod.FORWARD},
                {"vjp", SensitivityMethod.ADJOINT}};
        for (Object[] c : cases) {
            String where = (String) c[0];
            SensitivityMethod m = (SensitivityMethod) c[1];
            AtomicReference<GradientSolver> self = new AtomicReference<>();
            HookedDiff model = new HookedDiff(where, 30, k -> self.get().close());
            try (GradientSolver g = gradientSolver(model, SQUARES, m)) {
                self.set(g);
                CallbackException e = assertThrows(CallbackException.class, () -> g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES),
                        where + " " + m);
                assertInstanceOf(IllegalStateException.class, e.getCause(), where + " " + m);
                assertTrue(e.getCause().getMessage().contains("close() called from inside"), e.getCause().getMessage());
                assertSameGradient(freshGradient(m), g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES));
            }
        }
    }

    /** close() and gradient() inside the loss, which runs between the forward and backward passes. */
    @Test
    void gradientSolverCloseOrGradientInsideTheLossIsRefused() {
        for (boolean close : new boolean[] {true, false}) {
            for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.ADJOINT, SensitivityMethod.FORWARD}) {
                AtomicReference<GradientSolver> self = new AtomicReference<>();
                boolean[] armed = {true};
                OutputLoss loss = (times, states, p, dY, dP) -> {
                    if (armed[0]) {
                        if (close) self.get().close();
                        else self.get().gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES);
                    }
                    return SQUARES.evaluate(times, states, p, dY, dP);
                };
                try (GradientSolver g = gradientSolver(new RoberFixture(), loss, m)) {
                    self.set(g);
                    CallbackException e = assertThrows(CallbackException.class, () -> g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES));
                    assertEquals(SolverException.Phase.LOSS, e.phase());
                    assertInstanceOf(IllegalStateException.class, e.getCause());
                    assertTrue(e.getCause().getMessage().contains(close ? "close() called from inside" : "gradient() called from inside"),
                            e.getCause().getMessage());
                    armed[0] = false;
                    assertSameGradient(freshGradient(m), g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES));
                }
            }
        }
    }

    @Test
    void cancelFromAnotherThreadStopsTheSolve() throws Exception {
        CountDownLatch started = new CountDownLatch(1), cancelled = new CountDownLatch(1);
        Consumer<Integer> hook = c -> {
            started.countDown();
            await(cancelled);
        };
        try (CvodesSolver s = new CvodesSolver(new Hooked(100, hook), RoberFixture.referenceOptions())) {
            Thread canceller = new Thread(() -> {
                await(started);
                s.cancel();
                cancelled.countDown();
            });
            canceller.start();
            SolverCancelledException e = assertThrows(SolverCancelledException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, LONG));
            canceller.join();
            assertEquals(SolverCancelledException.Reason.CANCELLED, e.reason());
            assertTrue(e.time() > 0 && e.time() < LONG[0], "time " + e.time());
            assertTrue(e.getMessage().contains("cancelled by cancel()"), e.getMessage());
            // the cancel does not carry over
            assertSameSolution(freshSolve(TIMES), s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        }
    }

    @Test
    void interruptStopsTheSolveAndStaysSet() {
        try (CvodesSolver s = new CvodesSolver(new Hooked(100, c -> Thread.currentThread().interrupt()), RoberFixture.referenceOptions())) {
            SolverCancelledException e = assertThrows(SolverCancelledException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, LONG));
            assertEquals(SolverCancelledException.Reason.INTERRUPTED, e.reason());
            assertTrue(Thread.interrupted(), "the interrupt status stays set (and is cleared here)");
            assertSameSolution(freshSolve(TIMES), s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        }
    }

    /**
     * close() from another thread while an adjoint gradient runs: the closer waits for the monitor,
     * the run notices at its next callback and ends; then the solver is closed.
     */
    @Test
    void closeFromAnotherThreadStopsTheGradientThenFrees() throws Exception {
        AtomicReference<Thread> closer = new AtomicReference<>();
        AtomicReference<GradientSolver> self = new AtomicReference<>();
        GradientSolver g = gradientSolver(new HookedDiff("vjp", 20, closeOnAnotherThread(self, closer)), SQUARES, SensitivityMethod.ADJOINT);
        self.set(g);
        SolverCancelledException e = assertThrows(SolverCancelledException.class,
                () -> g.gradient(0, RoberFixture.Y0, RoberFixture.P, new double[] {4e7}));
        closer.get().join();
        assertEquals(SolverCancelledException.Reason.CLOSED, e.reason());
        assertEquals(SolverException.Phase.BACKWARD, e.phase());
        assertThrows(IllegalStateException.class, () -> g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES));
    }

    /**
     * The same for a plain solve (the run guard both facades share): the RHS blocks until a closer
     * thread is waiting on the monitor; the solve ends CLOSED in the FORWARD phase, the closer then
     * frees, and every later use (and a second close) behaves as on a closed solver.
     */
    @Test
    void closeFromAnotherThreadStopsTheSolveThenFrees() throws Exception {
        AtomicReference<Thread> closer = new AtomicReference<>();
        AtomicReference<CvodesSolver> self = new AtomicReference<>();
        CvodesSolver s = new CvodesSolver(new Hooked(100, closeOnAnotherThread(self, closer)), RoberFixture.referenceOptions());
        self.set(s);
        SolverCancelledException e = assertThrows(SolverCancelledException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, LONG));
        closer.get().join();
        assertEquals(SolverCancelledException.Reason.CLOSED, e.reason());
        assertEquals(SolverException.Phase.FORWARD, e.phase());
        assertTrue(e.time() > 0 && e.time() < LONG[0], "time " + e.time());
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        assertTrue(closed.getMessage().contains("solver is closed"), closed.getMessage());
        assertThrows(IllegalStateException.class, s::statistics);
        s.close(); // idempotent
    }

    /** close() on another thread while no run is in progress just closes; it never marks a later run. */
    @Test
    void closeFromAnotherThreadWhenIdleCloses() throws Exception {
        CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions());
        assertSameSolution(freshSolve(TIMES), s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        Thread t = new Thread(s::close);
        t.start();
        t.join();
        assertThrows(IllegalStateException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        GradientSolver g = gradientSolver(new RoberFixture(), SQUARES, SensitivityMethod.FORWARD);
        Thread u = new Thread(g::close);
        u.start();
        u.join();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES));
        assertTrue(e.getMessage().contains("gradient solver is closed"), e.getMessage());
        assertEquals(null, g.replayStatistics());
    }

    @Test
    void timeLimitStopsASlowSolve() {
        // each RHS evaluation sleeps 1 ms from the 10th on: the solve to 4e10 needs about a thousand
        Hooked slow = new Hooked(10, c -> { }) {
            @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
                if (++calls >= 10) sleep(1);
                base.rhs(t, y, p, ydot);
            }
        };
        SolverOptions o = RoberFixture.referenceOptions().withTimeLimit(Duration.ofMillis(100));
        try (CvodesSolver s = new CvodesSolver(slow, o)) {
            SolverCancelledException e = assertThrows(SolverCancelledException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, LONG));
            assertEquals(SolverCancelledException.Reason.TIME_LIMIT, e.reason());
            assertTrue(e.getMessage().contains("time limit of 0.1 s"), e.getMessage());
        }
        // a limit that is not reached changes nothing
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions().withTimeLimit(Duration.ofHours(1)))) {
            assertSameSolution(freshSolve(TIMES), s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        }
        assertThrows(IllegalArgumentException.class, () -> SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(-1)));
    }

    @Test
    void gradientCancelStopsTheBackwardPass() {
        AtomicReference<GradientSolver> self = new AtomicReference<>();
        try (GradientSolver g = gradientSolver(new HookedDiff("vjp", 20, c -> self.get().cancel()), SQUARES, SensitivityMethod.ADJOINT)) {
            self.set(g);
            SolverCancelledException e = assertThrows(SolverCancelledException.class,
                    () -> g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES));
            assertEquals(SolverCancelledException.Reason.CANCELLED, e.reason());
            assertEquals(SolverException.Phase.BACKWARD, e.phase());
        }
    }

    /**
     * A callback hook that starts a thread closing {@code self} and returns once that thread waits
     * on the solver's monitor (it has asked the run to stop by then); the thread goes to {@code closer}.
     */
    static Consumer<Integer> closeOnAnotherThread(AtomicReference<? extends AutoCloseable> self, AtomicReference<Thread> closer) {
        return c -> {
            Thread t = new Thread(() -> {
                try {
                    self.get().close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            closer.set(t);
            t.start();
            while (t.getState() != Thread.State.BLOCKED && t.isAlive()) Thread.onSpinWait();
        };
    }

    static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
