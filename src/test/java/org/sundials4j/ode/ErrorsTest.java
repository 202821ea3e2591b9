package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad input and failing callbacks become typed exceptions that name the problem; the JVM survives. */
class ErrorsTest {
    static final double[] TIMES = {0.4, 4, 40};

    /** ROBER whose RHS misbehaves from its {@code after}-th call on. */
    static final class Faulty implements OdeModel {
        final OdeModel inner = new RoberFixture();
        final int after;
        final boolean nan;
        int calls;

        Faulty(int after, boolean nan) {
            this.after = after;
            this.nan = nan;
        }

        @Override public int stateCount() { return 3; }
        @Override public int parameterCount() { return 3; }
        @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
            if (++calls >= after) {
                if (!nan) throw new ArithmeticException("boom in call " + calls);
                inner.rhs(t, y, p, ydot);
                ydot[1] = Double.NaN;
                return;
            }
            inner.rhs(t, y, p, ydot);
        }
    }

    static CvodesSolver rober(OdeModel m) {
        return new CvodesSolver(m, RoberFixture.referenceOptions());
    }

    @Test
    void throwingRhsReachesTheCallerAsCause() {
        try (CvodesSolver s = rober(new Faulty(50, false))) {
            CallbackException e = assertThrows(CallbackException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
            assertInstanceOf(ArithmeticException.class, e.getCause());
            assertEquals("boom in call 50", e.getCause().getMessage());
            assertEquals("CV_RHSFUNC_FAIL", e.flagName());
            assertEquals("CVode", e.function());
            assertTrue(e.time() > 0 && e.time() < 40, "time reached " + e.time());
            assertTrue(e.getMessage().contains("the RHS at t = ") && e.getMessage().contains("threw java.lang.ArithmeticException"), e.getMessage());
            // the solver stays usable after a failed solve
            assertThrows(CallbackException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
        }
    }

    @Test
    void persistentNaNIsReportedClearly() {
        try (CvodesSolver s = rober(new Faulty(30, true))) {
            CallbackException e = assertThrows(CallbackException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
            assertNull(e.getCause());
            assertTrue(e.getMessage().contains("y'[1] = NaN"), e.getMessage());
            assertTrue(e.flagName().startsWith("CV_"), e.flagName());
        }
    }

    /** NaN only beyond a threshold the solver can step around: CVODES retries and succeeds. */
    @Test
    void transientNaNIsRecoverable() {
        OdeModel m = new OdeModel() {
            @Override public int stateCount() { return 1; }
            @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
                // the RHS is undefined for y < 0; an overshooting trial step produces NaN there
                ydot[0] = y[0] < 0 ? Double.NaN : -Math.sqrt(y[0]) * 50;
            }
        };
        SolverOptions o = SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(1e-3, 1e-3).withMaxStep(1);
        try (CvodesSolver s = new CvodesSolver(m, o)) {
            Solution sol = s.solve(new double[] {1}, new double[0], new double[] {0.01, 0.02});
            double exact = Math.pow(1 - 25 * 0.02, 2); // (sqrt(y0) - 25 t)^2
            assertEquals(exact, sol.state(1)[0], 1e-2);
        }
    }

    @Test
    void tooMuchWorkNamesTheFlagTheTimeAndTheOption() {
        SolverOptions o = RoberFixture.referenceOptions().withMaxSteps(20);
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), o)) {
            SolverException e = assertThrows(SolverException.class,
                    () -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {4e10}));
            assertEquals("CV_TOO_MUCH_WORK", e.flagName());
            assertEquals(SolverException.Phase.FORWARD, e.phase());
            assertTrue(e.time() > 0 && e.time() < 4e10, "time reached " + e.time());
            assertTrue(e.getMessage().contains("withMaxSteps"), e.getMessage());
            assertTrue(e.getMessage().contains("t = "), e.getMessage());
            assertTrue(e.solverMessage().contains("mxstep"), e.solverMessage());
        }
    }

    @Test
    void badArgumentsNameTheArgument() {
        try (CvodesSolver s = rober(new RoberFixture())) {
            assertMessage(() -> s.solve(new double[] {1, 0}, RoberFixture.P, TIMES), "y0 has length 2, expected 3");
            assertMessage(() -> s.solve(new double[] {1, Double.NaN, 0}, RoberFixture.P, TIMES), "y0[1] is not finite");
            assertMessage(() -> s.solve(RoberFixture.Y0, new double[] {1}, TIMES), "params has length 1, expected 3");
            assertMessage(() -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {1, 1}), "outputTimes[1] = 1.0");
            assertMessage(() -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {2, 1}), "strictly increasing");
            assertMessage(() -> s.solve(1, RoberFixture.Y0, RoberFixture.P, new double[] {0.5}), "outputTimes[0] = 0.5");
            assertMessage(() -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {Double.POSITIVE_INFINITY}), "outputTimes[0] is not finite");
            assertMessage(() -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[0]), "outputTimes is empty");
        }
        assertMessage(() -> SolverOptions.defaults().withRtol(-1e-6), "rtol must be non-negative");
        assertMessage(() -> SolverOptions.defaults().withRtol(Double.NaN), "rtol must be non-negative");
        assertMessage(() -> SolverOptions.defaults().withAtol(new double[] {1e-8, 0}).withRtol(0), "rtol = 0 needs positive absolute tolerances, but atol[1] = 0");
        assertMessage(() -> SolverOptions.defaults().withAtol(-1), "atol must be non-negative");
        assertMessage(() -> SolverOptions.defaults().withAtol(new double[] {1e-8, -1}), "atol[1] must be non-negative");
        assertMessage(() -> SolverOptions.defaults().withMaxSteps(0), "maxSteps must be positive");
        assertMessage(() -> SolverOptions.defaults().withMaxOrder(6), "maxOrder must be in [1, 5]");
        assertMessage(() -> LinearSolver.band(-1, 0), "upper bandwidth must be >= 0");
        assertMessage(() -> new CvodesSolver(new RoberFixture(), SolverOptions.defaults().withAtol(new double[] {1, 1})),
                "atol has 2 entries but the model has 3 states");
        assertMessage(() -> new CvodesSolver(new RoberFixture(), SolverOptions.defaults().withLinearSolver(LinearSolver.band(3, 0))),
                "must be < the state count 3");
        assertMessage(() -> new CvodesSolver(new AnalyticSolutionsTest.Decay(), SolverOptions.defaults().withLinearSolver(
                LinearSolver.klu(SparsityPattern.of(3, (i, j) -> i.equals(j))))), "KLU needs a model that supplies its Jacobian");
    }

    @Test
    void jacobianEntryOutsideTheBandIsACallbackError() {
        SolverOptions o = RoberFixture.referenceOptions().withLinearSolver(LinearSolver.band(1, 1));
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), o)) {
            CallbackException e = assertThrows(CallbackException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("(0, 2)"), e.getCause().getMessage());
            assertTrue(e.getMessage().contains("the Jacobian at t = "), e.getMessage());
        }
    }

    @Test
    void useAfterCloseIsAnIllegalState() {
        CvodesSolver s = rober(new RoberFixture());
        s.close();
        s.close(); // idempotent
        assertMessage(IllegalStateException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES), "solver is closed");
        assertMessage(IllegalStateException.class, s::statistics, "solver is closed");
    }

    static void assertMessage(Executable r, String part) {
        assertMessage(IllegalArgumentException.class, r, part);
    }

    static void assertMessage(Class<? extends Throwable> type, Executable r, String part) {
        Throwable e = assertThrows(type, r);
        assertTrue(e.getMessage().contains(part), "message '" + e.getMessage() + "' lacks '" + part + "'");
    }
}
