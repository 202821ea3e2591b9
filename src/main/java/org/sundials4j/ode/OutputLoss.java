package org.sundials4j.ode;

/**
 * A scalar loss of the states at the output times, {@code L(y(t_1), ..., y(t_K), p)}, with its
 * gradient. Any coupling between output times is allowed. An AD tape writes these for you
 * ({@code org.sundials4j.tape.TapeLosses}); hand-written ones are fine too.
 */
public interface OutputLoss {
    /**
     * Returns {@code L} and writes {@code dStates[k][i] = ∂L/∂y_i(t_k)} and
     * {@code dParams[j] = ∂L/∂p_j} (the direct dependence only; both arrays come zeroed).
     */
    double evaluate(double[] times, double[][] states, double[] params, double[][] dStates, double[] dParams);

    /** The instance a solver should use (override if the loss keeps scratch state). */
    default OutputLoss forSolver() {
        return this;
    }

    /** The loss that is always 0 (for a pure integral functional). */
    OutputLoss NONE = (times, states, params, dStates, dParams) -> 0.0;
}
