package org.sundials4j.tape;

import java.util.Arrays;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventAction;
import org.sundials4j.ode.EventFunction;

/**
 * Event triggers and state updates recorded on the tape, so that every derivative the event
 * sensitivities need ({@code g_t, g_y, g_p}; {@code h_t, h_y, h_p} products) comes from AD. Tape
 * inputs are {@code t}, then {@code y}, then {@code p}, as for models.
 *
 * <pre>{@code
 * // pk-dosing: a dose of F·100 into the gut at 0, 12, 24, 36 h; a rescue dose of F·50 when C falls below 0.9
 * UpdateDefinition dose100 = (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(100)), y.get(1)};
 * Event doses = TapeEvents.at("dose", new double[] {0, 12, 24, 36}, 2, 4, dose100);
 * Event rescue = TapeEvents.whenZero("rescue", 2, 4, (tape, t, y, p) -> y.get(1).div(p.get(2)).minus(0.9),
 *         Event.Direction.DOWN, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(50)), y.get(1)});
 * DifferentiableOdeModel pk = EventModel.of(model, doses, rescue);
 * }</pre>
 *
 * <p>The recordings are made on first use (guarded branches re-record as in models); each solver
 * gets its own instance ({@code forSolver}).
 */
public final class TapeEvents {
    private TapeEvents() {}

    /** A state event with a tape-written trigger and update ({@code update} null: only recorded). */
    public static Event whenZero(String name, int n, int np, TriggerDefinition trigger, Event.Direction direction,
                                 UpdateDefinition update) {
        return Event.whenZero(name, trigger(n, np, trigger), direction, update == null ? null : update(n, np, update));
    }

    /** A state event with a tape-written trigger that stops the integration. */
    public static Event stopWhen(String name, int n, int np, TriggerDefinition trigger, Event.Direction direction) {
        return Event.stopWhen(name, trigger(n, np, trigger), direction);
    }

    /** A scheduled event at fixed {@code times} with a tape-written update. */
    public static Event at(String name, double[] times, int n, int np, UpdateDefinition update) {
        return Event.at(name, times, update(n, np, update));
    }

    /** A trigger {@code g(t, y, p)} on the tape: values by replay, the gradient by one reverse sweep. */
    public static EventFunction trigger(int n, int np, TriggerDefinition definition) {
        Checks.positive(n, "n");
        Checks.nonNegative(np, "np");
        if (definition == null) throw new IllegalArgumentException("definition is null");
        return new Trigger(n, np, definition);
    }

    /** A state update {@code h(t, y, p)} on the tape: values, JVP and VJP by replay. */
    public static EventAction update(int n, int np, UpdateDefinition definition) {
        Checks.positive(n, "n");
        Checks.nonNegative(np, "np");
        if (definition == null) throw new IllegalArgumentException("definition is null");
        return new Update(n, np, definition);
    }

    /**
     * The definition {@code trigger} was made from by {@link #trigger} (or {@link #whenZero}, {@link #stopWhen}),
     * or null for any other trigger: for code that records new functions around it (second-order
     * sensitivities nest its gradient in theirs).
     */
    public static TriggerDefinition definitionOf(EventFunction trigger) {
        return trigger instanceof Trigger t ? t.definition : null;
    }

    /** The definition {@code update} was made from by {@link #update} (or {@link #at}, {@link #whenZero}), or null. */
    public static UpdateDefinition definitionOf(EventAction update) {
        return update instanceof Update u ? u.definition : null;
    }

    /** A trigger: a scalar function of {@code (t, y, p)} on the tape, recorded and differentiated as an integrand is (by one). */
    private static final class Trigger implements EventFunction {
        private final int n, np;
        private final TriggerDefinition definition;
        private final TapeIntegrand g;

        Trigger(int n, int np, TriggerDefinition definition) {
            this.n = n;
            this.np = np;
            this.definition = definition;
            this.g = TapeIntegrand.of(n, np, (tape, t, y, p) -> {
                Var v = definition.apply(tape, t, y, p);
                if (v == null) throw new IllegalArgumentException("the trigger definition returned null");
                return v;
            });
        }

        /** The sizes an event's function takes ({@code p} unchecked, and may be null, without parameters). */
        static void check(double[] y, double[] p, int n, int np) {
            Checks.length(y, "y", n);
            if (np > 0) Checks.length(p, "p", np);
        }

        @Override
        public double value(double t, double[] y, double[] p) {
            check(y, p, n, np);
            return g.value(t, y, p);
        }

        @Override
        public double gradient(double t, double[] y, double[] p, double[] grad) {
            Checks.length(grad, "grad", 1 + n + np);
            check(y, p, n, np);
            return g.gradient(t, y, p, grad);
        }

        @Override
        public EventFunction forSolver() {
            return new Trigger(n, np, definition);
        }
    }

    private static final class Update implements EventAction {
        private final int n, np;
        private final UpdateDefinition definition;
        private final double[] x, xdot;
        private TapeFunction function;

        Update(int n, int np, UpdateDefinition definition) {
            this.n = n;
            this.np = np;
            this.definition = definition;
            this.x = new double[1 + n + np];
            this.xdot = new double[1 + n + np];
        }

        /** The recording at {@code x = [t, y, p]}, made on first use. */
        private TapeFunction at(double t, double[] y, double[] p) {
            Trigger.check(y, p, n, np);
            x[0] = t;
            System.arraycopy(y, 0, x, 1, n);
            if (np > 0) System.arraycopy(p, 0, x, 1 + n, np);
            if (function == null)
                function = TapeFunction.record(x.length, (tape, in) -> define(tape, in.get(0), in.slice(1, n), in.slice(1 + n, np)), x);
            return function;
        }

        private Var[] define(Tape tape, Var t, VarVector y, VarVector p) {
            Var[] out = definition.apply(tape, t, y, p);
            if (out == null || out.length != n)
                throw new IllegalArgumentException("the update definition returned " + (out == null ? "null" : out.length + " values")
                        + ", expected one per state (" + n + ")");
            return out;
        }

        @Override
        public void apply(double t, double[] y, double[] p, double[] out) {
            at(t, y, p).value(x, out);
        }

        @Override
        public void jvp(double t, double[] y, double[] p, double dt, double[] v, double[] w, double[] out) {
            TapeFunction f = at(t, y, p);
            xdot[0] = dt;
            System.arraycopy(v, 0, xdot, 1, n);
            if (w != null) System.arraycopy(w, 0, xdot, 1 + n, np);
            else Arrays.fill(xdot, 1 + n, xdot.length, 0.0);
            f.jvp(x, xdot, out);
        }

        @Override
        public void vjp(double t, double[] y, double[] p, double[] lambda, double[] grad) {
            at(t, y, p).vjp(x, lambda, grad, null);
        }

        @Override
        public EventAction forSolver() {
            return new Update(n, np, definition);
        }
    }
}
