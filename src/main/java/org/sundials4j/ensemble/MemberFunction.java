package org.sundials4j.ensemble;

/**
 * The work for one member, done with the calling thread's own worker. A worker is never used by two
 * threads; the function may keep scratch state in it (a solver, buffers).
 *
 * @param <W> the worker type (for example a {@link org.sundials4j.ode.GradientSolver})
 * @param <R> the member's result
 */
@FunctionalInterface
public interface MemberFunction<W, R> {
    /** The result for member {@code index}; an exception marks this member failed. */
    R apply(W worker, int index) throws Exception;
}
