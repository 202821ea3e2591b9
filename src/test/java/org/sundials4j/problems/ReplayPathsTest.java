package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.ReplayStatistics;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverCancelledException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * The native tape replay against the Java replay, the independent reference for it: the same
 * solves and gradients on every problem of the set run once with every callback in C and once with
 * every callback in Java ({@code sundials4j.replay=java}). The native sweeps repeat the Java sweeps'
 * operations in the same order without FMA contraction, so on models of arithmetic only (rober,
 * pollu, lotka-volterra, advection-diffusion with its band Jacobian, brusselator-2d with KLU) CVODES
 * sees the same bits and takes the same steps: states, gradients and step counts agree exactly.
 * neural-ode's {@code tanh} comes from the C library on the native path and from the JVM on the Java
 * path; both are within an ulp of the true value but not always the same ulp, which moves the
 * trajectories by rounding only: the difference is bounded far below the tolerances.
 * The other reference tests (SUNDIALS' example outputs, closed forms, forward vs adjoint vs finite
 * differences) run on the native path, the default.
 */
class ReplayPathsTest {

    /** Runs {@code body} with the replay path property set to {@code path}. */
    static <T> T onPath(String path, Supplier<T> body) {
        String before = System.getProperty("sundials4j.replay");
        System.setProperty("sundials4j.replay", path);
        try {
            return body.get();
        } finally {
            if (before == null) System.clearProperty("sundials4j.replay");
            else System.setProperty("sundials4j.replay", before);
        }
    }

    record Run(Solution solve, ReplayStatistics solvePath, Gradient forward, Gradient adjoint, ReplayStatistics adjointPath) {}

