package org.sundials4j.ode;

/**
 * The right-hand side {@code y' = f(t, y, p)} of an ODE system, written on plain {@code double[]}.
 *
 * <p>Arrays passed in are owned by the solver and reused between calls: read them during the call,
 * never keep them. Implementations must not allocate per call if they care about speed; the solver
 * itself allocates nothing per callback.
 *
 * <p>Every callback must be a function of its arguments alone ({@code t, y, p} and the vectors it
 * is given), not of how often or in what order it is called: the adjoint recomputes stretches of the
 * forward pass between checkpoints and needs the same values there, or its interpolation of the
 * forward solution is undefined.
 *
 * <p>A model may hold mutable scratch state (an AD tape does): the solver calls {@link #forSolver()}
 * once and uses only the instance it gets back, so one model object can be handed to several
 * solvers on several threads.
 */
public interface OdeModel {

    /** Number of states {@code n} (length of {@code y}). */
    int stateCount();

    /** Number of parameters (length of {@code p}); zero if the model has none. */
    default int parameterCount() {
        return 0;
    }

    /**
     * Evaluates {@code ydot = f(t, y, p)}. Throwing is allowed: the exception ends the solve and
     * reaches the caller as the cause of a {@link CallbackException}. Producing NaN or infinity is
     * reported to CVODES as a recoverable failure, so it retries with a smaller step.
     */
    void rhs(double t, double[] y, double[] p, double[] ydot);

    /** Whether {@link #jacobian} is implemented; otherwise CVODES uses difference quotients. */
    default boolean hasJacobian() {
        return false;
    }

    /**
     * Writes the nonzero entries of {@code df/dy} at {@code (t, y, p)} into {@code out}; entries not
     * written are zero. Only called when {@link #hasJacobian()} is true.
     */
    default void jacobian(double t, double[] y, double[] p, JacobianWriter out) {
        throw new IllegalStateException("model " + getClass().getName() + " has no Jacobian");
    }

    /**
     * Structural nonzeros of {@code df/dy} if the model knows them (an AD tape does), else
     * {@code null}. Used to pick a banded or sparse linear solver automatically.
     */
    default SparsityPattern sparsity() {
        return null;
    }

    /**
     * The model's discontinuities: state events, scheduled events (doses) and their actions, in the
     * order in which simultaneous events apply (see {@link Event}). None by default; attach events
     * to any model with {@link EventModel#of}.
     */
    default java.util.List<Event> events() {
        return java.util.List.of();
    }

    /**
     * For a piecewise model whose switches are events made with {@link Event#switching(String,
     * EventFunction, int)}: from now on evaluate every branch of switch {@code k} as the side
     * {@code sides[k]} (true: where its trigger is positive), whatever the arguments, until the next
     * call; null lets every evaluation decide by itself again. The solver calls this at the start of
     * every segment between events, so that no step (nor the adjoint's, nor a sensitivity's) ever
     * mixes two branches; the evaluations CVODES makes a little past a switch before locating it see
     * the old branch's formula extended. Models without such switches ignore it (the default).
     */
    default void holdBranches(boolean[] sides) {
    }

    /**
     * The instance a solver should call. Stateless models return {@code this}; models with scratch
     * state return a private copy, so that no two solvers share it.
     */
    default OdeModel forSolver() {
        return this;
    }
}
