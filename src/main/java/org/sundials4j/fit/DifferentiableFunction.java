package org.sundials4j.fit;

/**
 * A scalar function with its gradient, the thing {@link Lbfgsb} minimizes.
 *
 * <p>An evaluation that cannot be made (a solver failure at a trial point, an overflow) should return
 * a non-finite value rather than throw: the line search then backs off, as it would from any point
 * where the function is worse.
 */
@FunctionalInterface
public interface DifferentiableFunction {
    /**
     * @param x        the point (do not modify)
     * @param gradient filled with {@code ∇f(x)}, same length as {@code x}
     * @return {@code f(x)}
     */
    double value(double[] x, double[] gradient);
}
