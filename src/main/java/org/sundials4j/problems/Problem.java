package org.sundials4j.problems;

import java.util.Arrays;
import java.util.List;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventModel;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeOdeModel;

/**
 * One problem of the shared problem set ({@code shared/PROBLEMS.md}): everything a solve needs, with
 * the right-hand side as a tape {@link OdeDefinition}. Immutable; arrays are copied in and out.
 * Every problem starts at {@code t = 0}.
 */
public final class Problem {
    private final String name;
    private final int stateCount;
    private final double[] parameters;
    private final double[] initialState;
    private final double[] outputTimes;
    private final double relativeTolerance;
    private final double[] absoluteTolerances;
    private final OdeDefinition definition;
    private final List<Event> events;

    /**
     * @param absoluteTolerances one per state, or a single value used for all states
     */
    Problem(String name, double[] parameters, double[] initialState, double[] outputTimes,
            double relativeTolerance, double[] absoluteTolerances, OdeDefinition definition) {
        this(name, parameters, initialState, outputTimes, relativeTolerance, absoluteTolerances, definition, List.of());
    }

    /** A problem with events (doses, switches), applied by every solve of {@link #model()}. */
    Problem(String name, double[] parameters, double[] initialState, double[] outputTimes,
            double relativeTolerance, double[] absoluteTolerances, OdeDefinition definition, List<Event> events) {
        this.events = List.copyOf(events);
        this.name = name;
        this.stateCount = initialState.length;
        this.parameters = parameters.clone();
        this.initialState = initialState.clone();
        this.outputTimes = outputTimes.clone();
        this.relativeTolerance = relativeTolerance;
        if (absoluteTolerances.length == 1) {
            this.absoluteTolerances = new double[stateCount];
            Arrays.fill(this.absoluteTolerances, absoluteTolerances[0]);
        } else if (absoluteTolerances.length == stateCount) {
            this.absoluteTolerances = absoluteTolerances.clone();
        } else {
            throw new IllegalArgumentException("absoluteTolerances.length = " + absoluteTolerances.length
                    + ", expected 1 or stateCount = " + stateCount);
        }
        this.definition = definition;
    }

    /** The name used by the CLI and {@link Problems#byName}. */
    public String name() { return name; }
    public int stateCount() { return stateCount; }
    public int parameterCount() { return parameters.length; }
    public double initialTime() { return 0.0; }
    /** The nominal parameters. */
    public double[] parameters() { return parameters.clone(); }
    public double[] initialState() { return initialState.clone(); }
    /** Output times of the forward solve, ascending, as written in the problem set. */
    public double[] outputTimes() { return outputTimes.clone(); }
    public double relativeTolerance() { return relativeTolerance; }
    /** Absolute tolerance of each state. */
    public double[] absoluteTolerances() { return absoluteTolerances.clone(); }
    public OdeDefinition definition() { return definition; }

    /** The problem's events (empty for most problems). */
    public List<Event> events() { return events; }

    /**
     * The model to solve: {@link #tapeModel()} with the problem's {@link #events()} attached (the
     * tape model itself when there are none).
     */
    public DifferentiableOdeModel model() {
        return events.isEmpty() ? tapeModel() : EventModel.of(tapeModel(), events);
    }

    /**
     * The right-hand side alone, recorded at {@code (0, y0, parameters)}; each call records anew.
     * It knows nothing of {@link #events()}: solve {@link #model()} instead.
     */
    public TapeOdeModel tapeModel() {
        return TapeOdeModel.record(stateCount, parameters.length, definition, 0.0, initialState, parameters);
    }

    @Override
    public String toString() {
        return "Problem[" + name + ", n=" + stateCount + ", parameters=" + parameters.length + "]";
    }
}
