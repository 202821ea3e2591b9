package org.sundials4j.fit;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * One experiment: its initial state and time, its condition parameters (model parameters that this
 * experiment sets to known values, overriding the estimated ones), and its data: {@code data[k][j]} is
 * observable {@code j} measured at {@code times[k]} ({@code NaN} for not measured). Immutable.
 */
public final class Experiment {
    private final String name;
    private final double t0;
    private final double[] initialState;
    private final double[] times;
    private final double[][] data;
    private final Map<Integer, Double> conditions;
    private final EventSchedule events;

    private Experiment(String name, double t0, double[] initialState, double[] times, double[][] data,
                       Map<Integer, Double> conditions, EventSchedule events) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("the experiment needs a name");
        if (times.length == 0) throw new IllegalArgumentException("experiment " + name + ": no observation times");
        if (data.length != times.length)
            throw new IllegalArgumentException("experiment " + name + ": data has " + data.length + " rows for " + times.length + " times");
        for (int k = 0; k < times.length; k++) {
            if (!Double.isFinite(times[k])) throw new IllegalArgumentException("experiment " + name + ": times[" + k + "] = " + times[k]);
            if (k > 0 && !(times[k] > times[k - 1]))
                throw new IllegalArgumentException("experiment " + name + ": times must increase strictly, times[" + k + "] = " + times[k]);
            if (data[k].length != data[0].length)
                throw new IllegalArgumentException("experiment " + name + ": data[" + k + "] has " + data[k].length + " columns, data[0] " + data[0].length);
        }
        if (!(times[0] >= t0)) throw new IllegalArgumentException("experiment " + name + ": times[0] = " + times[0] + " < t0 = " + t0);
        for (int i = 0; i < initialState.length; i++)
            if (!Double.isFinite(initialState[i]))
                throw new IllegalArgumentException("experiment " + name + ": initialState[" + i + "] = " + initialState[i]);
        this.name = name;
        this.t0 = t0;
        this.initialState = initialState.clone();
        this.times = times.clone();
        this.data = new double[data.length][];
        for (int k = 0; k < data.length; k++) this.data[k] = data[k].clone();
        this.conditions = new TreeMap<>(conditions);
        this.events = events;
    }

    /** An experiment starting at {@code t = 0} with no condition parameters. */
    public static Experiment of(String name, double[] initialState, double[] times, double[][] data) {
        return new Experiment(name, 0, initialState, times, data, Map.of(), null);
    }

    public Experiment withInitialTime(double t0) {
        return new Experiment(name, t0, initialState, times, data, conditions, events);
    }

    /** Sets model parameter {@code index} to {@code value} in this experiment (not estimated here). */
    public Experiment withCondition(int index, double value) {
        if (index < 0) throw new IllegalArgumentException("condition parameter index = " + index);
        if (!Double.isFinite(value)) throw new IllegalArgumentException("condition parameter " + index + " = " + value);
        Map<Integer, Double> c = new TreeMap<>(conditions);
        c.put(index, value);
        return new Experiment(name, t0, initialState, times, data, c, events);
    }

    /**
     * This experiment's events (its dose schedule). The gradient follows them (forward and adjoint
     * sensitivities through events), and so do the second-order adjoints behind Hessians, standard
     * errors and profiles when the events are written on the tape ({@code TapeEvents}).
     */
    public Experiment withEvents(EventSchedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("experiment " + name + ": the event schedule is null");
        return new Experiment(name, t0, initialState, times, data, conditions, schedule);
    }

    public boolean hasEvents() { return events != null; }

    /** The events for a model of {@code n} states and {@code np} parameters (empty without a schedule). */
    public java.util.List<org.sundials4j.ode.Event> events(int n, int np) {
        return events == null ? java.util.List.of() : events.events(n, np);
    }

    public String name() { return name; }
    public double initialTime() { return t0; }
    public double[] initialState() { return initialState.clone(); }
    public double[] times() { return times.clone(); }
    public int observableCount() { return data[0].length; }
    /** {@code data[k][j]}, a copy. */
    public double[][] data() {
        double[][] d = new double[data.length][];
        for (int k = 0; k < d.length; k++) d[k] = data[k].clone();
        return d;
    }
    /** Model parameter index → the value this experiment fixes it to. */
    public Map<Integer, Double> conditions() { return new TreeMap<>(conditions); }

    @Override
    public String toString() {
        return "Experiment[" + name + ", " + times.length + " times, y0 = " + Arrays.toString(initialState) + ", conditions " + conditions + "]";
    }
}
