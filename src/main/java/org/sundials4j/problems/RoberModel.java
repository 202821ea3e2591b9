package org.sundials4j.problems;

import org.sundials4j.ode.JacobianWriter;
import org.sundials4j.ode.OdeModel;

/** ROBER written by hand on {@code double[]}, with its analytic Jacobian: the reference for the tape. */
public final class RoberModel implements OdeModel {
    @Override
    public int stateCount() {
        return 3;
    }

    @Override
    public int parameterCount() {
        return 3;
    }

    @Override
    public void rhs(double t, double[] y, double[] p, double[] ydot) {
        ydot[0] = -p[0] * y[0] + p[1] * y[1] * y[2];
        ydot[2] = p[2] * y[1] * y[1];
        ydot[1] = -ydot[0] - ydot[2];
    }

    @Override
    public boolean hasJacobian() {
        return true;
    }

    @Override
    public void jacobian(double t, double[] y, double[] p, JacobianWriter out) {
        out.set(0, 0, -p[0]);
        out.set(0, 1, p[1] * y[2]);
        out.set(0, 2, p[1] * y[1]);
        out.set(1, 0, p[0]);
        out.set(1, 1, -p[1] * y[2] - 2 * p[2] * y[1]);
        out.set(1, 2, -p[1] * y[1]);
        out.set(2, 1, 2 * p[2] * y[1]);
    }
}
