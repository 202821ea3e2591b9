package org.sundials4j.ode;

import java.util.Arrays;
import java.util.Objects;

/**
 * A discontinuity of a model: a trigger and what happens when it fires. Events belong to the
 * model ({@link OdeModel#events()}, or {@link EventModel#of} to attach them to any model); every
 * solve and every gradient of that model honours them.
 *
 * <p><b>Triggers.</b> A <i>state event</i> fires where its {@link EventFunction} {@code g(t, y, p)}
 * crosses zero in the chosen {@link Direction}; CVODES locates the crossing by root finding. A
 * <i>scheduled event</i> fires at known times (doses): no root finding, and the integrator never
 * steps across them (each is a stop time).
 *
 * <p><b>Actions.</b> A state update {@code y⁺ = h(t, y⁻, p)} ({@link EventAction}), stopping the
 * integration ({@link #stopWhen}), or nothing but being recorded in {@link Solution#events()}
 * (a pure root report: {@code update} null). After an update CVODES restarts from {@code (t, y⁺)}
 * ({@code CVodeReInit}); statistics are summed over the restarts.
 *
 * <p><b>Order and timing.</b>
 * <ul>
 * <li>Events that fire at the same time apply one after another in the order of the model's event
 *     list, each seeing the state the previous one left.</li>
 * <li>A scheduled event at {@code t0} applies to the initial state before the first step.</li>
 * <li>An output at an event time sees the state <i>after</i> every event at that time ({@code y(t⁺)}),
 *     including an output at {@code t0}; its sensitivities and adjoint are those of {@code y(t⁺)}.</li>
 * <li>A trigger fires on a crossing during integration. A jump that moves some trigger across zero
 *     does not fire it (re-arming is the next continuous crossing); a trigger that only touches zero
 *     without changing sign does not fire.</li>
 * <li>Events that keep firing without time advancing (an action that re-triggers itself) end the
 *     solve with a {@link SolverException} whose flag name is {@code EVENTS_NOT_ADVANCING}.</li>
 * </ul>
 *
 * <p>Sensitivities through events, the event-time terms included, are derived in
 * {@code EventJumps} (package documentation of the jump formulas).
 */
public final class Event {
    /** Which zero crossings of a trigger fire the event. */
    public enum Direction {
        /** {@code g} goes from negative to positive. */
        UP(1),
        /** {@code g} goes from positive to negative. */
        DOWN(-1),
        /** Either way. */
        BOTH(0);

        final int cvodes;

        Direction(int cvodes) {
            this.cvodes = cvodes;
        }
    }

    enum Kind { ROOT, SCHEDULED }

    /**
     * An output time meaning "where a stop event ends the integration" ({@code +∞}), allowed as the
     * last output time of a model with a {@link #stopWhen} event: that output is {@code y(τ)} at the
     * stop time τ ({@link Solution#time} reports τ; a loss sees τ in its {@code times}). Gradients
     * differentiate it with the event-time term: {@code dy(τ)/dθ = s(τ) + f(τ) dτ/dθ}. To put τ
     * itself in a loss, give the model a clock state {@code c' = 1}, {@code c(t0) = t0}. The
     * integration runs in chunks of doubling length until the stop fires, and ends with a
     * {@code NO_STOP_EVENT} {@link SolverException} if none has after 64 of them.
     */
    public static final double AT_STOP = Double.POSITIVE_INFINITY;

    private final String name;
    private final Kind kind;
    private final EventFunction trigger;
    private final Direction direction;
    private final double[] times;
    private final EventAction update;
    private final boolean stop;
    private final boolean switching;
    /** The switch's index in {@link OdeModel#holdBranches}, or -1 (the model decides its branch itself). */
    private final int branch;

    private Event(String name, Kind kind, EventFunction trigger, Direction direction, double[] times, EventAction update,
                  boolean stop) {
        this(name, kind, trigger, direction, times, update, stop, false, -1);
    }

    private Event(String name, Kind kind, EventFunction trigger, Direction direction, double[] times, EventAction update,
                  boolean stop, boolean switching, int branch) {
        this.switching = switching;
        this.branch = branch;
        this.name = Objects.requireNonNull(name, "name");
        this.kind = kind;
        this.trigger = trigger;
        this.direction = direction;
        this.times = times;
        this.update = update;
        this.stop = stop;
    }

