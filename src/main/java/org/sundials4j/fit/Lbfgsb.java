package org.sundials4j.fit;

import java.util.Arrays;
import java.util.Objects;

/**
 * Bound-constrained limited-memory quasi-Newton minimization: projected L-BFGS with a backtracking
 * line search along the projection arc (the "projected quasi-Newton" variant of L-BFGS-B; Kim, Sra and
 * Dhillon 2010).
 *
 * <p>Each iteration splits the variables into an active set (at a bound with the gradient pushing
 * outwards) and the free rest; the two-loop recursion applies the limited-memory inverse Hessian on
 * the free subspace only, the step is projected onto the box, and the Armijo condition is tested with
 * the actual projected step. A direction that is not downhill, or a line search that fails, clears the
 * memory and retries along the projected steepest descent; only when that also fails does the
 * minimizer give up ({@link StopReason#LINE_SEARCH_FAILED}). Correction pairs with non-positive
 * curvature are skipped, so the implicit Hessian stays positive definite.
 *
 * <p>Bounds are never violated: every trial point is projected before it is evaluated, and the
 * starting point is projected first. Non-finite values at a trial point make the line search back
 * off; at the starting point they stop the run ({@link StopReason#NON_FINITE}).
 */
public final class Lbfgsb {
    private static final double ARMIJO = 1e-4;

    private final DifferentiableFunction f;
    private final double[] lower, upper;
    private final OptimizerOptions o;
    private final OptimizationListener listener;
    private final int n;
    // correction pairs, a ring buffer of the newest `count` entries ending at `head`
    private final double[][] s, y;
    private final double[] rho, alpha;
    private int count, head;
    private int evaluations;

    private Lbfgsb(DifferentiableFunction f, double[] lower, double[] upper, OptimizerOptions o, OptimizationListener listener, int n) {
        this.f = f;
        this.lower = lower;
        this.upper = upper;
        this.o = o;
        this.listener = listener;
        this.n = n;
        this.s = new double[o.memory()][n];
        this.y = new double[o.memory()][n];
        this.rho = new double[o.memory()];
        this.alpha = new double[o.memory()];
    }

    /** Minimizes without bounds. */
    public static OptimizationResult minimize(DifferentiableFunction f, double[] x0, OptimizerOptions options) {
        return minimize(f, x0, null, null, options, null);
    }

