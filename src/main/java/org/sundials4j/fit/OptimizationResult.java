package org.sundials4j.fit;

/**
 * What {@link Lbfgsb} found and why it stopped.
 *
 * @param x            the best point (within the bounds)
 * @param value        {@code f(x)}
 * @param gradient     {@code ∇f(x)}
 * @param gradientNorm the largest entry of the projected gradient at {@code x}
 * @param iterations   accepted steps
 * @param evaluations  function (and gradient) evaluations
 * @param reason       why it stopped; {@link StopReason#converged()} tells success
 * @param history      {@code f} at the start and after every accepted step ({@code iterations + 1} values)
 */
public record OptimizationResult(double[] x, double value, double[] gradient, double gradientNorm, int iterations,
                                 int evaluations, StopReason reason, double[] history) {
    public boolean converged() {
        return reason.converged();
    }

    @Override
    public String toString() {
        return "OptimizationResult[" + reason + ", f = " + value + ", |Pg| = " + gradientNorm + ", iterations = "
                + iterations + ", evaluations = " + evaluations + "]";
    }
}
