package org.sundials4j.ode;

/**
 * The result of a solve: the states at the requested output times and CVODES' statistics.
 * Immutable; accessors return copies.
 */
public final class Solution {
    private final double[] times;
    private final double[][] states;
    private final SolverStatistics statistics;

    Solution(double[] times, double[][] states, SolverStatistics statistics) {
        this.times = times;
        this.states = states;
        this.statistics = statistics;
    }

    public double[] times() { return times.clone(); }

    public int size() { return times.length; }

    public double time(int k) { return times[k]; }

    /** The state at output {@code k} (a copy). */
    public double[] state(int k) { return states[k].clone(); }

    /** All states, one row per output time (a deep copy). */
    public double[][] states() {
        double[][] c = new double[states.length][];
        for (int k = 0; k < states.length; k++) c[k] = states[k].clone();
        return c;
    }

    public SolverStatistics statistics() { return statistics; }
}
