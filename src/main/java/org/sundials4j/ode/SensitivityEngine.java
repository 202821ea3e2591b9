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

    /**
     * Wires forward sensitivities of the selected parameters and initial states into the callbacks
     * (each one's parameter, -1 for an initial state) and the native replay, with the staging
     * buffers of the Java path; returns their count. Call from a subclass constructor (it throws
     * if nothing is selected).
     */
    final int wireSensitivities() {
        int ns = params.length + states.length;
        if (ns == 0) throw new IllegalArgumentException("no parameters or initial states selected to differentiate");
        cb.sensParam = new int[ns];
        for (int s = 0; s < ns; s++) cb.sensParam[s] = s < params.length ? params[s] : -1;
        if (solver.replay != null) solver.replay.sensitivities(cb.sensParam);
        cb.vBuf = solver.stage(Glue.BUF_V, n);
        cb.vdotBuf = solver.stage(Glue.BUF_VDOT, n);
        return ns;
    }

    /**
     * {@code Σ_k ∂L/∂y(t_k) · S_s(t_k) + ∂L/∂p_s} per sensitivity s, with S_s(t_k)'s n values from
     * {@code rows[k][start + k * rowStep + s * n]} on: the flat layouts the native output runs leave,
     * read where they lie (forward: one array for all outputs, {@code rowStep = ns * n}; ERK: each
     * output's augmented state, after its n states).
     */
    final double[] outputGradient(double[][] dY, double[] dP, int ns, double[][] rows, int start, int rowStep) {
        double[] grad = new double[ns];
        for (int s = 0; s < ns; s++) {
            double g = s < params.length ? dP[params[s]] : 0;
            for (int k = 0; k < dY.length; k++) {
                double[] row = rows[k];
                for (int i = 0, at = start + k * rowStep + s * n; i < n; i++) g += dY[k][i] * row[at + i];
            }
            grad[s] = g;
        }
        return grad;
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

    /** The loss, its gradient and the solution at {@code times} (ascending), by this engine's method. */
    abstract Gradient run(double t0, double[] y0, double[] p, double[] times, OutputLoss loss);

    /** Which path served the last run's callbacks. */
    abstract ReplayStatistics replayStatistics();

    @Override
    public void close() {
        solver.close();
    }
}