    /**
     * A state event: fires where {@code trigger} crosses zero in {@code direction} and applies
     * {@code update} ({@code y⁺ = h(t, y⁻, p)}), or, with {@code update} null, is only recorded.
     */
    public static Event whenZero(String name, EventFunction trigger, Direction direction, EventAction update) {
        return new Event(name, Kind.ROOT, Objects.requireNonNull(trigger, "trigger"),
                Objects.requireNonNull(direction, "direction"), null, update, false);
    }

    /**
     * A switch of a piecewise right-hand side: where {@code trigger} crosses zero (either way) the
     * model's right-hand side changes branch; the state is continuous, but the integrator restarts
     * there (no step straddles the switch) and sensitivities jump by {@code (f⁻ - f⁺) dτ/dθ}.
     * {@code TapeOdeModel} makes these itself from the comparisons on its tape.
     */
    public static Event switching(String name, EventFunction trigger) {
        return new Event(name, Kind.ROOT, Objects.requireNonNull(trigger, "trigger"), Direction.BOTH, null, null, false, true, -1);
    }

    /**
     * A switch whose branch the model holds fixed between events: it is entry {@code branch} of the
     * vector the solver passes to {@link OdeModel#holdBranches} (true on the side where
     * {@code trigger} is positive). The solver sets it at every (re)start from the trigger's sign
     * and flips it where the trigger crosses zero, so the right-hand side is smooth within each
     * segment and its two sides at the switch are exact ({@code f⁻}, {@code f⁺} at the same point).
     * {@code TapeOdeModel} makes these itself from the comparisons on its tape.
     */
    public static Event switching(String name, EventFunction trigger, int branch) {
        if (branch < 0) throw new IllegalArgumentException("event '" + name + "': branch = " + branch + " is negative");
        return new Event(name, Kind.ROOT, Objects.requireNonNull(trigger, "trigger"), Direction.BOTH, null, null, false, true,
                branch);
    }

    /** A state event that stops the integration: outputs after its time are not computed. */
    public static Event stopWhen(String name, EventFunction trigger, Direction direction) {
        return new Event(name, Kind.ROOT, Objects.requireNonNull(trigger, "trigger"),
                Objects.requireNonNull(direction, "direction"), null, null, true);
    }

    /**
     * A scheduled event: applies {@code update} at each of {@code times} (any order; a time listed
     * twice applies twice). The times are fixed numbers; the update may depend on parameters
     * (a bolus of {@code F·dose}), and an infusion is a state holding the rate that scheduled events
     * switch on and off.
     */
    public static Event at(String name, double[] times, EventAction update) {
        Objects.requireNonNull(times, "times");
        Objects.requireNonNull(update, "update");
        for (int i = 0; i < times.length; i++)
            if (!Double.isFinite(times[i]))
                throw new IllegalArgumentException("event '" + name + "': times[" + i + "] is not finite: " + times[i]);
        double[] sorted = times.clone();
        Arrays.sort(sorted);
        return new Event(name, Kind.SCHEDULED, null, null, sorted, update, false);
    }

    public String name() { return name; }

    /** Whether this is a scheduled event (else a state event). */
    public boolean isScheduled() { return kind == Kind.SCHEDULED; }

    /** The trigger of a state event, null for a scheduled one. */
    public EventFunction trigger() { return trigger; }

    /** The direction of a state event, null for a scheduled one. */
    public Direction direction() { return direction; }

    /** The times of a scheduled event, sorted (a copy); empty for a state event. */
    public double[] times() { return times == null ? new double[0] : times.clone(); }

    /** The state update, or null (a stop, or a pure root report). */
    public EventAction update() { return update; }

    /** Whether firing stops the integration. */
    public boolean stops() { return stop; }

    /** Whether this is a switch of the right-hand side ({@link #switching}). */
    public boolean isSwitch() { return switching; }

    /** The switch's entry in {@link OdeModel#holdBranches}, or -1 when the model does not hold its branch. */
    public int branch() { return branch; }

    Kind kind() { return kind; }

    double[] timesView() { return times; }

    /** A copy whose trigger and update are the instances one solver uses. */
    Event forSolver() {
        return new Event(name, kind, trigger == null ? null : Objects.requireNonNull(trigger.forSolver(), "trigger.forSolver()"),
                direction, times, update == null ? null : Objects.requireNonNull(update.forSolver(), "update.forSolver()"), stop,
                switching, branch);
    }

    @Override
    public String toString() {
        return "Event[" + name + ", " + (kind == Kind.SCHEDULED ? "at " + times.length + " times" : "when zero " + direction)
                + (stop ? ", stop" : update != null ? ", update" : switching ? ", switch" : "") + "]";
    }
}
