package org.sundials4j.ode;

/** The integration method: CVODES' two linear multistep families, or ARKODE's explicit Runge–Kutta. */
public enum Method {
    /** Backward differentiation formulas, orders 1-5: for stiff problems (the default). */
    BDF,
    /** Adams-Moulton, orders 1-12: for non-stiff problems, usually with fewer RHS evaluations. */
    ADAMS,
    /**
     * Explicit Runge–Kutta (SUNDIALS ARKODE's ERKStep, table {@link SolverOptions#withErkTable}):
     * for non-stiff problems where a high-order one-step method takes far fewer steps than Adams.
     * Every output time is reached as a stop time (no interpolation error); no linear or nonlinear
     * solver. Solves and forward-sensitivity gradients (the augmented system, sensitivities in the
     * error test); models with events, integral functionals and the adjoint method are refused
     * with an {@link IllegalArgumentException} (use BDF or Adams there). README "Choosing ERK,
     * Adams or BDF".
     */
    ERK
}
