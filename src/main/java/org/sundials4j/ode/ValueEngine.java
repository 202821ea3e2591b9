package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.N_Vector;

/** The loss value alone: a plain solve plus, for an integral functional, a forward quadrature. */
final class ValueEngine implements AutoCloseable {
    private final CvodesSolver solver;
    private final SensitivityCallbacks cb;
    private final N_Vector q;
    private boolean quadInit;

    private final SensitivityOptions so;

    ValueEngine(DifferentiableOdeModel model, SolverOptions o, SensitivityOptions so, Integrand integrand, RunControl control) {
        this.solver = new CvodesSolver(model, o, SensitivityCallbacks::new);
        this.so = so;
        try {
            this.cb = (SensitivityCallbacks) solver.callbacks;
            cb.control = control;
            if (integrand != null) {
                cb.integrand = integrand.forSolver();
                cb.qBuf = solver.stage(Glue.BUF_Q, 1);
                q = solver.owner.own(solver.newVector(1, "the integral's quadrature"), v -> N_VDestroy(v));
                if (solver.events != null) solver.events.quadrature = q;
            } else {
                q = null;
            }
        } catch (RuntimeException | Error e) {
            solver.close();
            throw e;
        }
    }

    /** The loss at (t0, y0, p); also returns the solution through {@code solution[0]} when non-null. */
    double value(double t0, double[] y0, double[] p, double[] times, OutputLoss loss, Solution[] solution) {
        double[] tret = new double[1];
        // begin + continueSolve rather than solve(): the owning GradientSolver has started the call
        // (re-entrancy guard, cancellation, time limit) for all its runs
        solver.checkOpen();
        solver.checkInputs(t0, y0, p, times);
        solver.begin(t0, y0, p);
        if (q != null) {
            // the quadrature must be (re)initialised after the ReInit of begin()
            N_VConst(0.0, q);
            if (!quadInit) {
                SolverOptions o = solver.options;
                solver.setup(CVodeQuadInit(solver.mem, Glue.QUAD, q), "CVodeQuadInit");
                solver.setup(CVodeQuadSStolerances(solver.mem, so.quadratureRtol(o), so.quadratureAtol(o)), "CVodeQuadSStolerances");
                solver.setup(CVodeSetQuadErrCon(solver.mem, 1), "CVodeSetQuadErrCon");
                quadInit = true;
            } else {
                solver.setup(CVodeQuadReInit(solver.mem, q), "CVodeQuadReInit");
            }
        }
        Solution sol = solver.continueSolve(t0, y0, times);
        GradientSolver.requireAllOutputs(sol.size(), sol.events(), times);
        if (solution != null) solution[0] = sol;
        double[][] ys = sol.states();
        double value = GradientSolver.evaluateLoss(loss, sol.times(), ys, p, new double[times.length][y0.length], new double[p.length]);
        if (q != null && times[times.length - 1] > t0) {
            solver.setup(CVodeGetQuad(solver.mem, tret, q), "CVodeGetQuad");
            value += N_VGetArrayPointer(q).get(0);
        }
        return value;
    }

    @Override
    public void close() {
        solver.close();
    }
}
