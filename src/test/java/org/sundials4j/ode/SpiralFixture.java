package org.sundials4j.ode;

/**
 * A decaying rotation, {@code y' = [[-a, w], [-w, -a]] y} with {@code p = (a, w)}: linear, with
 * the closed form {@code y(t) = e^{-at} R(wt) y0} ({@code R} the clockwise rotation), so that its
 * states and every sensitivity are known exactly at any time, and it takes as many steps as one
 * asks for (about a hundred per turn at tight tolerances). Its loss {@code L = y1(T) + y2(T)²/2}
 * has the closed-form gradient {@link #gradient}.
 */
final class SpiralFixture implements DifferentiableOdeModel {
    @Override public SpiralFixture forSolver() { return this; }
    @Override public int stateCount() { return 2; }
    @Override public int parameterCount() { return 2; }
    @Override public boolean hasJacobian() { return true; }

    @Override
    public void rhs(double t, double[] y, double[] p, double[] ydot) {
        ydot[0] = -p[0] * y[0] + p[1] * y[1];
        ydot[1] = -p[1] * y[0] - p[0] * y[1];
    }

    @Override
    public void jacobian(double t, double[] y, double[] p, JacobianWriter j) {
        j.set(0, 0, -p[0]);
        j.set(0, 1, p[1]);
        j.set(1, 0, -p[1]);
        j.set(1, 1, -p[0]);
    }

    @Override
    public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
        out[0] = -p[0] * v[0] + p[1] * v[1] - y[0] * w[0] + y[1] * w[1];
        out[1] = -p[1] * v[0] - p[0] * v[1] - y[1] * w[0] - y[0] * w[1];
    }

    @Override
    public void vjp(double t, double[] y, double[] p, double[] l, double[] outY, double[] outP, double[] ydot) {
        outY[0] = -p[0] * l[0] - p[1] * l[1];
        outY[1] = p[1] * l[0] - p[0] * l[1];
        outP[0] = -y[0] * l[0] - y[1] * l[1];
        outP[1] = y[1] * l[0] - y[0] * l[1];
        if (ydot != null) rhs(t, y, p, ydot);
    }

    /** The exact state at t. */
    static double[] state(double t, double[] y0, double[] p) {
        double e = Math.exp(-p[0] * t), c = Math.cos(p[1] * t), s = Math.sin(p[1] * t);
        return new double[] {e * (c * y0[0] + s * y0[1]), e * (-s * y0[0] + c * y0[1])};
    }

    /** {@code L = y1(T) + y2(T)²/2} as an {@link OutputLoss} of the last output. */
    static final OutputLoss LOSS = (times, states, p, dY, dP) -> {
        double[] y = states[states.length - 1];
        dY[states.length - 1][0] = 1;
        dY[states.length - 1][1] = y[1];
        return y[0] + 0.5 * y[1] * y[1];
    };

    /**
     * The exact gradient of {@link #LOSS} at T: {@code [dL/da, dL/dw, dL/dy0_1, dL/dy0_2]}, from
     * {@code dy/da = -T y}, {@code dy/dw = T (y2, -y1)} and {@code dy/dy0 = e^{-aT} R(wT)}.
     */
    static double[] gradient(double T, double[] y0, double[] p) {
        double[] y = state(T, y0, p);
        double e = Math.exp(-p[0] * T), c = Math.cos(p[1] * T), s = Math.sin(p[1] * T);
        double[] dyda = {-T * y[0], -T * y[1]}, dydw = {T * y[1], -T * y[0]};
        double[] dy10 = {e * c, -e * s}, dy20 = {e * s, e * c};
        return new double[] {dyda[0] + y[1] * dyda[1], dydw[0] + y[1] * dydw[1], dy10[0] + y[1] * dy10[1], dy20[0] + y[1] * dy20[1]};
    }
}
