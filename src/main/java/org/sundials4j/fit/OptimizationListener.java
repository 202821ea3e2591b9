package org.sundials4j.fit;

/** Told about every accepted iteration of an optimizer; for progress bars and loss curves. */
@FunctionalInterface
public interface OptimizationListener {
    /**
     * @param iteration    1-based count of accepted steps
     * @param value        the function value after the step
     * @param gradientNorm the largest entry of the projected gradient after the step
     * @param evaluations  function evaluations so far (gradients included: each evaluation is both)
     * @param x            the point after the step (a copy the listener may keep)
     */
    void iteration(int iteration, double value, double gradientNorm, int evaluations, double[] x);

    OptimizationListener NONE = (i, v, g, e, x) -> { };
}
