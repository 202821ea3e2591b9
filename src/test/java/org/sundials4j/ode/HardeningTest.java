package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sundials4j.ode.ErrorsTest.assertMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.DoublePointer;
import org.junit.jupiter.api.Test;

/** The crashes and wrong answers of issue 10, each turned into a typed exception or a right answer. */
class HardeningTest {

    /** Item 3: a Krylov dimension above n is refused before anything is allocated. */
    @Test
    void gmresKrylovDimensionAboveTheStateCountIsRefused() {
        assertMessage(() -> new CvodesSolver(new RoberFixture(), SolverOptions.defaults().withLinearSolver(LinearSolver.gmres(10_000))),
                "gmres maxl = 10000 exceeds the state count 3");
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions().withLinearSolver(LinearSolver.gmres(3)))) {
            double[] y = s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {0.4}).state(0);
            assertEquals(9.8517e-01, y[0], 1e-4); // cvsRoberts_dns.out at t = 0.4
        }
    }

    /**
     * Item 6: a first output a few hundred orders of magnitude after t0 underflowed CVODES' first step
     * and came back as NaN with success; it is refused, and a first output CVODES can start on works.
     */
    @Test
    void firstOutputTooCloseToT0IsRefused() {
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
            for (double t : new double[] {Double.MIN_VALUE, 1e-309, 2.2e-308, 1e-300}) {
                assertMessage(() -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {t, 1}), "is too close to t0 = 0.0");
            }
            assertMessage(() -> s.solve(5, RoberFixture.Y0, RoberFixture.P, new double[] {Math.nextUp(5.0), 6}), "is too close to t0 = 5.0");
            // an output at exactly t0 is still y0, and 1e-280 is far enough: y(t) ≈ y0 - t·f(y0)
            Solution sol = s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {0, 1e-280, 0.4});
            assertEquals(1.0, sol.state(1)[0]);
            assertEquals(9.8517e-01, sol.state(2)[0], 1e-4);
        }
    }

    /**
     * Issue 10's remainder: from y0 = [1e300, 0, 0] CVODES' initial step bound overflows
     * (|f_1| / atol_1 = 4e298 / 1e-14), its estimate comes out 0, and a plain solve answered y0 as
     * y(0.4) with success; forward mode then failed with a CV_BAD_T message quoting uninitialised
     * memory (s4j-4). Every mode now stops at the first output with STALLED, in a message that is
     * the same on every run (fresh solvers, a reused one) and names t0, the output time, the step
     * estimate and the largest initial state with its index.
     */
    @Test
    void aZeroInitialStepIsAFailureNamingItsCause() {
        double[] y0 = {1e300, 0, 0}, times = {0.4, 4};
        String expected = " made no step from t0 = 0.0 toward t = 0.4: CVODES' initial step estimate is 0.0 (its upper bound, "
                + "from max |f_i(t0, y0)| / (rtol |y0_i| + atol_i), overflowed; the largest |y0_i| is 1.0E300 at i = 0); "
                + "rescale the states or set SolverOptions.withInitialStep";
        java.util.Set<String> messages = new java.util.HashSet<>();
        try (CvodesSolver reused = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
            for (int run = 0; run < 3; run++) {
                SolverException e;
                try (CvodesSolver fresh = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
                    e = assertThrows(SolverException.class, () -> fresh.solve(y0, RoberFixture.P, times));
                }
                SolverException r = assertThrows(SolverException.class, () -> reused.solve(y0, RoberFixture.P, times));
                assertEquals(e.getMessage(), r.getMessage());
                assertStalled(e, "CVode", SolverException.Phase.FORWARD, expected);
                messages.add(e.getMessage());
            }
            // the reused solver is unharmed
            assertEquals(9.8517e-01, reused.solve(RoberFixture.Y0, RoberFixture.P, new double[] {0.4}).state(0)[0], 1e-4);
        }
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT})
            for (int run = 0; run < 3; run++)
                try (GradientSolver g = LifecycleTest.gradientSolver(new RoberFixture(), LifecycleTest.SQUARES, m)) {
                    SolverException e = assertThrows(SolverException.class, () -> g.gradient(0, y0, RoberFixture.P, times));
                    assertStalled(e, m == SensitivityMethod.FORWARD ? "CVode" : "CVodeF",
                            m == SensitivityMethod.FORWARD ? SolverException.Phase.SENSITIVITY : SolverException.Phase.FORWARD, expected);
                    messages.add(e.getMessage());
                }
        assertEquals(2, messages.size(), "one message per function (CVode, CVodeF): " + messages);
        // a given initial step gets past the bound; the run then fails on its own terms, not STALLED
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions().withInitialStep(1e-20))) {
            SolverException e = assertThrows(SolverException.class, () -> s.solve(y0, RoberFixture.P, times));
            assertFalse(e.flagName().equals("STALLED"), e.getMessage());
        }
    }

    static void assertStalled(SolverException e, String function, SolverException.Phase phase, String expected) {
        assertEquals("STALLED", e.flagName(), e.getMessage());
        assertEquals(function, e.function());
        assertEquals(phase, e.phase());
        assertEquals(0.0, e.time());
        assertTrue(e.getMessage().equals(function + expected), e.getMessage());
    }

    /** Item 10: a recovered NaN is not blamed for a later, unrelated failure. */
    @Test
    void recoveredNaNIsNotBlamedForALaterTooMuchWork() {
        OdeModel onceNaN = new OdeModel() {
            final RoberFixture base = new RoberFixture();
            int calls;
            @Override public int stateCount() { return 3; }
            @Override public int parameterCount() { return 3; }
            @Override public boolean hasJacobian() { return true; }
            @Override public void jacobian(double t, double[] y, double[] p, JacobianWriter j) { base.jacobian(t, y, p, j); }
            @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
                base.rhs(t, y, p, ydot);
                if (++calls == 30) ydot[0] = Double.NaN;
            }
        };
        try (CvodesSolver s = new CvodesSolver(onceNaN, RoberFixture.referenceOptions().withMaxSteps(200))) {
            SolverException e = assertThrows(SolverException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {4e10}));
            assertFalse(e instanceof CallbackException, e.getMessage());
            assertEquals("CV_TOO_MUCH_WORK", e.flagName());
            assertFalse(e.getMessage().contains("NaN"), e.getMessage());
            assertTrue(e.getMessage().contains("withMaxSteps"), e.getMessage());
        }
    }

    /** Item 10: a Jacobian returning NaN is named as the Jacobian, with the entry. */
    @Test
    void nanJacobianIsBlamedOnTheJacobian() {
        OdeModel badJacobian = new OdeModel() {
            final RoberFixture base = new RoberFixture();
            @Override public int stateCount() { return 3; }
            @Override public int parameterCount() { return 3; }
            @Override public boolean hasJacobian() { return true; }
            @Override public void rhs(double t, double[] y, double[] p, double[] ydot) { base.rhs(t, y, p, ydot); }
            @Override public void jacobian(double t, double[] y, double[] p, JacobianWriter j) {
                base.jacobian(t, y, p, j);
                j.set(2, 1, Double.NaN);
            }
        };
        for (LinearSolver ls : List.of(LinearSolver.dense(), LinearSolver.band(2, 2),
                LinearSolver.klu(SparsityPattern.of(3, (i, j) -> true)))) {
            try (CvodesSolver s = new CvodesSolver(badJacobian, RoberFixture.referenceOptions().withLinearSolver(ls))) {
                CallbackException e = assertThrows(CallbackException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {40}));
                assertTrue(e.getMessage().contains("the Jacobian returned entry (2, 1) = NaN"), ls + ": " + e.getMessage());
                assertFalse(e.getMessage().contains("RHS"), e.getMessage());
                assertNull(e.getCause());
            }
        }
    }

    /** Item 11: a NULL from a native allocator becomes a typed exception naming what was allocated. */
    @Test
    void failedNativeAllocationIsATypedException() {
        SolverException e = assertThrows(SolverException.class, () -> CvodesSolver.allocated(new DoublePointer(), "the test buffer"));
        assertEquals("CV_MEM_FAIL", e.flagName());
        assertEquals(SolverException.Phase.SETUP, e.phase());
        assertTrue(e.getMessage().contains("out of native memory allocating the test buffer"), e.getMessage());
    }

    /**
     * Item 11: under JavaCPP's physical-memory limit (the probe loads the library under a 200 MB
     * limit, then grows past it, so that every further JavaCPP allocation is refused) solves and
     * their statistics still work: a solver allocates nothing through JavaCPP, its statistics
     * buffer is made with it in native memory.
     */
    @Test
    void solvesWorkUnderJavaCppsMemoryLimit() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-Xmx512m", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=200m",
                "-Dorg.bytedeco.javacpp.maxRetries=0", "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), MemoryLimitProbe.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "probe timed out: " + out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("JavaCPP refuses: java.lang.OutOfMemoryError"), "the limit must be active: " + out);
        assertTrue(out.contains("steps="), out);
    }

    /** Run by {@link #solvesWorkUnderJavaCppsMemoryLimit} in its own JVM. */
    public static final class MemoryLimitProbe {
        public static void main(String[] args) {
            org.sundials4j.internal.Glue.init(); // loads the JNI libraries under the limit
            byte[] ballast = new byte[300 << 20];
            for (int i = 0; i < ballast.length; i += 4096) ballast[i] = 1; // resident: past the limit now
            try {
                new DoublePointer(13).close();
                System.out.println("JavaCPP allocates: the limit is not active");
            } catch (OutOfMemoryError e) {
                System.out.println("JavaCPP refuses: " + e.getClass().getName());
            }
            try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
                s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {0.4, 4});
                System.out.println("steps=" + s.statistics().steps() + " " + ballast[4096]);
            }
        }
    }

    /** Item 13: bad CSC arrays and sizes are argument errors, never an index exception. */
    @Test
    void sparsityPatternValidatesItsArguments() {
        assertMessage(() -> SparsityPattern.ofCsc(2, new int[] {0, 5, 2}, new int[] {0, 1}), "colStart[1] = 5 exceeds rowIndex.length = 2");
        assertMessage(() -> SparsityPattern.ofCsc(2, new int[] {0, -1, 2}, new int[] {0, 1}), "colStart decreases at column 0");
        assertMessage(() -> SparsityPattern.ofCsc(2, new int[] {0, 1, 2}, new int[] {0, 7}), "rowIndex[1] = 7 is outside [0, 2)");
        assertMessage(() -> SparsityPattern.ofCsc(2, new int[] {1, 1, 2}, new int[] {0, 1}), "colStart must start at 0");
        assertMessage(() -> SparsityPattern.of(-1, (i, j) -> true), "n must be positive, got -1");
        assertMessage(() -> SparsityPattern.of(0, (i, j) -> true), "n must be positive, got 0");
        assertThrows(NullPointerException.class, () -> SparsityPattern.ofCsc(2, null, new int[0]));
        SparsityPattern ok = SparsityPattern.ofCsc(2, new int[] {0, 1, 3}, new int[] {0, 0, 1});
        assertTrue(ok.contains(0, 1) && !ok.contains(1, 0) && ok.nonZeros() == 3);
    }

    /** Item 13: a relative tolerance of 1 or more is no tolerance at all. */
    @Test
    void relativeToleranceOfOneOrMoreIsRefused() {
        assertMessage(() -> SolverOptions.defaults().withRtol(1e300), "rtol must be below 1");
        assertMessage(() -> SolverOptions.defaults().withRtol(1), "rtol must be below 1");
        assertMessage(() -> SensitivityOptions.defaults().withBackwardTolerances(2, 1e-8), "backward rtol must be below 1");
        assertMessage(() -> SensitivityOptions.defaults().withQuadratureTolerances(1, 1e-8), "quadrature rtol must be below 1");
        assertInstanceOf(SolverOptions.class, SolverOptions.defaults().withRtol(0.5));
    }
}
