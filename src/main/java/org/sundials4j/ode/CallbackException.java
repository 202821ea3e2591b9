package org.sundials4j.ode;

/**
 * A user callback (RHS, Jacobian, loss, ...) threw, or kept producing NaN/infinity. The original
 * exception, if any, is the {@linkplain #getCause() cause}, with its type intact.
 */
public class CallbackException extends SolverException {
    public CallbackException(String message, int flag, String flagName, String function, double time, Phase phase,
                             String solverMessage, Throwable cause) {
        super(message, flag, flagName, function, time, phase, solverMessage, cause);
    }
}
