package org.sundials4j.ode;

/**
 * Told how far a long solve has come, for progress bars: at every output time, and in between at
 * most every {@link #INTERVAL_NANOS} of wall time (checked every 64 right-hand-side evaluations, so a
 * listener costs nothing measurable). Runs on the solving thread; an exception it throws fails the
 * solve like one from the model.
 */
@FunctionalInterface
public interface SolveListener {
    /** Wall time between two reports inside one output interval: 0.1 s. */
    long INTERVAL_NANOS = 100_000_000L;

    /**
     * @param t     the time reached (inside an interval: the time of the latest right-hand-side evaluation)
     * @param steps CVODES' step count so far in this solve
     */
    void progress(double t, long steps);
}
