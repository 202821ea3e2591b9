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
        } catch (RuntimeException | Error e) {
            solver.close();
            throw e;
        }
    }

    final boolean hasIntegrand() {
        return q != null;
    }

    /** Hands the integrand's recording to the native replay (when both exist) before a run. */
    final void replayIntegrand(double t0, double[] y0, double[] p) {
        if (solver.replay != null && hasIntegrand()) solver.replay.integrand(cb.integrand, t0, y0, p);
    }

    /** Which path served the last run's callbacks. */
    abstract ReplayStatistics replayStatistics();

    @Override
    public void close() {
        solver.close();
    }
}
