package org.sundials4j.bench;

import org.sundials4j.ode.JacobianWriter;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.ode.SolverOptions;

/**
 * Java twins of the C models in native/include/sundials4j_bench.h and tests/c/rober_c.c: the same
 * arithmetic in the same order, so Java/C timings differ by the callback path only.
 */
final class BenchModels {
    private BenchModels() {}

    static final double[] ROBER_Y0 = {1, 0, 0};
    static final double[] ROBER_P = {0.04, 1e4, 3e7};

    /** Outputs 0.4 * 10^k, k = 0..11, computed as rober_c.c computes them (repeated * 10). */
    static double[] roberTimes() {
        double[] t = new double[12];
        double tout = 0.4;
        for (int k = 0; k < t.length; k++, tout *= 10.0) t[k] = tout;
        return t;
    }

    static SolverOptions roberOptions() {
        return SolverOptions.defaults().withRtol(1e-4).withAtol(new double[] {1e-8, 1e-14, 1e-6}).withMaxSteps(500);
    }

    /** The model for a crossing benchmark with n states. */
    static OdeModel forStates(int n) {
        return n == 3 ? new Rober() : new Diffusion(n);
    }

    /** Robertson kinetics, as cvsRoberts_dns.c writes f and its Jacobian. */
    static final class Rober implements OdeModel {
        @Override public int stateCount() { return 3; }
        @Override public int parameterCount() { return 3; }

        @Override
        public void rhs(double t, double[] y, double[] p, double[] ydot) {
            ydot[0] = -p[0] * y[0] + p[1] * y[1] * y[2];
            ydot[2] = p[2] * y[1] * y[1];
            ydot[1] = -ydot[0] - ydot[2];
        }

        @Override public boolean hasJacobian() { return true; }

        @Override
        public void jacobian(double t, double[] y, double[] p, JacobianWriter j) {
            j.set(0, 0, -p[0]);
            j.set(0, 1, p[1] * y[2]);
            j.set(0, 2, p[1] * y[1]);
            j.set(1, 0, p[0]);
            j.set(1, 1, -p[1] * y[2] - 2 * p[2] * y[1]);
            j.set(1, 2, -p[1] * y[1]);
            j.set(2, 1, 2 * p[2] * y[1]);
        }
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
