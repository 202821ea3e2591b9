package org.sundials4j.ode;

/**
 * A CVODES call failed. Carries the flag's name (e.g. {@code CV_TOO_MUCH_WORK}), the function that
 * returned it, the integration time reached, the phase, and SUNDIALS' own message.
 */
public class SolverException extends RuntimeException {
    /** Which part of a solve failed. */
    public enum Phase { SETUP, FORWARD, SENSITIVITY, BACKWARD, QUADRATURE, LOSS }

    private final int flag;
    private final String flagName;
    private final String function;
    private final double time;
    private final Phase phase;
    private final String solverMessage;

    public SolverException(String message, int flag, String flagName, String function, double time, Phase phase,
                           String solverMessage, Throwable cause) {
        super(message, cause);
        this.flag = flag;
        this.flagName = flagName;
        this.function = function;
        this.time = time;
        this.phase = phase;
        this.solverMessage = solverMessage;
    }

    /** The raw CVODES return flag (negative). */
    public int flag() { return flag; }
    /** The flag's symbolic name from the CVODES headers. */
    public String flagName() { return flagName; }
    /** The CVODES function that returned the flag. */
    public String function() { return function; }
    /** The integration time reached when the failure happened (NaN if unknown). */
    public double time() { return time; }
    public Phase phase() { return phase; }
    /** SUNDIALS' own error text, or an empty string. */
    public String solverMessage() { return solverMessage; }
}
