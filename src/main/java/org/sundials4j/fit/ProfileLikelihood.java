package org.sundials4j.fit;

/**
 * The profile likelihood of one parameter: at each value of it, the negative log-likelihood minimized
 * over all the others. {@code 2ΔNLL} below {@link #CHI2_95} (the 95% quantile of χ² with one degree of
 * freedom) marks the likelihood-based 95% confidence interval.
 *
 * @param name         the profiled parameter
 * @param values       its values, natural units, ascending
 * @param nll          the profiled negative log-likelihood at each value
 * @param deltaChi2    {@code 2 (nll - min NLL)} at each value
 * @param lower        the lower end of the 95% interval (linear interpolation), NaN if not reached
 * @param upper        the upper end, NaN if not reached
 */
public record ProfileLikelihood(String name, double[] values, double[] nll, double[] deltaChi2, double lower, double upper) {
    public static final double CHI2_95 = 3.841458820694124;

    /**
     * Profiles estimated parameter {@code index} of a finished fit over {@code ±width} standard errors
     * (on the optimizer's scale; 0.1 if the fit has none) in {@code 2·half + 1} points, each inner
     * minimization starting from its neighbour's optimum.
     */
    public static ProfileLikelihood of(Likelihood likelihood, FitResult fit, int index, int half, double width,
                                       OptimizerOptions options) {
        EstimationProblem problem = likelihood.problem();
        int n = fit.theta().length;
        if (index < 0 || index >= n) throw new IllegalArgumentException("index = " + index + ", expected 0.." + (n - 1));
        if (half < 1) throw new IllegalArgumentException("half = " + half + ", must be >= 1");
        double se = fit.uncertainty() != null ? fit.uncertainty().thetaStandardErrors()[index] : 0.1;
        double step = width * se / half;
        double[] lo = problem.lowerTheta(), hi = problem.upperTheta();
        double[] values = new double[2 * half + 1], nll = new double[2 * half + 1];
        double best = fit.negativeLogLikelihood();
        values[half] = fit.theta()[index];
        nll[half] = best;
        for (int dir = -1; dir <= 1; dir += 2) {
            double[] start = drop(fit.theta(), index);
            for (int k = 1; k <= half; k++) {
                double ti = Math.max(lo[index], Math.min(hi[index], fit.theta()[index] + dir * k * step));
                OptimizationResult r = Lbfgsb.minimize((x, g) -> {
                    double[] full = insert(x, index, ti), gf = new double[n];
                    double v = likelihood.value(full, gf);
                    System.arraycopy(drop(gf, index), 0, g, 0, n - 1);
                    return v;
                }, start, drop(lo, index), drop(hi, index), options, null);
                values[half + dir * k] = ti;
                nll[half + dir * k] = r.value();
                best = Math.min(best, r.value());
                start = r.x();
            }
        }
        FitParameter p = problem.parameters().get(problem.estimatedIndices()[index]);
        double[] natural = new double[values.length], d = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            natural[k] = p.toNatural(values[k]);
            d[k] = 2 * (nll[k] - best);
        }
        return new ProfileLikelihood(p.name(), natural, nll, d, crossing(natural, d, half, -1), crossing(natural, d, half, 1));
    }

    private static double crossing(double[] x, double[] d, int centre, int dir) {
        for (int k = centre; k + dir >= 0 && k + dir < x.length; k += dir) {
            if (d[k] < CHI2_95 && d[k + dir] >= CHI2_95)
                return x[k] + (CHI2_95 - d[k]) / (d[k + dir] - d[k]) * (x[k + dir] - x[k]);
        }
        return Double.NaN;
    }

    private static double[] drop(double[] a, int i) {
        double[] r = new double[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    private static double[] insert(double[] a, int i, double v) {
        double[] r = new double[a.length + 1];
        System.arraycopy(a, 0, r, 0, i);
        r[i] = v;
        System.arraycopy(a, i, r, i + 1, a.length - i);
        return r;
    }
}
