package org.sundials4j.fit;

import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeOdeModel;

/**
 * The tangent model {@code (y, s)} of {@link SecondOrderAdjoint}, for benchmarks that time its forward
 * pass alone; it stays package-private in the library, so this test-side class in the same package
 * reaches it without widening the public API.
 */
public final class FitBenchAccess {
    private FitBenchAccess() {
    }

    /** The augmented model with {@code 2n} states and parameters {@code (p, v, u)}, recorded at {@code (y0, p0)}. */
    public static TapeOdeModel tangentModel(int n, int np, OdeDefinition rhs, double[] y0, double[] p0) {
        double[] y0aug = new double[2 * n], paug = new double[2 * np + n];
        System.arraycopy(y0, 0, y0aug, 0, n);
        System.arraycopy(p0, 0, paug, 0, np);
        return TapeOdeModel.record(2 * n, 2 * np + n, SecondOrderAdjoint.tangentRhs(n, np, rhs), 0, y0aug, paug);
    }

    /** The solver options the product uses for the augmented model (a per-state atol repeated for {@code s}). */
    public static SolverOptions augmentedOptions(SolverOptions options, int n) {
        return SecondOrderAdjoint.augmentedOptions(options, n);
    }
}
