package org.sundials4j.ode;

/**
 * A solve or gradient run was stopped before it finished: by {@link CvodesSolver#cancel()} or
 * {@link GradientSolver#cancel()}, by {@link Thread#interrupt()} of the thread running it (whose
 * interrupt status stays set), by {@code close()} from another thread, or by the time limit of
 * {@link SolverOptions#withTimeLimit}. Runs are stopped at the next callback boundary (the next
 * model evaluation CVODES asks for), so the native integrator unwinds normally and the solver
 * stays usable. {@link #time()} is the integration time of the callback that noticed.
 */
public class SolverCancelledException extends SolverException {
    /** What stopped the run. */
    public enum Reason { CANCELLED, INTERRUPTED, CLOSED, TIME_LIMIT }

    private final Reason reason;

    public SolverCancelledException(String message, Reason reason, int flag, String flagName, String function, double time,
                                    Phase phase) {
        super(message, flag, flagName, function, time, phase, "", null);
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
