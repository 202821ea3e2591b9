package org.sundials4j.ode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A model with events attached: delegates the right-hand side and its derivatives to the model it
 * wraps and reports the given {@link Event}s from {@link #events()}.
 *
 * <pre>{@code
 * DifferentiableOdeModel ball = EventModel.of(freeFall, Event.whenZero("bounce", height, Direction.DOWN, reverse));
 * }</pre>
 */
public final class EventModel implements DifferentiableOdeModel {
    private final OdeModel base;
    /** The base model's own events, then the attached ones. */
    private final List<Event> events;
    /** How many of {@link #events} are the base model's own. */
    private final int baseEvents;

    private EventModel(OdeModel base, List<Event> events, int baseEvents) {
        this.base = base;
        this.events = events;
        this.baseEvents = baseEvents;
    }

    /** {@code model} with {@code events} after any events it already has. */
    public static EventModel of(OdeModel model, List<Event> events) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(events, "events");
        List<Event> all = new ArrayList<>(model.events());
        for (int i = 0; i < events.size(); i++) all.add(Objects.requireNonNull(events.get(i), "events[" + i + "]"));
        OdeModel inner = model instanceof EventModel em ? em.base : model;
        return new EventModel(inner, List.copyOf(all), inner.events().size());
    }

    /** {@code model} with {@code events} after any events it already has. */
    public static EventModel of(OdeModel model, Event... events) {
        return of(model, List.of(Objects.requireNonNull(events, "events")));
    }

    /** The wrapped model. */
    public OdeModel base() { return base; }

    @Override public List<Event> events() { return events; }
    @Override public int stateCount() { return base.stateCount(); }
    @Override public int parameterCount() { return base.parameterCount(); }
    @Override public void rhs(double t, double[] y, double[] p, double[] ydot) { base.rhs(t, y, p, ydot); }
    @Override public boolean hasJacobian() { return base.hasJacobian(); }
    @Override public void jacobian(double t, double[] y, double[] p, JacobianWriter out) { base.jacobian(t, y, p, out); }
    @Override public SparsityPattern sparsity() { return base.sparsity(); }
    @Override public void holdBranches(boolean[] sides) { base.holdBranches(sides); }

    @Override
    public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
        differentiable().jvp(t, y, p, v, w, out);
    }

    @Override
    public void vjp(double t, double[] y, double[] p, double[] lambda, double[] outY, double[] outP, double[] ydot) {
        differentiable().vjp(t, y, p, lambda, outY, outP, ydot);
    }

    private DifferentiableOdeModel differentiable() {
        if (base instanceof DifferentiableOdeModel d) return d;
        throw new UnsupportedOperationException("the model " + base.getClass().getName()
                + " is not a DifferentiableOdeModel: sensitivities need its jvp/vjp");
    }

    /**
     * The base model's solver instance, with that instance's own events (a piecewise tape model's
     * switches share their work within one solver) and the attached ones; events are copied per solver
     * by the solver itself.
     */
    @Override
    public EventModel forSolver() {
        OdeModel b = Objects.requireNonNull(base.forSolver(), "model.forSolver()");
        if (b == base) return this;
        List<Event> own = b.events();
        if (own.size() != baseEvents) return new EventModel(b, events, baseEvents); // a base whose copies report other events: keep ours
        List<Event> all = new ArrayList<>(own);
        all.addAll(events.subList(baseEvents, events.size()));
        return new EventModel(b, List.copyOf(all), baseEvents);
    }
}
