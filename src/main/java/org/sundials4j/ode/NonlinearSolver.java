package org.sundials4j.ode;

/**
 * The nonlinear solver of each implicit step (CVODES guide, "Nonlinear solver"):
 * <ul>
 *   <li>{@link #newton()}: Newton iteration with the {@link LinearSolver} of the options (the
 *       default; needed for stiff problems);</li>
 *   <li>{@link #fixedPoint(int)}: functional (fixed-point) iteration, optionally Anderson-accelerated,
 *       {@code SUNNonlinSol_FixedPoint}: no Jacobian and no linear solves, only right-hand side
 *       evaluations. It converges only when {@code h·‖∂f/∂y‖} is small, i.e. on non-stiff problems,
 *       where it saves the Jacobians and factorisations Newton pays for; the linear solver of the
 *       options is then not used. Forward sensitivities (every corrector) and the adjoint's backward
 *       problem use it too;</li>
 *   <li>{@link #auto()}: fixed point (no acceleration) with {@link Method#ADAMS}, Newton with
 *       {@link Method#BDF}. Choosing Adams says the problem is non-stiff, and there fixed-point
 *       iteration saves the Jacobians and factorisations (measured on lotka-volterra and neural-ode,
 *       README "Native replay and non-stiff problems");
 *       BDF is for stiff problems, where fixed-point iteration needs steps so small that CVODES gives up.</li>
 * </ul>
 * Immutable.
 */
public final class NonlinearSolver {
    /** Which solver. */
    public enum Kind { NEWTON, FIXED_POINT, AUTO }

    private final Kind kind;
    private final int accelerationVectors;

    private NonlinearSolver(Kind kind, int accelerationVectors) {
        this.kind = kind;
        this.accelerationVectors = accelerationVectors;
    }

    public static NonlinearSolver newton() { return new NonlinearSolver(Kind.NEWTON, 0); }

    /**
     * Fixed-point iteration with Anderson acceleration over the last {@code accelerationVectors}
     * iterates ({@code m} of {@code SUNNonlinSol_FixedPoint}; 0 = plain functional iteration).
     */
    public static NonlinearSolver fixedPoint(int accelerationVectors) {
        if (accelerationVectors < 0)
            throw new IllegalArgumentException("accelerationVectors must be >= 0, got " + accelerationVectors);
        return new NonlinearSolver(Kind.FIXED_POINT, accelerationVectors);
    }

    /** Fixed point (m = 0) for Adams, Newton for BDF; see the class comment. */
    public static NonlinearSolver auto() { return new NonlinearSolver(Kind.AUTO, 0); }

    public Kind kind() { return kind; }

    /** Anderson acceleration depth (fixed point only). */
    public int accelerationVectors() { return accelerationVectors; }

    /** The solver actually used with {@code method} (AUTO resolved). */
    public NonlinearSolver resolve(Method method) {
        if (kind != Kind.AUTO) return this;
        return method == Method.ADAMS ? fixedPoint(0) : newton();
    }

    /** Whether this solver, resolved for {@code method}, is fixed-point iteration. */
    boolean isFixedPoint(Method method) {
        return resolve(method).kind == Kind.FIXED_POINT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NonlinearSolver s && s.kind == kind && s.accelerationVectors == accelerationVectors;
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + accelerationVectors;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NEWTON -> "newton";
            case FIXED_POINT -> "fixedPoint(" + accelerationVectors + ")";
            case AUTO -> "auto";
        };
    }
}
