package org.sundials4j.ode;

/**
 * The state update of an event, {@code y⁺ = h(t, y⁻, p)}, with the two products the sensitivity
 * solvers need. {@code org.sundials4j.tape.TapeEvents} records one on the AD tape; the layout of
 * {@code (t, y, p)} derivatives is that of {@link EventFunction#gradient}.
 *
 * <p>Arrays passed in belong to the solver and are reused: read them during the call only.
 */
public interface EventAction {
    /** Writes {@code h(t, y, p)} into {@code out} (length n; never the same array as {@code y}). */
    void apply(double t, double[] y, double[] p, double[] out);

    /** {@code out = h_t·dt + h_y·v + h_p·w}; {@code w} may be null for zero. */
    void jvp(double t, double[] y, double[] p, double dt, double[] v, double[] w, double[] out);

    /**
     * {@code grad = [h_t, h_y, h_p]ᵀ λ} in the layout {@code [t, y_0.., p_0..]} (length
     * {@code 1 + n + np}).
     */
    void vjp(double t, double[] y, double[] p, double[] lambda, double[] grad);

    /** The instance one solver uses (override when the action keeps scratch state). */
    default EventAction forSolver() {
        return this;
    }
}
