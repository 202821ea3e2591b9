package org.sundials4j.fit;

/**
 * The outcome of a fit.
 *
 * @param names               the estimated parameters' names
 * @param estimates           their values in natural units
 * @param theta               the optimizer's coordinates of the optimum
 * @param optimization        the optimizer's result (stop reason, iterations, loss history)
 * @param gradientEvaluations likelihood evaluations, each with its gradient
 * @param seconds             wall time of the optimization (not of the uncertainty)
 * @param uncertainty         standard errors and correlations, or null (see {@code uncertaintyFailure})
 * @param uncertaintyFailure  why the uncertainty could not be computed, or null
 * @param solverFailure       the solver's message when the likelihood could not be evaluated at the start, or null
 */
public record FitResult(String[] names, double[] estimates, double[] theta, OptimizationResult optimization,
                        int gradientEvaluations, double seconds, Uncertainty uncertainty, String uncertaintyFailure,
                        String solverFailure) {
    /** The minimized negative log-likelihood. */
    public double negativeLogLikelihood() {
        return optimization.value();
    }

    /** The standard error of estimate {@code i} in natural units, NaN without an {@link #uncertainty}. */
    public double standardError(int i) {
        if (i < 0 || i >= names.length)
            throw new IllegalArgumentException("estimate index " + i + " is outside 0.." + (names.length - 1));
        return uncertainty == null ? Double.NaN : uncertainty.standardErrors()[i];
    }
}
