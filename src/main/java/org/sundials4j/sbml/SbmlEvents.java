package org.sundials4j.sbml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventAction;
import org.sundials4j.ode.EventFunction;
import org.sundials4j.ode.OdeModel;
import org.sbml.jsbml.ASTNode;
import org.sundials4j.sbml.ModelStructure.EventDef;
import org.sundials4j.sbml.ModelStructure.Math;
import org.sundials4j.sbml.ModelStructure.Symbol;
import org.sundials4j.tape.Tape;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * SBML Level 3 event semantics on the solver's event API, with no event code of its own beyond one
 * update: everything an SBML simulator keeps between instants lives in extra states with zero
 * derivative, appended after the model's states, so the solver's event loop, its restarts and its
 * sensitivity jumps (forward and adjoint, event-time terms included) carry it unchanged.
 *
 * <p><b>The extra states.</b> Per event, its trigger's last value ({@code 0/1}, starting at
 * {@code initialValue}). Per event with a delay, {@link #slots} pending executions, each
 * {@code [active, τ, stored values]}: {@code τ} the execution time, the values those of the
 * assignments at trigger time when {@code useValuesFromTriggerTime}. A pending execution's time is a
 * state, so its sensitivity {@code dτ/dθ = dt₁/dθ + d(delay)/dθ} ({@code t₁} the trigger time) comes from the jump at the trigger,
 * and the execution's own event-time term from its root {@code t - τ} (rate 1).
 *
 * <p><b>The solver's events.</b> Each relation in an SBML trigger has its {@link Evaluator#margin} as a
 * root function (both directions: a trigger turning false re-arms it and cancels a non-persistent
 * event); each
 * delayed event has one root function {@code max over active slots (t - τ)} ({@code -1} when none is
 * active); a scheduled event at {@code t0} handles firing at {@code t0}. All share one update,
 * {@link #instant}, which resolves everything that happens at that instant (SBML L3v2 §4.11.6):
 * <ol>
 *   <li>every event whose trigger turned true is triggered: without delay it joins the instant's
 *       pending set (with its values, when computed at trigger time); with a delay, a free slot gets
 *       {@code τ = t + delay}; every event whose trigger turned false and is not persistent loses its
 *       pending executions;</li>
 *   <li>of the executions due now, the one of highest priority (evaluated now; no priority is the
 *       lowest; ties are broken pseudo-randomly, from the time and the count of executions so far,
 *       so a rerun gives the same result) executes: its assignments are applied at once;</li>
 *   <li>back to 1 until nothing is due.</li>
 * </ol>
 * A relation holds where its margin is positive; a margin of exactly zero (root finding may stop
 * exactly on a boundary) counts as the side the trajectory heads to ({@link #relation}).
 *
 * <p>Every decision is a guarded comparison on the tape, so the update is an ordinary
 * {@link TapeEvents#update} that re-records when the path through the instant changes; its JVP and
 * VJP follow the path taken.
 */
final class SbmlEvents {
    /** Executions at one instant after which the model is judged to cascade without end. */
    static final int MAX_EXECUTIONS_PER_INSTANT = 1_000;

    /** More executions of one event are pending than it has slots: the caller retries with more. */
    static final class SlotsExhausted extends RuntimeException {
        final String event;

        SlotsExhausted(String event, int slots) {
            super("event '" + event + "' has more than " + slots + " executions pending at once", null, false, false);
            this.event = event;
        }
    }

    /** An execution due at the current instant: an event without delay (slot -1) or a pending slot. */
    private record Due(int event, int slot, Var[] values) { }

    private final ModelStructure m;
    private final List<EventDef> defs = new ArrayList<>();
    /**
     * Every relation in the triggers, each its own root function: a trigger like {@code x > a && x < b}
     * can be true only between two steps' ends, where its combined margin never shows a sign change.
     */
    private final List<Math> atoms = new ArrayList<>();
    private final Map<ASTNode, Integer> atomIndex = new java.util.IdentityHashMap<>();
    /** Pending-execution slots per delayed event. */
    final int slots;
    private final int n;
    /** The model's states plus the extra ones. */
    final int size;
    private final int[] memory;
    /** Per event: the index of its first slot, -1 without delay. */
    private final int[] slotBase;
    /** Per event: states per slot ({@code 2 + stored values}). */
    private final int[] slotWidth;

    SbmlEvents(ModelStructure m, int slots) {
        this.m = m;
        this.slots = slots;
        this.n = m.states.size();
        for (EventDef d : m.events) if (!d.assignments().isEmpty()) defs.add(d); // the others change nothing
        int e = defs.size();
        memory = new int[e];
        slotBase = new int[e];
        slotWidth = new int[e];
        int next = n;
        for (int i = 0; i < e; i++) memory[i] = next++;
        for (int i = 0; i < e; i++) {
            EventDef d = defs.get(i);
            slotBase[i] = d.delay() == null ? -1 : next;
            slotWidth[i] = 2 + (d.useValuesFromTriggerTime() ? d.assignments().size() : 0);
            if (d.delay() != null) next += slots * slotWidth[i];
        }
        size = next;
        for (EventDef d : defs) collectAtoms(d.trigger().node(), d.trigger());
    }

    /** The relations a trigger combines with and/or/xor/not (import has refused anything but those and numbers). */
    private void collectAtoms(ASTNode n, Math trigger) {
        switch (n.getType()) {
            case CONSTANT_TRUE, CONSTANT_FALSE, INTEGER, REAL, REAL_E, RATIONAL -> { }
            case LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR, LOGICAL_NOT -> {
                for (int c = 0; c < n.getChildCount(); c++) collectAtoms(n.getChild(c), trigger);
            }
            default -> {
                atomIndex.put(n, atoms.size());
                atoms.add(new Math(n, trigger.element(), trigger.id()));
            }
        }
    }

    /** Whether the model has an event that changes anything. */
    boolean any() {
        return !defs.isEmpty();
    }

    /** The extra states at {@code t0}: each trigger's {@code initialValue}, no execution pending. */
    double[] extend(double[] y0) {
        double[] y = java.util.Arrays.copyOf(y0, size);
        for (int i = 0; i < defs.size(); i++) y[memory[i]] = defs.get(i).initialValue() ? 1 : 0;
        return y;
    }

    /** The solver's events for a solve from {@code t0} of {@code rhs} (the extended state's), all sharing {@link #instant}'s update. */
    List<Event> events(double t0, OdeModel rhs) {
        int nq = m.constants.size();
        List<Event> out = new ArrayList<>();
        List<EventFunction> margins = new ArrayList<>();
        for (Math a : atoms)
            margins.add(TapeEvents.trigger(size, nq, (tape, t, y, q) -> new Evaluator(m, tape, Evaluator.Mode.DYNAMIC, t, q, y).margin(a)));
        out.add(Event.at("events at t0", new double[] {t0}, TapeEvents.update(size, nq, (tape, t, y, q) -> instant(tape, t, y, q, null))));
        EventAction update = TapeEvents.update(size, nq, (tape, t, y, q) -> instant(tape, t, y, q, new Rates(rhs, margins)));
        for (int a = 0; a < atoms.size(); a++) out.add(Event.whenZero(atoms.get(a).id(), margins.get(a), Event.Direction.BOTH, update));
        for (int i = 0; i < defs.size(); i++) {
            if (slotBase[i] < 0) continue;
            int event = i;
            out.add(Event.whenZero(defs.get(i).id() + " (delayed)", TapeEvents.trigger(size, nq, (tape, t, y, q) -> due(tape, t, y, event)),
                    Event.Direction.UP, update));
        }
        return out;
    }

    /** {@code max over active slots (t - τ)}, {@code -1} when none is active: zero when the first pending execution is due. */
    private Var due(Tape tape, Var t, VarVector y, int event) {
        Var g = tape.constant(-1);
        for (int k = 0; k < slots; k++) {
            int b = slotBase[event] + k * slotWidth[event];
            g = g.max(y.get(b).isGreaterThan(0.5).select(t.minus(y.get(b + 1)), tape.constant(-1)));
        }
        return g;
    }

    /**
     * The rate {@code D = g_t + g_y·f} of a trigger's margin, which tells which side of a boundary
     * the trajectory is heading to.
     */
    private record Rates(OdeModel rhs, List<EventFunction> margins) {
        double of(int atom, Var t, Var[] s, VarVector q) {
            double[] y = new double[s.length], p = new double[q.size()], f = new double[s.length];
            for (int i = 0; i < y.length; i++) y[i] = s[i].value();
            for (int i = 0; i < p.length; i++) p[i] = q.get(i).value();
            double[] grad = new double[1 + y.length + p.length];
            rhs.rhs(t.value(), y, p, f);
            margins.get(atom).gradient(t.value(), y, p, grad);
            double d = grad[0];
            for (int i = 0; i < y.length; i++) d += grad[1 + i] * f[i];
            return d;
        }
    }

    /**
     * Everything that happens at one instant; the class comment gives the rules. {@code rates}
     * null: the instant is {@code t0}, where triggers are evaluated as written.
     */
    private Var[] instant(Tape tape, Var t, VarVector y, VarVector q, Rates rates) {
        Var[] s = y.toArray();
        List<Due> now = new ArrayList<>();
        for (int executed = 0; ; executed++) {
            Evaluator e = new Evaluator(m, tape, t, q, s);
            for (int i = 0; i < defs.size(); i++) {
                EventDef d = defs.get(i);
                boolean was = s[memory[i]].isGreaterThan(0.5).holds();
                boolean on = holds(t, e, s, q, i, rates);
                if (on == was) continue;
                s[memory[i]] = tape.constant(on ? 1 : 0);
                if (on) trigger(tape, t, e, s, now, i);
                else if (!d.persistent()) cancel(tape, s, now, i);
            }
            List<Due> due = new ArrayList<>(now);
            for (int i = 0; i < defs.size(); i++)
                for (int k = 0; slotBase[i] >= 0 && k < slots; k++) {
                    int b = slotBase[i] + k * slotWidth[i];
                    if (s[b].isGreaterThan(0.5).holds() && t.minus(s[b + 1]).isGreaterOrEqual(0).holds())
                        due.add(new Due(i, k, slotWidth[i] > 2 ? java.util.Arrays.copyOfRange(s, b + 2, b + slotWidth[i]) : null));
                }
            if (due.isEmpty()) return s;
            if (executed >= MAX_EXECUTIONS_PER_INSTANT)
                throw new SbmlException("event", defs.get(due.get(0).event()).id(), "events executed " + executed
                        + " times at t = " + t.value() + " without time advancing (each execution triggers another)");
            Due next = choose(tape, t, e, due, executed);
            if (next.slot() < 0) now.remove(next);
            else s[slotBase[next.event()] + next.slot() * slotWidth[next.event()]] = tape.constant(0);
            EventDef d = defs.get(next.event());
            s = execute(e, s, d, next.values() != null ? next.values() : values(e, d));
        }
    }

    /** Whether event {@code i}'s trigger holds: its and/or/xor/not of relations and numbers, each relation judged by {@link #relation}. */
    private boolean holds(Var t, Evaluator e, Var[] s, VarVector q, int i, Rates rates) {
        return truth(defs.get(i).trigger().node(), t, e, s, q, rates);
    }

    private boolean truth(ASTNode n, Var t, Evaluator e, Var[] s, VarVector q, Rates rates) {
        switch (n.getType()) {
            case CONSTANT_TRUE: return true;
            case CONSTANT_FALSE: return false;
            case INTEGER: case REAL: case REAL_E: case RATIONAL: return Evaluator.literal(n) != 0; // numbers as booleans
            case LOGICAL_NOT: return !truth(n.getChild(0), t, e, s, q, rates);
            case LOGICAL_XOR: {
                boolean odd = false;
                for (int c = 0; c < n.getChildCount(); c++) odd ^= truth(n.getChild(c), t, e, s, q, rates);
                return odd;
            }
            case LOGICAL_AND: case LOGICAL_OR: {
                boolean and = n.getType() == ASTNode.Type.LOGICAL_AND;
                for (int c = 0; c < n.getChildCount(); c++)
                    if (truth(n.getChild(c), t, e, s, q, rates) != and) return !and;
                return and;
            }
            default: return relation(atomIndex.get(n), t, e, s, q, rates);
        }
    }

    /**
     * Whether relation {@code a} holds. Equality and inequality as written: exact, so dependable on
     * quantities that change only at events (counters, flags); on a continuous one, equality holds
     * only where a step or an event lands on it exactly. Order relations: their margin's sign; where the margin is exactly zero (root
     * finding may stop exactly on a boundary: {@code time > 5} at 5), the side the trajectory heads
     * to (the sign of the margin's rate), and the relation as written at {@code t0} or where the rate
     * is zero too. The rate is a number, not on the tape, so that choice is guarded on the time.
     */
    private boolean relation(int a, Var t, Evaluator e, Var[] s, VarVector q, Rates rates) {
        ASTNode.Type type = atoms.get(a).node().getType();
        if (type == ASTNode.Type.RELATIONAL_EQ || type == ASTNode.Type.RELATIONAL_NEQ)
            return e.eval(atoms.get(a)).isGreaterThan(0.5).holds();
        Var g = e.margin(atoms.get(a));
        if (g.isGreaterThan(0).holds()) return true;
        if (g.isLessThan(0).holds()) return false;
        double rate = rates == null ? 0 : rates.of(a, t, s, q);
        if (rate == 0) return e.eval(atoms.get(a)).abs().isGreaterThan(0).holds();
        pin(t);
        return rate > 0;
    }

    /** Guards that make a recording valid at this exact time only (a choice made on numbers, not on the tape). */
    private static void pin(Var t) {
        double time = t.value();
        t.isGreaterOrEqual(time).holds();
        t.isLessOrEqual(time).holds();
    }

    private void trigger(Tape tape, Var t, Evaluator e, Var[] s, List<Due> now, int i) {
        EventDef d = defs.get(i);
        if (d.delay() == null) {
            now.add(new Due(i, -1, d.useValuesFromTriggerTime() ? values(e, d) : null));
            return;
        }
        Var delay = e.eval(d.delay());
        if (!delay.isGreaterOrEqual(0).holds())
            throw new SbmlException("event", d.id(), "its delay is " + delay.value() + " at t = " + t.value() + " (a delay must not be negative)");
        for (int k = 0; k < slots; k++) {
            int b = slotBase[i] + k * slotWidth[i];
            if (s[b].isGreaterThan(0.5).holds()) continue;
            s[b] = tape.constant(1);
            s[b + 1] = t.plus(delay);
            if (slotWidth[i] > 2) System.arraycopy(values(e, d), 0, s, b + 2, slotWidth[i] - 2);
            return;
        }
        throw new SlotsExhausted(d.id(), slots);
    }

    /** A non-persistent event whose trigger turned false loses every pending execution. */
    private void cancel(Tape tape, Var[] s, List<Due> now, int i) {
        now.removeIf(p -> p.event() == i);
        for (int k = 0; slotBase[i] >= 0 && k < slots; k++) s[slotBase[i] + k * slotWidth[i]] = tape.constant(0);
    }

    /**
     * The due execution of highest priority; among equals, one picked by a hash of the time and the
     * execution count (SBML asks for a random choice; this one is reproducible). The pick depends on
     * the time's exact value, so it is guarded on it.
     */
    private Due choose(Tape tape, Var t, Evaluator e, List<Due> due, int executed) {
        List<Due> best = new ArrayList<>();
        Var top = null;
        for (Due c : due) {
            EventDef d = defs.get(c.event());
            Var p = d.priority() == null ? null : e.eval(d.priority());
            int cmp = top == null ? (p == null ? (best.isEmpty() ? 1 : 0) : 1)
                    : p == null ? -1 : p.isGreaterThan(top).holds() ? 1 : top.isGreaterThan(p).holds() ? -1 : 0;
            if (cmp > 0) {
                best.clear();
                top = p;
            }
            if (cmp >= 0) best.add(c);
        }
        if (best.size() == 1) return best.get(0);
        pin(t);
        long h = mix(Double.doubleToLongBits(t.value()) ^ mix(executed + 0x9E3779B97F4A7C15L));
        return best.get((int) Long.remainderUnsigned(h, best.size()));
    }

    /** SplitMix64's finaliser: a well-spread hash of a 64-bit value. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The event's assignment values on the current state, in assignment order. */
    private static Var[] values(Evaluator e, EventDef d) {
        Var[] v = new Var[d.assignments().size()];
        for (int j = 0; j < v.length; j++) v[j] = e.eval(d.assignments().get(j).math());
        return v;
    }

    /** The state after the event assigns {@code values}, on the state {@code e} reads. */
    private Var[] execute(Evaluator e, Var[] s, EventDef d, Var[] values) {
        Var[] out = s.clone();
        Map<String, Var> assigned = new LinkedHashMap<>();
        for (int j = 0; j < values.length; j++) assigned.put(d.assignments().get(j).variable(), values[j]);
        for (Map.Entry<String, Var> a : assigned.entrySet()) {
            Symbol x = m.globals.get(a.getKey());
            Var v = a.getValue();
            if (x.isSpecies() && x.stateIsAmount && !x.hasOnlySubstanceUnits && e.sized(x)) {
                // a concentration is assigned: the amount is that concentration times the size the
                // compartment has when the event executes, even when the same event resizes it (the
                // suite's reading, cases 01506 and 01779)
                v = v.times(e.size(x));
            }
            out[x.stateIndex] = v;
        }
        // A species integrated as a concentration keeps its amount when the event resizes its compartment.
        for (Symbol x : m.states) {
            if (!x.isSpecies() || x.stateIsAmount || x.hasOnlySubstanceUnits || !e.sized(x) || !assigned.containsKey(x.compartment))
                continue;
            Var c = assigned.containsKey(x.id) ? assigned.get(x.id) : e.value(x.id);
            out[x.stateIndex] = c.times(e.size(x)).div(assigned.get(x.compartment));
        }
        return out;
    }
}
