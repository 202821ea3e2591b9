package org.sundials4j.ode;

import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The bridge between a {@link GradientListener} and the callbacks' throttled progress hook
 * ({@link ModelCallbacks#listener}): the engines say which pass runs and which solver integrates it;
 * the callbacks say when a report is due. What is reported is the pass's solver's own current time,
 * kept monotone and inside the pass's range (CVODES steps past an output time and interpolates back,
 * and a backward restart at an output starts from that time again).
 */
final class GradientProgress implements SolveListener {
    private final GradientListener target;
    private GradientListener.Pass pass;
    private double from, to, reached;
    /** The current time of the solver integrating this pass, or null while nothing of this pass integrates. */
    private DoubleSupplier time;
    private LongSupplier steps;
    /** Steps of this pass's finished intervals (the backward pass restarts its solver at every output). */
    private long stepsBefore;

    GradientProgress(GradientListener target) {
        this.target = target;
    }

    /** Starts a pass from {@code from} to {@code to}, reporting {@code from} at once; {@code time} may be null for now. */
    void begin(GradientListener.Pass pass, double from, double to, DoubleSupplier time, LongSupplier steps) {
        this.pass = pass;
        this.from = from;
        this.to = to;
        this.reached = from;
        this.stepsBefore = 0;
        this.time = null; // a run that failed may have left its solver here
        follow(time, steps);
        call(from, 0);
    }

    /** The solver now integrating the pass (null: none until further notice; its steps so far are kept). */
    void follow(DoubleSupplier time, LongSupplier steps) {
        if (this.time != null && time == null) stepsBefore += this.steps.getAsLong();
        this.time = time;
        this.steps = steps;
    }

    /** The pass has reached {@code t} (an output time, its end): reported whatever the throttle says. */
    void reached(double t) {
        call(advance(t), steps());
    }

    /** The steps of the pass so far (the callbacks read them for their reports). */
    long steps() {
        return stepsBefore + (time != null ? steps.getAsLong() : 0);
    }

    /** The callbacks' throttled report: {@code t} is a callback's time, so the solver's own is read instead. */
    @Override
    public void progress(double t, long stepCount) {
        if (time == null) return;
        double now = time.getAsDouble();
        if (!Double.isFinite(now)) return;
        target.progress(pass, advance(now), stepCount);
    }

    /** Moves the reported time to {@code now}, never back and never out of the pass's range. */
    private double advance(double now) {
        reached = to >= from ? Math.min(to, Math.max(reached, now)) : Math.max(to, Math.min(reached, now));
        return reached;
    }

    /** A report from the engine's own code (not a callback): a listener's exception becomes a typed one. */
    private void call(double t, long s) {
        try {
            target.progress(pass, t, s);
        } catch (RuntimeException | Error e) {
            throw new CallbackException("the gradient listener threw " + e + " at t = " + t, 0, "LISTENER_FAILED",
                    "GradientListener.progress", t, pass == GradientListener.Pass.FORWARD ? SolverException.Phase.FORWARD
                    : SolverException.Phase.BACKWARD, "", e);
        }
    }
}
