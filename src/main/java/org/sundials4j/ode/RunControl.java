package org.sundials4j.ode;

/**
 * What may stop a run from outside it: {@code cancel()}, {@code close()} from another thread, an
 * interrupt of the running thread, the time limit. The callbacks poll it once per callback, so a
 * run stops at a callback boundary, where CVODES can unwind normally: polling costs a volatile read
 * and the interrupt check per callback, and the clock is read only every {@value #CLOCK_EVERY}th.
 * One instance may serve several solvers (a {@link GradientSolver}'s engines share one).
 */
final class RunControl {
    private static final int CLOCK_EVERY = 16;

    /** Set by cancel(); cleared when the next public call starts. */
    private volatile boolean cancelRequested;
    /** Set by close() from another thread; never cleared (the solver is going away). */
    private volatile boolean closing;
    private long deadline;
    private long limitNanos;
    private int countdown;

    /** Starts a public call: forgets earlier cancel requests and starts the clock. */
    void arm(long timeLimitNanos) {
        cancelRequested = false;
        limitNanos = timeLimitNanos;
        deadline = timeLimitNanos > 0 ? System.nanoTime() + timeLimitNanos : 0;
        countdown = CLOCK_EVERY;
    }

    void cancel() {
        cancelRequested = true;
    }

    void closing() {
        closing = true;
    }

    /** Null to go on, else why the run must stop. */
    SolverCancelledException.Reason check() {
        if (cancelRequested) return SolverCancelledException.Reason.CANCELLED;
        if (closing) return SolverCancelledException.Reason.CLOSED;
        if (Thread.currentThread().isInterrupted()) return SolverCancelledException.Reason.INTERRUPTED;
        if (deadline != 0 && --countdown <= 0) {
            countdown = CLOCK_EVERY;
            if (System.nanoTime() - deadline > 0) return SolverCancelledException.Reason.TIME_LIMIT;
        }
        return null;
    }

    /** A sentence for the exception message. */
    String describe(SolverCancelledException.Reason r) {
        return switch (r) {
            case CANCELLED -> "cancelled by cancel()";
            case CLOSED -> "cancelled by close() from another thread";
            case INTERRUPTED -> "cancelled: the thread was interrupted (its interrupt status stays set)";
            case TIME_LIMIT -> "stopped by the time limit of " + limitNanos / 1e9 + " s (SolverOptions.withTimeLimit)";
        };
    }
}
