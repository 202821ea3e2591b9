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

    ValueEngine(DifferentiableOdeModel model, SolverOptions o, Integrand integrand) {
        this.solver = new CvodesSolver(model, o, SensitivityCallbacks::new);
        try {
            this.cb = (SensitivityCallbacks) solver.callbacks;
            if (integrand != null) {
                cb.integrand = integrand.forSolver();
                cb.qBuf = solver.stage(Glue.BUF_Q, 1);
                q = solver.owner.own(N_VNew_Serial(1, solver.ctx), v -> N_VDestroy(v));
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
        if (q != null) {
            // the quadrature must be (re)initialised after the ReInit that solve() performs
            solver.checkOpen();
            solver.checkInputs(t0, y0, p, times);
            solver.begin(t0, y0, p);
            N_VConst(0.0, q);
            if (!quadInit) {
                SolverOptions o = solver.options;
                solver.setup(CVodeQuadInit(solver.mem, Glue.QUAD, q), "CVodeQuadInit");
                solver.setup(CVodeQuadSStolerances(solver.mem, o.rtol(), ForwardEngine.minAtol(o)), "CVodeQuadSStolerances");
                solver.setup(CVodeSetQuadErrCon(solver.mem, 1), "CVodeSetQuadErrCon");
                quadInit = true;
            } else {
                solver.setup(CVodeQuadReInit(solver.mem, q), "CVodeQuadReInit");
            }
        }
        Solution sol = q != null ? solver.continueSolve(t0, y0, times) : solver.solve(t0, y0, p, times);
        if (solution != null) solution[0] = sol;
        double[][] ys = sol.states();
        double value = GradientSolver.evaluateLoss(loss, times, ys, p, new double[times.length][y0.length], new double[p.length]);
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
