package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sundials4j.internal.cvodes.global.cvodes;

/**
 * {@link Gradient#adjointHeapBytes()} against an independent measurement: glibc's count of the C
 * heap in use (mallinfo2 uordblks + hblkhd, all arenas) freed when the gradient solver closes.
 * Closing frees the adjoint storage together with the solver's own fixed memory (integrators,
 * vectors, matrices, bridges), which a run with few checkpoints and few data points measures; the
 * long runs must then agree with the reported figure within 10%. One case is dominated by
 * checkpoints (tens of thousands, with an integral, so that quadrature vectors are stored too), the
 * others by interpolation data points (Hermite: two vectors per point, polynomial: one).
 */
class GradientMemoryTest {
    static final double[] Y0 = {1, 0.5}, P = {1e-3, 1};
    /** A quadrature in the error test: the checkpoints carry its Nordsieck array too. */
    static final Integrand Y1 = new Integrand() {
        @Override public double value(double t, double[] y, double[] p) { return y[0]; }
        @Override public double gradient(double t, double[] y, double[] p, double[] gy, double[] gp) {
            gy[0] = 1;
            gy[1] = 0;
            java.util.Arrays.fill(gp, 0);
            return y[0];
        }
    };

    record Measured(Gradient gradient, long freed) {}

    /** A fresh adjoint gradient to {@code T}; the heap its solver frees on close. */
    static Measured run(Method m, int checkpointSteps, SensitivityOptions.Interpolation interp, double T) {
        SolverOptions o = SolverOptions.defaults().withMethod(m).withTolerances(1e-10, 1e-12).withMaxSteps(1_000_000);
        SensitivityOptions s = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT)
                .withCheckpointSteps(checkpointSteps).withInterpolation(interp);
        GradientSolver gs = new GradientSolver(new SpiralFixture(), SpiralFixture.LOSS, Y1, o, s);
        Gradient g = gs.gradient(0, Y0, P, new double[] {T});
        long before = cvodes.s4j_heap_in_use();
        gs.close();
        return new Measured(g, before - cvodes.s4j_heap_in_use());
    }

    /** The reported adjoint heap agrees with what closing frees, less the solver's fixed part. */
    static void assertAgrees(String what, Measured small, Measured big) {
        long fixed = small.freed() - small.gradient().adjointHeapBytes();
        long measured = big.freed() - fixed, reported = big.gradient().adjointHeapBytes();
        System.out.printf("GradientMemoryTest %s: %d checkpoints, reported %.2f MiB (checkpoints %.2f, data points %.2f), "
                        + "mallinfo2 %.2f MiB (freed %.2f less the solver's fixed %.3f), ratio %.3f; doubles-only figure %.2f MiB%n",
                what, big.gradient().checkpoints(), mib(reported), mib(big.gradient().checkpointHeapBytes()),
                mib(big.gradient().interpolationHeapBytes()), mib(measured), mib(big.freed()), mib(fixed),
                (double) reported / measured, mib(big.gradient().checkpointBytes()));
        assertTrue(reported > 20L << 20, what + ": the case must hold tens of MiB, reported " + reported);
        assertEquals(1.0, (double) reported / measured, 0.10, what + ": reported " + reported + " vs measured " + measured);
    }

    static double mib(long b) {
        return b / 1048576.0;
    }

    @Test
    void checkpointsAgreeWithMallinfo() {
        for (Method m : new Method[] {Method.BDF, Method.ADAMS}) {
            // about 27,000 checkpoints with BDF; Adams takes a fifth of the steps (and 12 + 1 vectors a checkpoint)
            int steps = m == Method.BDF ? 5 : 2;
            Measured small = run(m, steps, SensitivityOptions.Interpolation.HERMITE, 5);
            Measured big = run(m, steps, SensitivityOptions.Interpolation.HERMITE, 2 * Math.PI * 400);
            assertTrue(big.gradient().checkpoints() > (m == Method.BDF ? 20_000 : 8_000), "checkpoints " + big.gradient().checkpoints());
            assertTrue(big.gradient().checkpointHeapBytes() > 10 * big.gradient().interpolationHeapBytes());
            assertAgrees(m + " checkpoints", small, big);
        }
    }

    @Test
    void dataPointsAgreeWithMallinfo() {
        for (SensitivityOptions.Interpolation i : SensitivityOptions.Interpolation.values()) {
            Measured small = run(Method.BDF, 20, i, 5);
            Measured big = run(Method.BDF, 100_000, i, 5);
            assertTrue(big.gradient().interpolationHeapBytes() > 10 * big.gradient().checkpointHeapBytes());
            assertAgrees(i + " data points", small, big);
        }
    }
}
