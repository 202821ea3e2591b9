package org.sundials4j.fit;

/** Why {@link Lbfgsb} stopped. The first three are convergence; the others say what went wrong. */
public enum StopReason {
    /** The projected gradient's largest entry fell to the gradient tolerance. */
    GRADIENT,
    /** The relative decrease of the function over one iteration fell to the function tolerance. */
    FUNCTION_CHANGE,
    /** The step fell to the step tolerance (relative to the size of {@code x}). */
    STEP,
    /** The iteration limit was reached. */
    MAX_ITERATIONS,
    /** The function-evaluation limit was reached. */
    MAX_EVALUATIONS,
    /** No step along the quasi-Newton direction, nor along the steepest descent, decreased the function. */
    LINE_SEARCH_FAILED,
    /** The function or its gradient was not finite at the starting point. */
    NON_FINITE;

    /** True for the three convergence criteria. */
    public boolean converged() {
        return this == GRADIENT || this == FUNCTION_CHANGE || this == STEP;
    }
}
