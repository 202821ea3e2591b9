package org.sundials4j.fit;

/**
 * Settings of {@link Lbfgsb}, immutable; every {@code with…} returns a validated copy.
 *
 * <ul>
 *   <li>{@code memory} (10): correction pairs kept for the limited-memory Hessian.</li>
 *   <li>{@code gradientTolerance} (1e-6): stop when {@code max_i |P(x - g) - x|_i} is at most this.</li>
 *   <li>{@code functionTolerance} (1e-12): stop when {@code (f_k - f_{k+1}) / max(|f_k|, |f_{k+1}|, 1)}
 *       is at most this (scipy's {@code factr·eps}); 0 disables it.</li>
 *   <li>{@code stepTolerance} (1e-12): stop when {@code max_i |x_{k+1} - x_k|_i <= tol·(1 + max_i |x_k|_i)};
 *       0 disables it.</li>
 *   <li>{@code maxIterations} (1000), {@code maxEvaluations} (5000), {@code maxLineSearchSteps} (30).</li>
 * </ul>
 */
public record OptimizerOptions(int memory, double gradientTolerance, double functionTolerance, double stepTolerance,
                               int maxIterations, int maxEvaluations, int maxLineSearchSteps) {
    public OptimizerOptions {
        if (memory < 1) throw new IllegalArgumentException("memory = " + memory + ", must be >= 1");
        nonNegative(gradientTolerance, "gradientTolerance");
        nonNegative(functionTolerance, "functionTolerance");
        nonNegative(stepTolerance, "stepTolerance");
        if (maxIterations < 0) throw new IllegalArgumentException("maxIterations = " + maxIterations + ", must be >= 0");
        if (maxEvaluations < 1) throw new IllegalArgumentException("maxEvaluations = " + maxEvaluations + ", must be >= 1");
        if (maxLineSearchSteps < 1)
            throw new IllegalArgumentException("maxLineSearchSteps = " + maxLineSearchSteps + ", must be >= 1");
    }

    private static void nonNegative(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException(name + " = " + v + ", must be finite and >= 0");
    }

    public static OptimizerOptions defaults() {
        return new OptimizerOptions(10, 1e-6, 1e-12, 1e-12, 1000, 5000, 30);
    }

    public OptimizerOptions withMemory(int m) {
        return new OptimizerOptions(m, gradientTolerance, functionTolerance, stepTolerance, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public OptimizerOptions withGradientTolerance(double g) {
        return new OptimizerOptions(memory, g, functionTolerance, stepTolerance, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public OptimizerOptions withFunctionTolerance(double f) {
        return new OptimizerOptions(memory, gradientTolerance, f, stepTolerance, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public OptimizerOptions withStepTolerance(double s) {
        return new OptimizerOptions(memory, gradientTolerance, functionTolerance, s, maxIterations, maxEvaluations, maxLineSearchSteps);
    }

    public OptimizerOptions withMaxIterations(int n) {
        return new OptimizerOptions(memory, gradientTolerance, functionTolerance, stepTolerance, n, maxEvaluations, maxLineSearchSteps);
    }

    public OptimizerOptions withMaxEvaluations(int n) {
        return new OptimizerOptions(memory, gradientTolerance, functionTolerance, stepTolerance, maxIterations, n, maxLineSearchSteps);
    }

    public OptimizerOptions withMaxLineSearchSteps(int n) {
        return new OptimizerOptions(memory, gradientTolerance, functionTolerance, stepTolerance, maxIterations, maxEvaluations, n);
    }
}
