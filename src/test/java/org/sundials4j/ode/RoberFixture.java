package org.sundials4j.ode;

/** ROBER as cvsRoberts_dns writes it: hand-coded RHS and dense Jacobian. */
final class RoberFixture implements OdeModel {
    static final double[] Y0 = {1, 0, 0};
    static final double[] P = {0.04, 1e4, 3e7};

    static SolverOptions referenceOptions() {
        return SolverOptions.defaults().withRtol(1e-4).withAtol(new double[] {1e-8, 1e-14, 1e-6});
    }

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
