package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.N_Vector;

/**
 * What the forward and the adjoint engines share: a solver whose callbacks serve sensitivity
 * events, the selected parameters and initial states, and the forward quadrature of the integral
 * functional when there is one. The solver owns every native object; {@link #close()} frees them.
 */
abstract class SensitivityEngine implements AutoCloseable {
    final CvodesSolver solver;
    final SensitivityCallbacks cb;
    final SensitivityOptions so;
    final int n;
    final int[] params, states;
    /** The forward quadrature {@code ∫ g dt} (one entry), or null without an integrand. */
    final N_Vector q;

    SensitivityEngine(DifferentiableOdeModel model, SolverOptions o, SensitivityOptions so, Integrand integrand,
                      RunControl control) {
        this.solver = new CvodesSolver(model, o, SensitivityCallbacks::new);
        this.cb = (SensitivityCallbacks) solver.callbacks;
        cb.control = control;
        this.so = so;
        this.n = solver.n;
        try {
            this.params = so.parameters(model.parameterCount());
            this.states = so.initialStates(n);
            if (integrand != null) {
                cb.integrand = integrand.forSolver();
                cb.qBuf = solver.stage(Glue.BUF_Q, 1);
                this.q = solver.owner.own(solver.newVector(1, "the integral's quadrature"), v -> N_VDestroy(v));
            } else {
                this.q = null;
            }
            // fixed for the engine's life (it owns its solver), so wired once rather than per run
            if (solver.events != null) {
                solver.events.quadrature = q;
                solver.events.jumps.integrand = cb.integrand;
            }
        } catch (RuntimeException | Error e) {
            solver.close();
            throw e;
        }
    }

    /** Progress of the current run, or null without a listener. */
    GradientProgress progress;
    private final double[] timeOut = new double[1];

    /** Reports later runs to {@code listener} (null: none), throttled to one report per {@code intervalNanos}. */
    final void listen(GradientListener listener, long intervalNanos) {
        progress = listener == null ? null : new GradientProgress(listener);
        cb.listener = progress;
        cb.steps = progress == null ? null : progress::steps;
        cb.intervalNanos = intervalNanos;
        if (progress != null) solver.countSteps();
    }

    /** The current time of CVODES memory {@code mem} (NaN if it cannot say), for progress reports. */
    final double currentTime(org.bytedeco.javacpp.Pointer mem) {
        if (solver.erk) return solver.erkCurrentTime(mem);
        return mem != null && !mem.isNull() && CVodeGetCurrentTime(mem, timeOut) == CV_SUCCESS ? timeOut[0] : Double.NaN;
    }

    /** Starts the forward pass's progress over {@code [t0, T]}, following the forward solver. */
    final void forwardPass(double t0, double tEnd) {
        forwardPass(t0, tEnd, solver.mem);
    }

    /** {@link #forwardPass(double, double)} following integrator memory {@code mem} of the solver (ERK's augmented one). */
    final void forwardPass(double t0, double tEnd, org.bytedeco.javacpp.Pointer mem) {
        if (progress != null)
            progress.begin(GradientListener.Pass.FORWARD, t0, tEnd, () -> currentTime(mem), () -> solver.stepCount(mem));
    }

    /** Ends the forward pass's progress at {@code T}. */
    final void forwardDone(double tEnd) {
        if (progress == null) return;
        progress.reached(tEnd);
        progress.follow(null, null);
    }

    final boolean hasIntegrand() {
        return q != null;
    }

    /** Hands the integrand's recording to the native replay (when both exist) before a run. */
    final void replayIntegrand(double t0, double[] y0, double[] p) {
        if (solver.replay != null && hasIntegrand()) solver.replay.integrand(cb.integrand, t0, y0, p);
    }

    /** Which path served the last run's callbacks. */
    /** The loss, its gradient and the solution at {@code times} (ascending), by this engine's method. */
    abstract Gradient run(double t0, double[] y0, double[] p, double[] times, OutputLoss loss);

    abstract ReplayStatistics replayStatistics();

    @Override
    public void close() {
        solver.close();
    }
}
