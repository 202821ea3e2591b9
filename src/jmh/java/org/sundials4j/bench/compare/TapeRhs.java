package org.sundials4j.bench.compare;

import java.util.Arrays;
import org.sundials4j.ode.Integrand;
import org.sundials4j.tape.TapeOdeModel;

/**
 * The pure-Java contenders' view of a problem: its tape model's RHS and derivatives on plain arrays,
 * so that Hipparchus and Commons Math integrate exactly the function CVODES integrates. An integral
 * functional (rober's G = ∫ y3 dt) becomes one extra state q' = g(t, y, p), which makes its gradient
 * an ordinary sensitivity of q(T) for the variational equations.
 */
final class TapeRhs {
    final int n;
    final int np;
    /** States integrated: n, plus one for the integrand's quadrature. */
    final int dim;
    private final TapeOdeModel model;
    private final Integrand integrand;
    private final double[] p;
    private final double[] y;
    private final double[] out;
    private final double[] fy;
    private final double[] fp;
    private final double[] colMajor;
    private final double[] lambda;
    private final double[] rowY;
    private final double[] rowP;
    private final double[] zeroN;
    private double jacT = Double.NaN;
    private final double[] jacY;
    private Budget budget;

    TapeRhs(TapeOdeModel model, Integrand integrand, double[] p) {
        this.model = model.forSolver();
        this.integrand = integrand == null ? null : integrand.forSolver();
        this.n = model.stateCount();
        this.np = model.parameterCount();
        this.dim = n + (integrand == null ? 0 : 1);
        this.p = p.clone();
        this.y = new double[n];
        this.out = new double[n];
        this.fy = new double[dim * dim];
        this.fp = new double[dim * np];
        this.colMajor = new double[n * n];
        this.lambda = new double[n];
        this.rowY = new double[n];
        this.rowP = new double[np];
        this.zeroN = new double[n];
        this.jacY = new double[dim];
    }

    void budget(Budget b) {
        this.budget = b;
    }

    double[] parameters() {
        return p.clone();
    }

    /** Finite differences move the parameters between runs. */
    void parameters(double[] q) {
        System.arraycopy(q, 0, p, 0, np);
        jacT = Double.NaN;
    }

    void f(double t, double[] state, double[] ydot) {
        budget.evaluation();
        System.arraycopy(state, 0, y, 0, n);
        model.rhs(t, y, p, out);
        System.arraycopy(out, 0, ydot, 0, n);
        if (integrand != null) ydot[n] = integrand.value(t, y, p);
    }

    /** ∂f_i/∂y_j; valid until the next {@link #jacobians} at another point. */
    double fy(int i, int j) {
        return fy[i * dim + j];
    }

    /** ∂f_i/∂p_k. */
    double fp(int i, int k) {
        return fp[i * np + k];
    }

    /**
     * Fills both Jacobians at (t, state) unless they are already there: the libraries ask for the
     * parameter Jacobian one parameter at a time at the same point, and one evaluation serves all.
     * Rows by reverse sweeps when there are fewer states than parameters (neural-ode: 2 sweeps for
     * 250 parameters), else the coloured dense Jacobian plus one tangent sweep per parameter.
     */
    void jacobians(double t, double[] state) {
        if (t == jacT && Arrays.equals(state, 0, dim, jacY, 0, dim)) return;
        System.arraycopy(state, 0, jacY, 0, dim);
        jacT = t;
        System.arraycopy(state, 0, y, 0, n);
        Arrays.fill(fy, 0.0);
        if (n <= np) {
            for (int i = 0; i < n; i++) {
                Arrays.fill(lambda, 0.0);
                lambda[i] = 1.0;
                model.vjp(t, y, p, lambda, rowY, rowP, null);
                System.arraycopy(rowY, 0, fy, i * dim, n);
                System.arraycopy(rowP, 0, fp, i * np, np);
            }
        } else {
            model.jacobianDense(t, y, p, colMajor);
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++) fy[i * dim + j] = colMajor[j * n + i];
            double[] w = rowP;
            Arrays.fill(w, 0.0);
            for (int k = 0; k < np; k++) {
                w[k] = 1.0;
                model.jvp(t, y, p, zeroN, w, out);
                w[k] = 0.0;
                for (int i = 0; i < n; i++) fp[i * np + k] = out[i];
            }
        }
        if (integrand != null) {
            integrand.gradient(t, y, p, rowY, rowP);
            System.arraycopy(rowY, 0, fy, n * dim, n);
            System.arraycopy(rowP, 0, fp, n * np, np);
        }
    }
}