    /**
     * Minimizes {@code f} over the box {@code lower <= x <= upper}.
     *
     * @param lower    lower bounds, {@code -∞} for none; null for no lower bounds
     * @param upper    upper bounds, {@code +∞} for none; null for no upper bounds
     * @param listener told about each accepted iteration, or null
     */
    public static OptimizationResult minimize(DifferentiableFunction f, double[] x0, double[] lower, double[] upper,
                                              OptimizerOptions options, OptimizationListener listener) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(x0, "x0");
        Objects.requireNonNull(options, "options");
        int n = x0.length;
        if (n == 0) throw new IllegalArgumentException("x0 is empty");
        double[] lo = bounds(lower, n, Double.NEGATIVE_INFINITY, "lower");
        double[] hi = bounds(upper, n, Double.POSITIVE_INFINITY, "upper");
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(x0[i])) throw new IllegalArgumentException("x0[" + i + "] is NaN");
            if (!(lo[i] <= hi[i])) throw new IllegalArgumentException("lower[" + i + "] = " + lo[i] + " > upper[" + i + "] = " + hi[i]);
        }
        return new Lbfgsb(f, lo, hi, options, listener == null ? OptimizationListener.NONE : listener, n).run(x0);
    }

    private static double[] bounds(double[] b, int n, double none, String name) {
        if (b == null) {
            double[] r = new double[n];
            Arrays.fill(r, none);
            return r;
        }
        if (b.length != n) throw new IllegalArgumentException(name + ".length = " + b.length + ", expected " + n);
        for (int i = 0; i < n; i++)
            if (Double.isNaN(b[i])) throw new IllegalArgumentException(name + "[" + i + "] is NaN");
        return b.clone();
    }

    private OptimizationResult run(double[] x0) {
        double[] x = x0.clone();
        project(x);
        double[] g = new double[n];
        double fx = evaluate(x, g);
        double[] history = new double[Math.min(o.maxIterations(), 4096) + 1];
        history[0] = fx;
        if (!Double.isFinite(fx) || !finite(g)) return result(x, fx, g, 0, StopReason.NON_FINITE, history);

        double[] d = new double[n], xt = new double[n], gt = new double[n];
        boolean[] free = new boolean[n];
        int iter = 0;
        while (true) {
            if (projectedGradientNorm(x, g) <= o.gradientTolerance()) return result(x, fx, g, iter, StopReason.GRADIENT, history);
            if (iter >= o.maxIterations()) return result(x, fx, g, iter, StopReason.MAX_ITERATIONS, history);
            if (evaluations >= o.maxEvaluations()) return result(x, fx, g, iter, StopReason.MAX_EVALUATIONS, history);

            freeSet(x, g, free);
            double ft = Double.NaN;
            boolean accepted = false;
            // first the quasi-Newton direction; if it fails, forget the memory and try steepest descent
            for (int attempt = 0; attempt < 2 && !accepted; attempt++) {
                if (attempt == 1) {
                    if (count == 0) break;
                    count = 0;
                }
                direction(g, free, d);
                ft = lineSearch(x, fx, g, d, xt, gt);
                accepted = !Double.isNaN(ft);
                if (evaluations >= o.maxEvaluations() && !accepted)
                    return result(x, fx, g, iter, StopReason.MAX_EVALUATIONS, history);
            }
            if (!accepted) return result(x, fx, g, iter, StopReason.LINE_SEARCH_FAILED, history);

            double stepMax = 0, xMax = 0, sy = 0, yy = 0;
            int slot = (head + 1) % o.memory();
            for (int i = 0; i < n; i++) {
                double si = xt[i] - x[i], yi = gt[i] - g[i];
                s[slot][i] = si;
                y[slot][i] = yi;
                sy += si * yi;
                yy += yi * yi;
                stepMax = Math.max(stepMax, Math.abs(si));
                xMax = Math.max(xMax, Math.abs(x[i]));
            }
            if (sy > 1e-10 * yy && sy > 0) { // keep only pairs of positive curvature
                head = slot;
                rho[slot] = 1 / sy;
                count = Math.min(count + 1, o.memory());
            }
            double change = (fx - ft) / Math.max(Math.max(Math.abs(fx), Math.abs(ft)), 1);
            System.arraycopy(xt, 0, x, 0, n);
            System.arraycopy(gt, 0, g, 0, n);
            fx = ft;
            iter++;
            if (iter >= history.length) history = Arrays.copyOf(history, Math.min(2 * history.length, o.maxIterations() + 1));
            history[iter] = fx;
            listener.iteration(iter, fx, projectedGradientNorm(x, g), evaluations, x.clone());
            if (change <= o.functionTolerance()) return result(x, fx, g, iter, StopReason.FUNCTION_CHANGE, history);
            if (stepMax <= o.stepTolerance() * (1 + xMax)) return result(x, fx, g, iter, StopReason.STEP, history);
        }
    }

    /**
     * Backtracking along {@code P(x + α d)} until the Armijo condition holds with the projected step.
     * Returns the accepted value (point in {@code xt}, gradient in {@code gt}), or NaN on failure.
     */
    private double lineSearch(double[] x, double fx, double[] g, double[] d, double[] xt, double[] gt) {
        double dNorm = 0;
        for (double di : d) dNorm += di * di;
        dNorm = Math.sqrt(dNorm);
        if (dNorm == 0) return Double.NaN;
        // without curvature information the first step is at most unit length (as L-BFGS-B's first)
        double a = count == 0 ? Math.min(1, 1 / dNorm) : 1;
        for (int k = 0; k < o.maxLineSearchSteps() && evaluations < o.maxEvaluations(); k++) {
            double slope = 0;
            boolean moved = false;
            for (int i = 0; i < n; i++) {
                xt[i] = clamp(x[i] + a * d[i], i);
                slope += g[i] * (xt[i] - x[i]);
                moved |= xt[i] != x[i];
            }
            if (!moved) return Double.NaN;
            double ft = evaluate(xt, gt);
            if (Double.isFinite(ft) && finite(gt) && ft <= fx + ARMIJO * slope) return ft;
            // quadratic interpolation of the decrease, kept within [0.1, 0.5] of the step
            double next = 0.5 * a;
            if (Double.isFinite(ft) && slope < 0) {
                double q = -slope * a / (2 * (ft - fx - slope));
                if (q > 0) next = Math.max(0.1 * a, Math.min(0.5 * a, q));
            } else if (!Double.isFinite(ft)) {
                next = 0.1 * a;
            }
            a = next;
        }
        return Double.NaN;
    }

    /** {@code d = -H g} on the free variables (two-loop recursion), zero on the active ones. */
    private void direction(double[] g, boolean[] free, double[] d) {
        for (int i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
        if (count == 0) return;
        int m = o.memory();
        for (int k = 0, j = head; k < count; k++, j = (j - 1 + m) % m) {
            double a = rho[j] * dotFree(s[j], d, free);
            alpha[j] = a;
            axpyFree(-a, y[j], d, free);
        }
        double sy = 1 / rho[head], yy = dot(y[head], y[head]);
        double gamma = sy / yy;
        for (int i = 0; i < n; i++) d[i] *= gamma;
        for (int k = 0, j = (head - count + 1 + m) % m; k < count; k++, j = (j + 1) % m) {
            double b = rho[j] * dotFree(y[j], d, free);
            axpyFree(alpha[j] - b, s[j], d, free);
        }
        if (dotFree(g, d, free) >= 0) { // not downhill: fall back to steepest descent
            count = 0;
            for (int i = 0; i < n; i++) d[i] = free[i] ? -g[i] : 0;
        }
    }

    private void freeSet(double[] x, double[] g, boolean[] free) {
        for (int i = 0; i < n; i++)
            free[i] = !((x[i] <= lower[i] && g[i] > 0) || (x[i] >= upper[i] && g[i] < 0));
    }

    private double projectedGradientNorm(double[] x, double[] g) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(clamp(x[i] - g[i], i) - x[i]));
        return m;
    }

    private double evaluate(double[] x, double[] g) {
        evaluations++;
        Arrays.fill(g, 0);
        return f.value(x.clone(), g);
    }

    private double clamp(double v, int i) {
        return Math.max(lower[i], Math.min(upper[i], v));
    }

    private void project(double[] x) {
        for (int i = 0; i < n; i++) x[i] = clamp(x[i], i);
    }

    private static boolean finite(double[] v) {
        for (double e : v) if (!Double.isFinite(e)) return false;
        return true;
    }

    private static double dot(double[] a, double[] b) {
        double r = 0;
        for (int i = 0; i < a.length; i++) r += a[i] * b[i];
        return r;
    }

    private static double dotFree(double[] a, double[] b, boolean[] free) {
        double r = 0;
        for (int i = 0; i < a.length; i++) if (free[i]) r += a[i] * b[i];
        return r;
    }

    private static void axpyFree(double a, double[] x, double[] y, boolean[] free) {
        for (int i = 0; i < x.length; i++) if (free[i]) y[i] += a * x[i];
    }

    private OptimizationResult result(double[] x, double fx, double[] g, int iter, StopReason reason, double[] history) {
        return new OptimizationResult(x.clone(), fx, g.clone(), projectedGradientNorm(x, g), iter, evaluations, reason,
                Arrays.copyOf(history, iter + 1));
    }
}
