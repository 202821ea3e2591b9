package org.sundials4j.ode;

/**
 * Told how far a long gradient has come, for progress bars ({@link GradientSolver#setListener}): the
 * forward pass from {@code t0} up to the last output time {@code T}, then, for the adjoint, the
 * backward pass from {@code T} down to {@code t0}. Within a pass the reported times are monotone
 * (up in the forward pass, down in the backward one) and inside {@code [t0, T]}; each pass starts
 * with a report at its first time and ends with one at its last.
 *
 * <p>In between, reports come at most every {@link SolveListener#INTERVAL_NANOS} of wall time (or
 * the interval given to {@link GradientSolver#setListener(GradientListener, long)}), checked every
 * 64 callbacks on the Java path and at every heartbeat (every 64 native answers) on the native
 * replay path, so a listener costs nothing measurable and the gradient's bits do not depend on it.
 * The time is the integrator's own (CVODES' current time of the pass's solver), so recomputations
 * of the forward solution between checkpoints during the backward pass do not make it jump. With
 * events, the adjoint's backward pass also replays each segment forward; those replays report
 * nothing (the backward time stays where it is until the adjoint moves on).
 *
 * <p>Runs on the solving thread; an exception it throws ends the gradient in a
 * {@link CallbackException} whose cause it is, and the solver stays usable.
 */
@FunctionalInterface
public interface GradientListener {
    /** The passes of a gradient. */
    enum Pass {
        /** The forward solve (with forward sensitivities, or storing the adjoint's checkpoints): time goes up. */
        FORWARD,
        /** The adjoint's backward solve: time goes down. */
        BACKWARD
    }

    /**
     * @param pass  which pass
     * @param t     the time this pass has reached
     * @param steps CVODES' steps so far in this pass (the backward pass: summed over its intervals
     *              between output times; the forward pass through events: since the last event)
     */
    void progress(Pass pass, double t, long steps);
}
