package org.sundials4j.bench;

import org.sundials4j.ode.BenchAccess;
import org.sundials4j.ode.OdeModel;

/**
 * Java twins of the C models in native/include/sundials4j_bench.h and tests/c/rober_c.c: the same
 * arithmetic in the same order, so Java/C timings differ by the callback path only. ROBER is the
 * reference test's RoberFixture (cvsRoberts_dns's f and Jacobian).
 */
final class BenchModels {
    private BenchModels() {}

    /** Outputs 0.4 * 10^k, k = 0..11, computed as rober_c.c computes them (repeated * 10). */
    static double[] roberTimes() {
        double[] t = new double[12];
        double tout = 0.4;
        for (int k = 0; k < t.length; k++, tout *= 10.0) t[k] = tout;
        return t;
    }

    /** The model for a crossing benchmark with n states. */
    static OdeModel forStates(int n) {
        return n == 3 ? BenchAccess.rober() : new Diffusion(n);
    }

    /** 1-D diffusion with zero boundaries (n >= 2): cheap per state, so large n measures copying, not math. */
    static final class Diffusion implements OdeModel {
        private final int n;

        Diffusion(int n) { this.n = n; }

        @Override public int stateCount() { return n; }

        @Override
        public void rhs(double t, double[] u, double[] p, double[] du) {
            du[0] = -2.0 * u[0] + u[1];
            for (int i = 1; i < n - 1; i++) du[i] = u[i - 1] - 2.0 * u[i] + u[i + 1];
            du[n - 1] = u[n - 2] - 2.0 * u[n - 1];
        }
    }
}
