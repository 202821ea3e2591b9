package org.sundials4j.ode;

import java.nio.DoubleBuffer;
import org.sundials4j.internal.CallbackTarget;
import org.sundials4j.internal.Glue;

/**
 * The Java end of one solver's callbacks: reads the staged state, calls the model, writes the
 * result back, and turns every failure into a flag. Nothing here allocates per call.
 *
 * <p>A thrown exception is kept in {@link #failure} and reported as fatal (-1). A non-finite result
 * is reported as recoverable (+1) so CVODES can retry with a smaller step; where it came from is
 * kept in {@link #nonFinite} in case CVODES gives up.
 */
class ModelCallbacks implements CallbackTarget {
    final OdeModel model;
    final int n;
    final double[] p;
    final double[] y;
    final double[] ydot;
    DoubleBuffer yBuf, ydotBuf;
    StagedJacobian jacobian;
    /** Polled at every callback; replaced by a shared one when the solver serves a GradientSolver. */
    RunControl control = new RunControl();
    /** Triggers of the model's state events, one per CVODES root function, and their staging view. */
    EventFunction[] triggers;
    DoubleBuffer gBuf;

    Throwable failure;
    String failureSite;
    /** The last non-finite result reported as recoverable, until a later call of the same event succeeds. */
    String nonFinite;
    private int nonFiniteEvent = -1;
    /** Why the run was stopped from outside (cancel, interrupt, close, time limit), or null. */
    SolverCancelledException.Reason stopped;
    double stoppedAt = Double.NaN;

    /** Progress reporting (see {@link SolveListener}); null for none. */
    SolveListener listener;
    java.util.function.LongSupplier steps;
    /** Wall time between two throttled reports. */
    long intervalNanos = SolveListener.INTERVAL_NANOS;
    private int sinceCheck;
    private long nextReport;

    ModelCallbacks(OdeModel model) {
        this.model = model;
        this.n = model.stateCount();
        this.p = new double[model.parameterCount()];
        this.y = new double[n];
        this.ydot = new double[n];
    }

    void setParameters(double[] params) {
        System.arraycopy(params, 0, p, 0, p.length);
    }

    void clearFailure() {
        failure = null;
        failureSite = null;
        nonFinite = null;
        nonFiniteEvent = -1;
        stopped = null;
        stoppedAt = Double.NaN;
    }

    @Override
    public int onEvent(int event, int index, double t) {
        if (failure != null || stopped != null) return -1;
        SolverCancelledException.Reason stop = control.check();
        if (stop != null) {
            stopped = stop;
            stoppedAt = t;
            return -1;
        }
        try {
            int r = switch (event) {
                case Glue.EV_RHS -> rhs(t);
                case Glue.EV_JAC -> jacobian(t);
                case Glue.EV_ROOT -> triggers(t);
                case Glue.EV_POLL -> poll(t);
                default -> other(event, index, t);
            };
            if (r > 0) {
                nonFiniteEvent = event;
            } else if (event == nonFiniteEvent) {
                // CVODES stepped past it: a later failure is not this one's doing
                nonFinite = null;
                nonFiniteEvent = -1;
            }
            return r;
        } catch (Throwable e) {
            failure = e;
            failureSite = siteName(event) + " at t = " + t;
            return -1;
        }
    }

    /** Events beyond the forward solve; subclasses for sensitivities override this. */
    int other(int event, int index, double t) {
        throw new IllegalStateException("unexpected callback event " + event);
    }

    String siteName(int event) {
        return switch (event) {
            case Glue.EV_RHS -> "the RHS";
            case Glue.EV_JAC -> "the Jacobian";
            case Glue.EV_ROOT -> "an event trigger";
            default -> "callback " + event;
        };
    }

    private int rhs(double t) {
        tick(t);
        Staging.read(yBuf, y);
        model.rhs(t, y, p, ydot);
        if (!finite(ydot, "the RHS", "y'", t)) return 1;
        Staging.write(ydot, ydotBuf);
        return 0;
    }

    /** Counts a callback served in Java; every 64th may report progress (the throttle decides). */
    final void tick(double t) {
        if (listener != null && ++sinceCheck >= 64) report(t);
    }

    /** The native replay's heartbeat: the run control was checked above; progress goes on from here too. */
    private int poll(double t) {
        if (listener != null) report(t);
        return 0;
    }

    private int jacobian(double t) {
        Staging.read(yBuf, y);
        model.jacobian(t, y, p, jacobian);
        return finiteJacobian(jacobian, "the Jacobian", t) ? 0 : 1;
    }

    /** Checks what a Jacobian evaluation wrote; on a NaN/infinity records where and returns false. */
    final boolean finiteJacobian(StagedJacobian j, String what, double t) {
        String bad = j.takeNonFinite();
        if (bad == null) return true;
        nonFinite = what + " returned " + bad + " at t = " + t;
        return false;
    }

    /** Every state event's trigger at (t, y); a non-finite trigger ends the solve (CVODES cannot retry roots). */
    private int triggers(double t) {
        Staging.read(yBuf, y);
        for (int r = 0; r < triggers.length; r++) {
            double g = triggers[r].value(t, y, p);
            if (!Double.isFinite(g)) throw new ArithmeticException("event trigger " + r + " returned " + g);
            gBuf.put(r, g);
        }
        return 0;
    }

    private void report(double t) {
        sinceCheck = 0;
        long now = System.nanoTime();
        if (now - nextReport < 0) return;
        nextReport = now + intervalNanos;
        listener.progress(t, steps.getAsLong());
    }

    /** Checks a callback result; on a NaN/infinity records where and returns false. */
    final boolean finite(double[] v, String what, String name, double t) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                nonFinite = what + " returned " + name + "[" + i + "] = " + v[i] + " at t = " + t;
                return false;
            }
        }
        return true;
    }
}
