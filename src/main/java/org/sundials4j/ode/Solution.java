package org.sundials4j.ode;

/**
 * The result of a solve: the states at the requested output times and CVODES' statistics.
 * Immutable; accessors return copies.
 */
public final class Solution {
    private final double[] times;
    private final double[][] states;
    private final SolverStatistics statistics;
    private final java.util.List<EventRecord> events;

    Solution(double[] times, double[][] states, SolverStatistics statistics) {
        this(times, states, statistics, java.util.List.of());
    }

    Solution(double[] times, double[][] states, SolverStatistics statistics, java.util.List<EventRecord> events) {
        this.times = times;
        this.states = states;
        this.statistics = statistics;
        this.events = events;
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

    /**
     * CVODES' counters, summed over the segments between events (the integrator restarts after
     * each state update).
     */
    public SolverStatistics statistics() { return statistics; }

    /**
     * The events that fired, in the order they applied (empty for a model without events). When
     * an event stopped the integration, it is the last one, and only the outputs up to its time are
     * in this solution ({@link #size()} is then below the number of requested output times).
     */
    public java.util.List<EventRecord> events() { return events; }
}
