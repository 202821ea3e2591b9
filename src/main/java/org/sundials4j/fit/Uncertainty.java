package org.sundials4j.fit;

import java.util.List;

/**
 * Asymptotic uncertainty at an optimum from the observed Fisher information, the Hessian of the
 * negative log-likelihood: {@code Cov(θ) ≈ H⁻¹}. Standard errors are given on the optimizer's scale
 * ({@code θ}) and in natural units by the delta method ({@code se(q) = q·se(θ)} for a log-scale
 * parameter).
 *
 * @param hessian            {@code ∇²_θ NLL} at the optimum
 * @param covariance         its inverse
 * @param thetaStandardErrors {@code sqrt(diag(covariance))}
 * @param standardErrors     the same in natural units
 * @param correlation        {@code covariance_ij / (se_i se_j)}
 * @param hessianMethod      how the Hessian was made: by second-order adjoints (through events when
 *                           an experiment has them), or by central differences of the gradient when
 *                           second order refuses the model (the reason in parentheses)
 */
public record Uncertainty(double[][] hessian, double[][] covariance, double[] thetaStandardErrors, double[] standardErrors,
                          double[][] correlation, String hessianMethod) {
    /** Throws {@link IllegalStateException} when the Hessian is not positive definite. */
    static Uncertainty at(EstimationProblem problem, double[] theta, double[][] hessian, String method) {
        double[][] cov = Hessians.inverseSpd(hessian);
        int n = theta.length;
        double[] se = new double[n], seq = new double[n];
        List<FitParameter> ps = problem.parameters();
        int[] est = problem.estimatedIndices();
        for (int i = 0; i < n; i++) {
            se[i] = Math.sqrt(cov[i][i]);
            seq[i] = se[i] * ps.get(est[i]).slope(theta[i]);
        }
        double[][] corr = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) corr[i][j] = cov[i][j] / (se[i] * se[j]);
        return new Uncertainty(hessian, cov, se, seq, corr, method);
    }
}
