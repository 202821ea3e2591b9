package org.sundials4j.ode;

import org.sundials4j.problems.RoberModel;

/**
 * ROBER as SUNDIALS' cvsRoberts examples write it, with the same arithmetic: hand-coded RHS, dense
 * Jacobian, and the products the sensitivity examples code by hand (so a port of an example runs
 * the same floating-point operations and can match its output digit for digit).
 */
final class RoberFixture implements DifferentiableOdeModel {
    static final double[] Y0 = {1, 0, 0};
    static final double[] P = {0.04, 1e4, 3e7};

    static SolverOptions referenceOptions() {
        return SolverOptions.defaults().withRtol(1e-4).withAtol(new double[] {1e-8, 1e-14, 1e-6});
    }

    @Override public RoberFixture forSolver() { return this; }

    @Override public int stateCount() { return 3; }
    @Override public int parameterCount() { return 3; }

    /** RHS and Jacobian: the problem set's hand-written ROBER, which uses the examples' arithmetic. */
    private final RoberModel base = new RoberModel();

    @Override
    public void rhs(double t, double[] y, double[] p, double[] ydot) {
        base.rhs(t, y, p, ydot);
    }

    @Override public boolean hasJacobian() { return true; }

    @Override
    public void jacobian(double t, double[] y, double[] p, JacobianWriter j) {
        base.jacobian(t, y, p, j);
    }

    /** {@code f_y v + f_p w}, as cvsRoberts_FSA_dns' fS. */
    @Override
    public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
        double y1 = y[0], y2 = y[1], y3 = y[2];
        double s1 = v[0], s2 = v[1], s3 = v[2];
        double sd1 = -p[0] * s1 + p[1] * y3 * s2 + p[1] * y2 * s3;
        double sd3 = 2 * p[2] * y2 * s2;
        double sd2 = -sd1 - sd3;
        sd1 += -y1 * w[0] + y2 * y3 * w[1];
        sd2 += y1 * w[0] - y2 * y3 * w[1] - y2 * y2 * w[2];
        sd3 += y2 * y2 * w[2];
        out[0] = sd1;
        out[1] = sd2;
        out[2] = sd3;
    }

    /** {@code λᵀ f_y} and {@code λᵀ f_p}, as cvsRoberts_ASAi_dns' fB (without g) and fQB. */
    @Override
    public void vjp(double t, double[] y, double[] p, double[] l, double[] outY, double[] outP, double[] ydot) {
        double y1 = y[0], y2 = y[1], y3 = y[2];
        double l21 = l[1] - l[0], l32 = l[2] - l[1];
        outY[0] = p[0] * l21;
        outY[1] = -(p[1] * y3 * l21 - 2.0 * p[2] * y2 * l32);
        outY[2] = -(p[1] * y2 * l21);
        outP[0] = y1 * l21;
        outP[1] = -y2 * y3 * l21;
        outP[2] = y2 * y2 * l32;
        if (ydot != null) rhs(t, y, p, ydot);
    }
}
