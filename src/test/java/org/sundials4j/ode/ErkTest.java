package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.problems.GradientError;
import org.sundials4j.problems.LotkaVolterra;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * {@link Method#ERK} (ARKODE ERKStep): solves against closed forms and CVODES at tight tolerance,
 * forward-sensitivity gradients against closed forms, central differences of CVODES solves and
 * CVODES' own forward and adjoint gradients, on the native replay and the Java path; typed errors
 * and refusals. (The closed-form decay and oscillator solves also run with ERK in
 * {@link AnalyticSolutionsTest}, which covers every {@link Method}.)
 */
class ErkTest {
    static final double[] P = LotkaVolterra.PARAMETERS, Y0 = LotkaVolterra.Y0;

    static SolverOptions erk(double rtol, double atol) {
        return SolverOptions.defaults().withMethod(Method.ERK).withTolerances(rtol, atol).withMaxSteps(1_000_000);
    }

    /** Relative distance of two trajectories, on the scale of each state's largest magnitude. */
    static double trajectoryError(Solution a, Solution b) {
        double worst = 0;
        for (int k = 0; k < a.size(); k++)
            for (int i = 0; i < a.state(k).length; i++)
                worst = Math.max(worst, Math.abs(a.state(k)[i] - b.state(k)[i]) / Math.max(Math.abs(b.state(k)[i]), 1e-3));
        return worst;
    }

    @ParameterizedTest
    @EnumSource(ErkTable.class)
    void lotkaVolterraAgreesWithCvodesAtEveryOutput(ErkTable table) {
        TapeOdeModel model = LotkaVolterra.problem().tapeModel();
        double[] times = LotkaVolterra.outputTimes();
        Solution ref;
        try (CvodesSolver s = new CvodesSolver(model, SolverOptions.defaults().withTolerances(1e-12, 1e-14).withMaxSteps(1_000_000))) {
            ref = s.solve(Y0, P, times);
        }
        try (CvodesSolver s = new CvodesSolver(model, erk(1e-10, 1e-12).withErkTable(table))) {
            Solution sol = s.solve(Y0, P, times);
            double err = trajectoryError(sol, ref);
            assertTrue(err < 1e-7, table + ": max relative error over 200 outputs " + err);
            // every output ends a step, so there are at least as many steps as outputs after t0
            assertTrue(sol.statistics().steps() >= times.length - 1, "steps " + sol.statistics().steps());
            assertTrue(sol.statistics().rhsEvals() > sol.statistics().steps(), "RHS evaluations " + sol.statistics().rhsEvals());
            assertEquals(table.order(), sol.statistics().lastOrder());
            ReplayStatistics path = s.replayStatistics();
            assertTrue(path.nativeShare() == 1.0, "every RHS on the native replay: " + path);
        }
    }

    @Test
    void reusedSolverAnswersLikeAFreshOne() {
        TapeOdeModel model = LotkaVolterra.problem().tapeModel();
        double[] times = LotkaVolterra.outputTimes();
        double[] p2 = {0.7, -1.2, -1.1, 0.9};
        try (CvodesSolver reused = new CvodesSolver(model, erk(1e-8, 1e-10))) {
            reused.solve(Y0, P, times);
            Solution second = reused.solve(new double[] {0.3, 0.4}, p2, times);
            try (CvodesSolver fresh = new CvodesSolver(model, erk(1e-8, 1e-10))) {
                Solution f = fresh.solve(new double[] {0.3, 0.4}, p2, times);
                assertEquals(0.0, trajectoryError(second, f));
                assertEquals(f.statistics().steps(), second.statistics().steps());
            }
        }
    }

    /** y' = -k y: y = y0 e^{-kt}; L = Σ_k y(t_k)², dL/dk = -2 Σ t_k y(t_k)², dL/dy0 = 2 Σ y(t_k) e^{-k t_k}. */
    @Test
    void decayGradientMatchesClosedForm() {
        double k = 0.8, y0 = 1.5;
        double[] times = {0.5, 1, 2, 3.5, 5};
        TapeOdeModel decay = TapeOdeModel.record(1, 1, (tape, t, y, p) -> new Var[] {p.get(0).neg().times(y.get(0))}, 0,
                new double[] {y0}, new double[] {k});
        OutputLoss loss = (ts, ys, p, dY, dP) -> {
            double v = 0;
            for (int j = 0; j < ys.length; j++) {
                v += ys[j][0] * ys[j][0];
                dY[j][0] = 2 * ys[j][0];
            }
            return v;
        };
        double dk = 0, dy0 = 0, value = 0;
        for (double t : times) {
            double y = y0 * Math.exp(-k * t);
            value += y * y;
            dk += -2 * t * y * y;
            dy0 += 2 * y * Math.exp(-k * t);
        }
        try (GradientSolver gs = new GradientSolver(decay, loss, null, erk(1e-11, 1e-13), SensitivityOptions.defaults())) {
            Gradient g = gs.gradient(0, new double[] {y0}, new double[] {k}, times);
            assertEquals(SensitivityMethod.FORWARD, g.method(), "AUTO is forward with ERK");
            assertEquals(value, g.loss(), 1e-9 * value);
            assertEquals(dk, g.params()[0], 1e-8 * Math.abs(dk));
            assertEquals(dy0, g.initialState()[0], 1e-8 * Math.abs(dy0));
        }
    }

    static double[] entries(Gradient g) {
        return ErrorEstimateTest.entries(g.params(), g.initialState());
    }

    static double[] gradient(Objective o, SolverOptions options, SensitivityMethod m) {
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, options, o.sensitivity().withMethod(m))) {
            return entries(gs.gradient(0, Y0, P, o.times()));
        }
    }

    @Test
    void lotkaVolterraGradientAgreesWithCvodesForwardAndAdjoint() {
        Objective o = Objectives.lotkaVolterra().withTolerances(1e-12, 1e-14);
        double[] viaErk = gradient(o, erk(1e-11, 1e-13), SensitivityMethod.AUTO);
        double[] forward = gradient(o, o.options().withMaxSteps(1_000_000), SensitivityMethod.FORWARD);
        double[] adjoint = gradient(o, o.options().withMaxSteps(1_000_000), SensitivityMethod.ADJOINT);
        assertTrue(GradientError.relative(viaErk, forward) < 1e-6, "ERK vs CVODES forward " + GradientError.relative(viaErk, forward));
        assertTrue(GradientError.relative(viaErk, adjoint) < 1e-6, "ERK vs CVODES adjoint " + GradientError.relative(viaErk, adjoint));
    }

    /**
     * Fourth-order central differences (step 1e-3 relative: truncation ~1e-12, solver noise ~1e-9)
     * of the loss from CVODES BDF solves at rtol 1e-12.
     */
    @Test
    void lotkaVolterraGradientMatchesCentralDifferences() {
        Objective o = Objectives.lotkaVolterra();
        double[] viaErk = gradient(o, erk(1e-11, 1e-13), SensitivityMethod.FORWARD);
        double[] fd = new double[P.length + Y0.length];
        SolverOptions tight = SolverOptions.defaults().withTolerances(1e-12, 1e-14).withMaxSteps(1_000_000);
        try (CvodesSolver s = new CvodesSolver(o.model(), tight)) {
            for (int j = 0; j < fd.length; j++) {
                double[] l = new double[4];
                double base = j < P.length ? P[j] : Y0[j - P.length], h = 1e-3 * Math.abs(base);
                double[] offsets = {-2 * h, -h, h, 2 * h};
                for (int side = 0; side < 4; side++) {
                    double[] p = P.clone(), y = Y0.clone();
                    if (j < P.length) p[j] = base + offsets[side];
                    else y[j - P.length] = base + offsets[side];
                    Solution sol = s.solve(y, p, o.times());
                    l[side] = o.loss().evaluate(o.times(), sol.states(), p, new double[o.times().length][2], new double[4]);
                }
                fd[j] = (l[0] - 8 * l[1] + 8 * l[2] - l[3]) / (12 * h);
            }
        }
        assertTrue(GradientError.relative(viaErk, fd) < 1e-6, "ERK vs central differences " + GradientError.relative(viaErk, fd));
    }

    @Test
    void javaPathGivesTheNativeReplaysGradient() {
        Objective o = Objectives.lotkaVolterra();
        double[] nativeReplay;
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, erk(1e-8, 1e-10), o.sensitivity())) {
            nativeReplay = entries(gs.gradient(0, Y0, P, o.times()));
            assertTrue(gs.replayStatistics().nativeShare() == 1.0, "native: " + gs.replayStatistics());
        }
        String before = System.getProperty("sundials4j.replay");
        System.setProperty("sundials4j.replay", "java");
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, erk(1e-8, 1e-10), o.sensitivity())) {
            double[] java = entries(gs.gradient(0, Y0, P, o.times()));
            assertTrue(gs.replayStatistics().nativeShare() == 0.0, "Java: " + gs.replayStatistics());
            // LV is arithmetic only: the two replays give the same bits, so the integrations do too
            for (int i = 0; i < java.length; i++) assertEquals(nativeReplay[i], java[i], 0.0, "entry " + i);
        } finally {
            if (before == null) System.clearProperty("sundials4j.replay");
            else System.setProperty("sundials4j.replay", before);
        }
    }

    /** With a listener the outputs are reached one call at a time: the same stop times, the same answer. */
    @Test
    void listenerSeesTheOutputsAndTheAnswerIsUnchanged() {
        TapeOdeModel model = LotkaVolterra.problem().tapeModel();
        double[] times = {1, 2.5, 4, 7, 12};
        try (CvodesSolver s = new CvodesSolver(model, erk(1e-8, 1e-10))) {
            Solution plain = s.solve(Y0, P, times);
            java.util.List<double[]> seen = new java.util.ArrayList<>();
            s.setListener((t, steps) -> seen.add(new double[] {t, steps}));
            Solution listened = s.solve(Y0, P, times);
            assertEquals(0.0, trajectoryError(listened, plain));
            assertEquals(plain.statistics().steps(), listened.statistics().steps());
            assertTrue(seen.size() >= times.length, "reports " + seen.size());
            double[] last = seen.get(seen.size() - 1);
            assertEquals(times[times.length - 1], last[0]);
            assertEquals(plain.statistics().steps(), (long) last[1]);
            for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i)[1] >= seen.get(i - 1)[1], "steps never decrease");
        }
    }

    /** Finite differences and the loss alone run on ERK solves too (GradientSolver's value engine). */
    @Test
    void finiteDifferencesAndLossWithErk() {
        Objective o = Objectives.lotkaVolterra();
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, erk(1e-10, 1e-12), o.sensitivity())) {
            Gradient forward = gs.gradient(0, Y0, P, o.times());
            // the state system alone takes other steps than the augmented one: equal to the integration error
            assertEquals(forward.loss(), gs.loss(0, Y0, P, o.times()), 1e-9 * forward.loss());
            try (GradientSolver fd = new GradientSolver(o.model(), o.loss(), null, erk(1e-10, 1e-12),
                    // step 1e-3: the default rtol^(1/5) = 1e-2 leaves ~4e-5 of truncation over 20 time units
                    o.sensitivity().withMethod(SensitivityMethod.FINITE_DIFFERENCE).withFiniteDifferenceStep(1e-3))) {
                double[] viaFd = entries(fd.gradient(0, Y0, P, o.times()));
                assertTrue(GradientError.relative(viaFd, entries(forward)) < 1e-5,
                        "FD vs forward " + GradientError.relative(viaFd, entries(forward)));
            }
        }
    }

    @Test
    void tooManyStepsNamesArkodesFlagAndTimeReached() {
        try (CvodesSolver s = new CvodesSolver(LotkaVolterra.problem().tapeModel(), erk(1e-8, 1e-10).withMaxSteps(5))) {
            SolverException e = assertThrows(SolverException.class, () -> s.solve(Y0, P, new double[] {50}));
            assertEquals("ARK_TOO_MUCH_WORK", e.flagName());
            assertEquals("ARKodeEvolve", e.function());
            assertTrue(e.time() > 0 && e.time() < 50, "time reached " + e.time());
            assertTrue(e.getMessage().contains("withMaxSteps"), e.getMessage());
        }
    }

    /** A model whose RHS turns NaN past t = 1: ERKStep cannot retry a stage, the failure names it. */
    @Test
    void nonFiniteRhsIsATypedFailure() {
        OdeModel nan = new OdeModel() {
            @Override public int stateCount() { return 1; }
            @Override public int parameterCount() { return 0; }
            @Override public void rhs(double t, double[] y, double[] p, double[] ydot) { ydot[0] = t > 1 ? Double.NaN : -y[0]; }
        };
        try (CvodesSolver s = new CvodesSolver(nan, erk(1e-8, 1e-10))) {
            CallbackException e = assertThrows(CallbackException.class, () -> s.solve(new double[] {1}, new double[0], new double[] {0.5, 2}));
            assertEquals("ARK_UNREC_RHSFUNC_ERR", e.flagName());
            assertTrue(e.time() >= 0.5 && e.time() <= 2, "time " + e.time());
        }
    }

    @Test
    void timeLimitStopsANativeRun() {
        try (CvodesSolver s = new CvodesSolver(LotkaVolterra.problem().tapeModel(),
                erk(1e-12, 1e-14).withTimeLimit(Duration.ofMillis(1)))) {
            SolverCancelledException e = assertThrows(SolverCancelledException.class, () -> s.solve(Y0, P, new double[] {1e5}));
            assertTrue(e.time() > 0 && e.time() < 1e5, "stopped at " + e.time());
            // still usable after the stop
            assertEquals(2, s.solve(Y0, P, new double[] {1}).state(0).length);
        }
    }

    @Test
    void whatErkDoesNotCoverIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> erk(1e-8, 1e-10).withMaxOrder(4));
        Objective o = Objectives.lotkaVolterra();
        IllegalArgumentException adjoint = assertThrows(IllegalArgumentException.class, () -> new GradientSolver(o.model(), o.loss(),
                null, erk(1e-8, 1e-10), o.sensitivity().withMethod(SensitivityMethod.ADJOINT)));
        assertTrue(adjoint.getMessage().contains("ADJOINT"), adjoint.getMessage());
        TapeIntegrand g = TapeIntegrand.of(2, 4, (tape, t, y, q) -> y.get(0));
        assertThrows(IllegalArgumentException.class, () -> new GradientSolver(o.model(), null, g, erk(1e-8, 1e-10),
                o.sensitivity()));
        Objective dosing = Objectives.pkDosing();
        IllegalArgumentException events = assertThrows(IllegalArgumentException.class,
                () -> new CvodesSolver(dosing.model(), erk(1e-8, 1e-10)));
        assertTrue(events.getMessage().contains("events"), events.getMessage());
    }

    /** Every ERK object (memory, augmented views and vectors, tolerances) is freed on close. */
    @Test
    void createSolveCloseCyclesLeaveNativeMemoryFlat() throws java.io.IOException {
        Objective o = Objectives.lotkaVolterra();
        int registered = org.sundials4j.internal.Glue.registeredCount();
        Runnable cycle = () -> {
            try (CvodesSolver s = new CvodesSolver(o.model(), erk(1e-6, 1e-8).withAtol(new double[] {1e-8, 1e-8}))) {
                s.solve(Y0, P, new double[] {1, 2});
            }
            try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), null, erk(1e-6, 1e-8), o.sensitivity())) {
                gs.gradient(0, Y0, P, new double[] {1, 2});
            }
        };
        // two contexts, bridges, vectors and ERKStep memories a cycle: a leak of them is >10 KiB a
        // cycle, >50 MiB a window
        ResourcesTest.assertNoNativeGrowth(cycle, 500, 5_000, 16 * 1024, "ERK solver and gradient cycles");
        assertEquals(registered, org.sundials4j.internal.Glue.registeredCount(), "callback registry slots all returned");
    }

    @Test
    void closedSolverRefusesUse() {
        CvodesSolver s = new CvodesSolver(LotkaVolterra.problem().tapeModel(), erk(1e-8, 1e-10));
        s.close();
        s.close();
        assertThrows(IllegalStateException.class, () -> s.solve(Y0, P, new double[] {1}));
    }
}
