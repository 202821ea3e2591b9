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
}