    static Run run(Objective o) {
        Problem p = o.problem();
        Solution sol;
        ReplayStatistics solvePath;
        try (CvodesSolver s = new CvodesSolver(o.model(), o.options())) {
            sol = s.solve(p.initialState(), p.parameters(), o.times());
            solvePath = s.replayStatistics();
        }
        Gradient fwd = GradientAgreementTest.gradient(o, null, SensitivityMethod.FORWARD);
        Gradient adj;
        ReplayStatistics adjointPath;
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(),
                o.sensitivity().withMethod(SensitivityMethod.ADJOINT))) {
            adj = gs.gradient(0, p.initialState(), p.parameters(), o.times());
            adjointPath = gs.replayStatistics();
        }
        return new Run(sol, solvePath, fwd, adj, adjointPath);
    }

    static Stream<Arguments> objectives() {
        return Stream.of(
                Arguments.of("rober", Objectives.rober(), true),
                Arguments.of("pollu", Objectives.pollu(), true),
                Arguments.of("lotka-volterra", Objectives.lotkaVolterra(), true),
                Arguments.of("advection-diffusion", Objectives.advectionDiffusion(), true),
                Arguments.of("brusselator-2d", Objectives.brusselator(8), true),
                Arguments.of("neural-ode", Objectives.neuralOde(8), false),
                Arguments.of("linear network", linearNetwork(), true));
    }

    /**
     * A network of block products only, arithmetic throughout, so the two paths must agree bit for
     * bit: y' = W2 W3ᵀ (W1 y + b1) + b2 with 9 hidden units (the native products go four rows at a
     * time, so 9 leaves a remainder) and weights of about 0.3, integrated with Adams over [0, 1].
     */
    static Objective linearNetwork() {
        int h = 9;
        double[] theta = new double[2 * h + h + h * h + 2 * h + 2];
        for (int i = 0; i < theta.length; i++) theta[i] = 0.3 * Math.sin(1.7 * i + 0.4);
        double[] times = new double[11];
        for (int k = 0; k < times.length; k++) times[k] = k / 10.0;
        Problem p = new Problem("linear network", theta, new double[] {1, 0.5}, times, 1e-8, new double[] {1e-10},
                (tape, t, y, th) -> {
                    VarVector hidden = th.slice(0, 2 * h).asMatrix(h, 2).timesPlus(y, th.slice(2 * h, h));
                    VarVector mixed = th.slice(3 * h, h * h).asMatrix(h, h).transposeTimes(hidden);
                    return th.slice(3 * h + h * h, 2 * h).asMatrix(2, h).timesPlus(mixed, th.slice(5 * h + h * h, 2)).toArray();
                });
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-8, 1e-10).withMethod(Method.ADAMS);
        SensitivityOptions s = SensitivityOptions.defaults().withBackwardTolerances(1e-8, 1e-10)
                .withQuadratureTolerances(1e-8, 1e-10).withInterpolation(SensitivityOptions.Interpolation.POLYNOMIAL);
        TapeLoss loss = TapeLoss.of((tape, t, y, q) -> {
            Var sum = tape.constant(0);
            for (VarVector yk : y) sum = sum.plus(yk.get(0).square()).plus(yk.get(1).square());
            return sum;
        });
        return new Objective(p, times, loss, null, o, s);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void nativeReplayGivesTheJavaReplaysAnswers(String name, Objective o, boolean arithmeticOnly) {
        Run nat = onPath("native", () -> run(o));
        Run java = onPath("java", () -> run(o));
        // which path ran: every evaluation native on one side (the heartbeat only polls Java, it evaluates
        // nothing there), all in Java on the other
        for (ReplayStatistics s : new ReplayStatistics[] {nat.solvePath(), nat.adjointPath()}) {
            assertTrue(s.available() && s.nativeEvaluations() > 0 && s.javaReason() == null, s.toString());
            assertEquals(0, s.javaEvaluations(), s.toString());
        }
        for (ReplayStatistics s : new ReplayStatistics[] {java.solvePath(), java.adjointPath()}) {
            assertTrue(!s.available() && s.nativeEvaluations() == 0 && s.javaEvaluations() > 0, s.toString());
        }
        int last = o.times().length - 1;
        if (arithmeticOnly) {
            assertEquals(java.solve().statistics().steps(), nat.solve().statistics().steps(), "steps");
            assertEquals(java.adjoint().backwardStatistics().steps(), nat.adjoint().backwardStatistics().steps(), "backward steps");
            assertArrayEquals(java.solve().state(last), nat.solve().state(last), 0.0, "final state");
            assertArrayEquals(java.forward().params(), nat.forward().params(), 0.0, "forward dL/dp");
            assertArrayEquals(java.forward().initialState(), nat.forward().initialState(), 0.0, "forward dL/dy0");
            assertArrayEquals(java.adjoint().params(), nat.adjoint().params(), 0.0, "adjoint dL/dp");
            assertArrayEquals(java.adjoint().initialState(), nat.adjoint().initialState(), 0.0, "adjoint dL/dy0");
            // no evaluation moves to Java, so the C side's sweep cache serves exactly what the Java one does
            assertEquals(java.adjoint().reverseSweeps(), nat.adjoint().reverseSweeps(), "reverse sweeps");
            // the statistics' sweeps per backward pair are the gradient's counts, on both paths
            for (Run r : new Run[] {nat, java}) {
                assertEquals(r.adjoint().reverseSweeps(), r.adjointPath().reverseSweeps(), "sweeps");
                assertEquals(r.adjoint().backwardPairs(), r.adjointPath().backwardPairs(), "pairs");
                double spp = r.adjointPath().sweepsPerPair();
                assertTrue(spp >= 1 && spp <= 4, "sweeps per pair " + spp);
            }
            assertTrue(Double.isNaN(nat.solvePath().sweepsPerPair()), "a solve has no backward pairs");
        } else {
            double rtol = o.options().rtol();
            double ds = GradientError.relative(nat.solve().state(last), java.solve().state(last));
            double dg = Math.max(GradientError.relative(nat.forward().params(), java.forward().params()),
                    GradientError.relative(nat.adjoint().params(), java.adjoint().params()));
            System.out.printf("REPLAY %s native vs java: state %.2e, gradient %.2e (rtol %.0e)%n", name, ds, dg, rtol);
            assertTrue(ds <= 1e-2 * rtol, "state differs by " + ds);
            assertTrue(dg <= 1e-2 * rtol, "gradient differs by " + dg);
        }
    }

    /**
     * A guard that flips mid-solve ({@code y' = y > 1 ? -y² : -3y}, from y = 2 down through 1): the
     * native replay hands the call at the flip to Java, which re-records, and the statistics say so;
     * the answer is the closed form. The next run uploads the new recording and runs natively
     * again until the guard flips back.
     */
    @Test
    void aFlippedGuardFallsBackToJavaVisibly() {
        TapeOdeModel m = TapeOdeModel.record(1, 0, (tape, t, y, p) -> {
            Var x = y.get(0);
            return new Var[] {x.gt(1) ? x.square().neg() : x.times(-3)};
        }, 0, new double[] {2}, null);
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-10, 1e-12).withMethod(Method.BDF)
                .withLinearSolver(LinearSolver.dense());
        try (CvodesSolver s = new CvodesSolver(m, o)) {
            // y = 2 / (1 + 2t) until y = 1 at t = 1/2, then y = exp(-3 (t - 1/2))
            double[] times = {0.25, 1.5};
            Solution sol = s.solve(new double[] {2}, new double[0], times);
            assertEquals(2 / 1.5, sol.state(0)[0], 1e-8);
            assertEquals(Math.exp(-3), sol.state(1)[0], 1e-8);
            ReplayStatistics st = s.replayStatistics();
            assertTrue(st.nativeEvaluations() > 0 && st.javaEvaluations() > 0, st.toString());
            assertNotNull(st.javaReason());
            assertTrue(st.javaReason().contains("guard"), st.javaReason());
            // the next run starts below 1: the uploaded re-recording fits it, so it is native throughout
            Solution below = s.solve(new double[] {0.5}, new double[0], new double[] {1.0});
            assertEquals(0.5 * Math.exp(-3), below.state(0)[0], 1e-8);
            ReplayStatistics again = s.replayStatistics();
            assertTrue(again.javaEvaluations() <= again.nativeEvaluations() / 63 + 1, again.toString());
            assertNull(again.javaReason());
        }
    }

    /**
     * A native run has no Java callback of its own to stop at, so the heartbeat (a poll of Java every
     * 64 native calls, no evaluation) carries the stop: the time limit and cancel() from another
     * thread end a solve that would run for minutes (an oscillator over 10⁶ time units at rtol
     * 1e-12) within moments, with not one evaluation served in Java.
     */
    @Test
    void aNativeRunStopsAtTheTimeLimitAndOnCancel() throws Exception {
        TapeOdeModel m = TapeOdeModel.record(2, 1, (tape, t, y, p) -> new Var[] {y.get(1), p.get(0).square().neg().times(y.get(0))},
                0, new double[] {1, 0}, new double[] {1});
        SolverOptions o = SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(1e-12, 1e-14).withMaxSteps(1_000_000_000L);
        double[] far = {1e6};
        try (CvodesSolver s = new CvodesSolver(m, o.withTimeLimit(Duration.ofMillis(100)))) {
            long t0 = System.nanoTime();
            SolverCancelledException e = assertThrows(
                    SolverCancelledException.class, () -> s.solve(new double[] {1, 0}, new double[] {1}, far));
            assertEquals(SolverCancelledException.Reason.TIME_LIMIT, e.reason());
            assertTrue((System.nanoTime() - t0) / 1e9 < 30, "stopped late");
            assertTrue(s.replayStatistics().nativeEvaluations() > 0, s.replayStatistics().toString());
            assertEquals(0, s.replayStatistics().javaEvaluations(), s.replayStatistics().toString());
        }
        try (CvodesSolver s = new CvodesSolver(m, o)) {
            Thread canceller = new Thread(() -> {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ignored) {
                    return;
                }
                s.cancel();
            });
            canceller.start();
            SolverCancelledException e = assertThrows(
                    SolverCancelledException.class, () -> s.solve(new double[] {1, 0}, new double[] {1}, far));
            canceller.join();
            assertEquals(SolverCancelledException.Reason.CANCELLED, e.reason());
            assertEquals(0, s.replayStatistics().javaEvaluations(), s.replayStatistics().toString());
        }
    }

    /**
     * A tape model with an integrand written on {@code double[]} (no recording): the C side cannot add
     * its gradient to the adjoint products, so those calls go to Java and the statistics say why. The
     * native path's gradient is the Java path's, bit for bit (the RHS and Jacobian replay natively
     * with the same bits), and agrees with forward sensitivities.
     */
    @Test
    void anIntegrandWithoutARecordingKeepsTheAdjointInJava() {
        org.sundials4j.ode.Integrand y3 = org.sundials4j.ode.StateIntegrand.of(2);
        Objective rober = Objectives.rober();
        Objective o = new Objective(rober.problem(), new double[] {Rober.GRADIENT_SHORT_FINAL_TIME}, null, y3,
                rober.options().withRtol(1e-10), rober.sensitivity().withBackwardTolerances(1e-10, 1e-10)
                        .withQuadratureTolerances(1e-10, 1e-10));
        Run nat = onPath("native", () -> run(o));
        Run java = onPath("java", () -> run(o));
        ReplayStatistics st = nat.adjointPath();
        assertTrue(st.javaReason() != null && st.javaReason().contains("integrand"), st.toString());
        assertTrue(st.javaEvaluations() >= nat.adjoint().backwardPairs(), st.toString());
        assertArrayEquals(java.adjoint().params(), nat.adjoint().params(), 0.0, "adjoint dL/dp");
        assertArrayEquals(java.adjoint().initialState(), nat.adjoint().initialState(), 0.0, "adjoint dL/dy0");
        double fa = Math.max(GradientError.relative(nat.adjoint().params(), nat.forward().params()),
                GradientError.relative(nat.adjoint().initialState(), nat.forward().initialState()));
        assertTrue(fa <= 1e-6, "forward vs adjoint " + fa);
    }

    /** A model written on {@code double[]} has no recording: every callback is Java's, and the statistics say so. */
    @Test
    void aModelWithoutARecordingRunsInJava() {
        try (CvodesSolver s = new CvodesSolver(new RoberModel(), SolverOptions.defaults())) {
            s.solve(new double[] {1, 0, 0}, new double[] {0.04, 1e4, 3e7}, new double[] {0.4});
            ReplayStatistics st = s.replayStatistics();
            assertFalse(st.available());
            assertEquals(0, st.nativeEvaluations());
            assertTrue(st.javaEvaluations() > 0);
        }
    }
}
