package org.sundials4j.ode;

/**
 * The trigger of a state event: a scalar {@code g(t, y, p)} whose zero crossings CVODES locates
 * (root finding). Sensitivities through the event need its gradient, so a trigger supplies both;
 * {@code org.sundials4j.tape.TapeEvents} records one on the AD tape.
 *
 * <p>Arrays passed in belong to the solver and are reused: read them during the call only.
 */
public interface EventFunction {
    /** {@code g(t, y, p)}. */
    double value(double t, double[] y, double[] p);

    /**
     * Returns {@code g(t, y, p)} and writes its gradient into {@code grad} in the layout
     * {@code [∂g/∂t, ∂g/∂y_0 .. ∂g/∂y_{n-1}, ∂g/∂p_0 .. ∂g/∂p_{np-1}]} (length {@code 1 + n + np}).
     */
    double gradient(double t, double[] y, double[] p, double[] grad);

    /** The instance one solver uses (override when the function keeps scratch state). */
    default EventFunction forSolver() {
        return this;
    }
}
