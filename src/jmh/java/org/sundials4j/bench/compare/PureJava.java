package org.sundials4j.bench.compare;

import org.sundials4j.ode.OutputLoss;
import org.sundials4j.problems.Objective;

/**
 * The tasks of the pure-Java contenders, written once over {@link Library}: a solve, the loss
 * gradient by the library's variational equations, and by central finite differences. The loss and
 * its partial derivatives come from the objective's own tape loss, so only the integration differs
 * from sundials4j's.
 */
final class PureJava {
    private PureJava() {}

    static Outcome solve(Library lib, TapeRhs rhs, double[] y0, double[] times, Budget b) {
        try {
            double[][] s = lib.solve(rhs, 0.0, y0, times, b);
            return Outcome.done(s[s.length - 1].clone(), Double.NaN, b.steps(), b.evaluations());
        } catch (Budget.Exceeded e) {
            return Outcome.failed(e.getMessage(), b.steps(), b.evaluations());
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), b.steps(), b.evaluations());
        }
    }

    /** A gradient run: the objective's loss with a reusable scratch copy of it. */
    static final class GradientTask {
        final Objective objective;
        final TapeRhs rhs;
        final OutputLoss loss;
        final double[] p0;
        final double[] y0;
        final double[] times;

        GradientTask(Objective o) {
            this.objective = o;
            this.rhs = new TapeRhs(o.tapeModel(), o.integrand(), o.problem().parameters());
            this.loss = o.loss() == null ? OutputLoss.NONE : o.loss().forSolver();
            this.p0 = o.problem().parameters();
            this.y0 = augmented(o.problem().initialState(), rhs.dim);
            this.times = o.times();
        }

        /** L, writing ∂L/∂y(t_k) and the direct ∂L/∂p when the arrays are non-null. */
        double loss(double[][] aug, double[] p, double[][] dStates, double[] dParams) {
            int n = rhs.n;
            double[][] states = new double[aug.length][];
            for (int k = 0; k < aug.length; k++) states[k] = java.util.Arrays.copyOf(aug[k], n);
            double[][] ds = dStates != null ? dStates : new double[aug.length][n];
            double[] dp = dParams != null ? dParams : new double[p.length];
            double value = loss.evaluate(times, states, p, ds, dp);
            if (rhs.dim > n) value += aug[aug.length - 1][n];
            return value;
        }
    }

    static double[] augmented(double[] y0, int dim) {
        return java.util.Arrays.copyOf(y0, dim);
    }

    static Outcome variationalGradient(Library lib, GradientTask g, Budget b) {
        try {
            g.rhs.parameters(g.p0);
            Library.Trajectory tr = lib.variational(g.rhs, 0.0, g.y0, g.times, b);
            int n = g.rhs.n, np = g.rhs.np;
            double[][] dStates = new double[g.times.length][n];
            double[] dParams = new double[np];
            double value = g.loss(tr.states(), g.p0, dStates, dParams);
            double[] grad = new double[np + n];
            for (int s = 0; s < np + n; s++) {
                double acc = s < np ? dParams[s] : 0.0;
                for (int k = 0; k < g.times.length; k++)
                    for (int i = 0; i < n; i++) acc += dStates[k][i] * tr.sens()[k][i][s];
                if (g.rhs.dim > n) acc += tr.sens()[g.times.length - 1][n][s];
                grad[s] = acc;
            }
            return Outcome.done(grad, value, b.steps(), b.evaluations());
        } catch (Budget.Exceeded e) {
            return Outcome.failed(e.getMessage(), b.steps(), b.evaluations());
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), b.steps(), b.evaluations());
        }
    }

    /**
     * Central differences over θ = [p, y0], 2(np + n) + 1 solves. Relative step ε = rtol^(1/3)
     * balances the O(h²) truncation against the integrator's O(rtol/h) noise; a component at zero
     * (most initial states) steps on the scale of the largest one of its group; others step relative
     * to themselves, as a parameter far below its neighbours (D = 0.02 beside u = 0.5) would otherwise
     * be pushed across its own size.
     */
    static Outcome finiteDifferenceGradient(Library lib, GradientTask g, double rtol, Budget b) {
        try {
            int n = g.rhs.n, np = g.rhs.np;
            double eps = Math.cbrt(rtol);
            double pScale = maxAbs(g.p0, 0, np), yScale = maxAbs(g.y0, 0, n);
            g.rhs.parameters(g.p0);
            double value = g.loss(lib.solve(g.rhs, 0.0, g.y0, g.times, b), g.p0, null, null);
            double[] grad = new double[np + n];
            double[] p = g.p0.clone();
            double[] y = g.y0.clone();
            for (int s = 0; s < np + n; s++) {
                boolean param = s < np;
                double base = param ? p[s] : y[s - np];
                double h = eps * (base != 0 ? Math.abs(base) : param ? pScale : yScale);
                double[] l = new double[2];
                for (int side = 0; side < 2; side++) {
                    double v = base + (side == 0 ? h : -h);
                    if (param) p[s] = v; else y[s - np] = v;
                    g.rhs.parameters(p);
                    l[side] = g.loss(lib.solve(g.rhs, 0.0, y, g.times, b), p, null, null);
                }
                if (param) p[s] = base; else y[s - np] = base;
                grad[s] = (l[0] - l[1]) / (2 * h);
            }
            g.rhs.parameters(g.p0);
            return Outcome.done(grad, value, b.steps(), b.evaluations());
        } catch (Budget.Exceeded e) {
            return Outcome.failed(e.getMessage(), b.steps(), b.evaluations());
        } catch (RuntimeException e) {
            return Outcome.failed(e.getClass().getSimpleName() + ": " + e.getMessage(), b.steps(), b.evaluations());
        }
    }

    private static double maxAbs(double[] v, int from, int to) {
        double m = 0;
        for (int i = from; i < to; i++) m = Math.max(m, Math.abs(v[i]));
        return m == 0 ? 1.0 : m;
    }
}
