package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.CVRootFn;
import org.sundials4j.internal.cvodes.N_Vector;

/**
 * Integration through a model's events, for one solver: the segments between events, root finding
 * for state events ({@code CVodeRootInit}, one root function per state event, its direction set),
 * stop times at scheduled events ({@code CVodeSetStopTime}, so no step crosses one), and at each
 * event the update and a clean restart ({@code CVodeReInit}, quadratures re-initialised, counters
 * summed). Sensitivity engines plug their jumps in through {@link Hooks}; the math is in
 * {@link EventJumps}. The order of simultaneous events and what outputs at event times see are
 * documented on {@link Event}.
 */
final class EventLoop {
    /** Event rounds in a row that may fire without time advancing before the solve is stopped. */
    static final int MAX_STALLED_ROUNDS = 100;
    /** A state event whose rate at the root is below this fraction of its mean rate over the step is tangential. */
    static final double TANGENTIAL_RATIO = 1e-3;

    /** What a sensitivity run adds at events and outputs. */
    interface Hooks {
        /**
         * Before the first update at {@code t}: CVODES still holds everything at {@code t⁻}, unless
         * {@code fresh} (no step since the last (re)start at {@code t}: then the values of that start hold).
         */
        void beforeRound(double t, boolean fresh);

        /** One event applied (state event: {@code d} is its rate {@code D}; else NaN). */
        void onEvent(Event e, double t, double[] yMinus, double[] yPlus, double[] fMinus, double[] fPlus, double d, double qJump);

        /** After {@code CVodeReInit} at {@code t}. */
        void afterRestart(double t);

        /** Output {@code k} at {@code t}; {@code fresh}: no step since the last (re)start at {@code t}. */
        void onOutput(int k, double t, boolean fresh);

        /**
         * Output {@code k} at {@code tk}, a few ulps from {@code t} where the state is {@code y}: just
         * after a (re)start ({@code fresh}), or just before a scheduled event CVODES stepped onto; it
         * is one Euler step {@code y + (tk - t) f} away (see {@link #bridge}).
         */
        void onOutputNear(int k, double t, double[] y, double tk, boolean fresh);
    }

    /**
     * One update (or switch) applied, with the right-hand sides on both sides, for the adjoint's
     * backward pass; {@code heldAfter}: the branches held after it (null for a model without held switches).
     */
    record Applied(double time, int event, double[] yMinus, double[] yPlus, double[] fMinus, double[] fPlus, boolean[] heldAfter) {}

    /** What a run produced. */
    static final class Trace {
        final double[][] states;
        int reached;
        final List<EventRecord> fired = new ArrayList<>();
        final List<Applied> applied = new ArrayList<>();
        SolverStatistics statistics;
        boolean stopped;
        /** The branches held from {@code t0} (before any event there); null without held switches. */
        boolean[] heldAtStart;
        /** The time a stop event ended the run, NaN if none did. */
        double stopTime = Double.NaN;

        Trace(int outputs) {
            states = new double[outputs][];
        }

        Solution solution(double[] times) {
            return new Solution(outputTimes(times), Arrays.copyOf(states, reached), statistics, List.copyOf(fired));
        }

        /** The times of the outputs reached: the requested ones, with {@link Event#AT_STOP} replaced by the stop time. */
        double[] outputTimes(double[] times) {
            double[] t = Arrays.copyOf(times, reached);
            if (reached > 0 && t[reached - 1] == Event.AT_STOP) t[reached - 1] = stopTime;
            return t;
        }
    }

    private final CvodesSolver solver;
    private final OdeModel model;
    final Event[] events;
    private final int n;
    private final int[] rootEvent, rootDirection, rootsFound;
    private final double[] scheduledTime;
    private final int[] scheduledEvent;
    final EventJumps jumps;
    /** The forward quadrature of an integral functional, re-initialised at restarts; null without. */
    N_Vector quadrature;
    private N_Vector probe;
    private boolean armed;
    /** Whether the output being integrated to is {@link Event#AT_STOP} (a stop event then makes it). */
    private boolean stopIsOutput;
    /** Chunks an output at {@link Event#AT_STOP} integrates in (doubling) before giving up on the stop. */
    static final int MAX_STOP_CHUNKS = 64;
    /** {@code switchEvent[k]}: the event whose branch is entry k of {@link OdeModel#holdBranches}; null without. */
    private final int[] switchEvent;
    /** The branches held now (null without held switches). */
    private boolean[] held;

    // state of the current run
    private double lastRound;
    private int stalled;
    private SolverStatistics summed;

    EventLoop(CvodesSolver solver, List<Event> modelEvents) {
        this.solver = solver;
        this.model = solver.model;
        this.n = solver.n;
        this.events = new Event[modelEvents.size()];
        int roots = 0, scheduled = 0;
        for (int i = 0; i < events.length; i++) {
            Event e = modelEvents.get(i);
            if (e == null) throw new IllegalArgumentException("model.events()[" + i + "] is null");
            events[i] = e.forSolver();
            if (e.isScheduled()) scheduled += e.timesView().length;
            else roots++;
        }
        rootEvent = new int[roots];
        rootDirection = new int[roots];
        rootsFound = new int[Math.max(roots, 1)];
        EventFunction[] triggers = new EventFunction[roots];
        long[] keyed = new long[scheduled];
        double[] times = new double[scheduled];
        int r = 0, s = 0;
        for (int i = 0; i < events.length; i++) {
            Event e = events[i];
            if (e.isScheduled()) {
                for (double t : e.timesView()) times[s++] = t;
            } else {
                rootEvent[r] = i;
                rootDirection[r] = e.direction().cvodes;
                triggers[r++] = e.trigger();
            }
        }
        // scheduled firings by time, then by the event's position in the list
        Integer[] order = new Integer[scheduled];
        int[] owner = new int[scheduled];
        s = 0;
        for (int i = 0; i < events.length; i++)
            if (events[i].isScheduled()) for (int j = 0; j < events[i].timesView().length; j++) owner[s++] = i;
        for (int j = 0; j < scheduled; j++) order[j] = j;
        Arrays.sort(order, (a, b) -> times[a] != times[b] ? Double.compare(times[a], times[b]) : Integer.compare(owner[a], owner[b]));
        scheduledTime = new double[scheduled];
        scheduledEvent = new int[scheduled];
        for (int j = 0; j < scheduled; j++) {
            scheduledTime[j] = times[order[j]];
            scheduledEvent[j] = owner[order[j]];
        }
        this.jumps = new EventJumps(model);
        this.switchEvent = branchOwners(events);
        if (roots > 0) {
            solver.callbacks.triggers = triggers;
            solver.callbacks.gBuf = solver.stage(Glue.BUF_G, roots);
        }
    }

    /** Which event owns each held branch; the branches must be numbered 0 .. m-1, each once. */
    private static int[] branchOwners(Event[] events) {
        int m = 0;
        for (Event e : events) if (e.branch() >= 0) m = Math.max(m, e.branch() + 1);
        if (m == 0) return null;
        int[] owner = new int[m];
        Arrays.fill(owner, -1);
        for (int i = 0; i < events.length; i++) {
            int k = events[i].branch();
            if (k < 0) continue;
            if (owner[k] >= 0)
                throw new IllegalArgumentException("events '" + events[owner[k]].name() + "' and '" + events[i].name()
                        + "' both hold branch " + k);
            owner[k] = i;
        }
        for (int k = 0; k < m; k++)
            if (owner[k] < 0) throw new IllegalArgumentException("no switching event holds branch " + k + " (of 0.." + (m - 1) + ")");
        return owner;
    }

    /**
     * The branches at a run's start: each switch on the side of its trigger's sign at {@code (t, y)};
     * a trigger exactly 0 takes the side the trajectory moves into under that side's branch
     * ({@code g_t + g_y·f} of the matching sign), the true side when both or neither do.
     */
    private boolean[] holdInitial(double t, double[] y, double[] p) {
        boolean[] sides = new boolean[switchEvent.length];
        boolean[] tie = new boolean[sides.length];
        for (int k = 0; k < sides.length; k++) {
            double g = triggerValue(events[switchEvent[k]], t, y, p);
            sides[k] = g >= 0;
            tie[k] = g == 0;
        }
        hold(sides);
        double[] f = new double[n];
        for (int k = 0; k < sides.length; k++) {
            if (!tie[k]) continue;
            Event e = events[switchEvent[k]];
            model.rhs(t, y, p, f);
            if (jumps.rate(e, t, y, p, f) > 0) continue;
            sides[k] = false;
            hold(sides);
            model.rhs(t, y, p, f);
            if (!(jumps.rate(e, t, y, p, f) < 0)) {
                sides[k] = true;
                hold(sides);
            }
        }
        return sides.clone();
    }

    /** After an update moved the state: switches whose trigger now has the other sign change side (a zero keeps it). */
    private void holdAfterJump(double t, double[] y, double[] p) {
        boolean[] sides = held.clone();
        for (int k = 0; k < sides.length; k++) {
            double g = triggerValue(events[switchEvent[k]], t, y, p);
            if (g != 0) sides[k] = g > 0;
        }
        if (!Arrays.equals(sides, held)) hold(sides);
    }

    /** Holds {@code sides} in the model (and its native replay) from now on. */
    void hold(boolean[] sides) {
        held = sides.clone();
        solver.holdBranches(held);
    }

    private double triggerValue(Event e, double t, double[] y, double[] p) {
        try {
            return e.trigger().value(t, y, p);
        } catch (RuntimeException ex) {
            throw eventFailure(e, "trigger threw " + ex, t, SolverException.Phase.FORWARD, ex);
        }
    }

    /** Whether the model has a stop event (an output at {@link Event#AT_STOP} is then allowed). */
    boolean hasStop() {
        for (Event e : events) if (e.stops()) return true;
        return false;
    }

    /** Switches root finding on (the normal case) or off (segments whose end is already known). */
    void rootFinding(boolean on) {
        if (rootEvent.length == 0 || on == armed) return;
        if (on) {
            solver.setup(CVodeRootInit(solver.mem, rootEvent.length, Glue.ROOT), "CVodeRootInit");
            solver.setup(CVodeSetRootDirection(solver.mem, rootDirection), "CVodeSetRootDirection");
            solver.setup(CVodeSetNoInactiveRootWarn(solver.mem), "CVodeSetNoInactiveRootWarn");
        } else {
            solver.setup(CVodeRootInit(solver.mem, 0, (CVRootFn) null), "CVodeRootInit");
        }
        armed = on;
    }

    /**
     * Integrates from {@code (t0, y0)} (loaded by {@code begin}, sensitivities initialised by the
     * caller) through every event to the output times.
     *
     * @param sensitive whether gradients are wanted (state events then check for tangential crossings)
     * @param keep      whether to keep each applied update for a backward pass
     */
    Trace run(double t0, double[] y0, double[] p, double[] times, Hooks hooks, boolean sensitive, boolean keep,
              SolverException.Phase phase) {
        rootFinding(true);
        lastRound = Double.NaN;
        stalled = 0;
        summed = null;
        Trace tr = new Trace(times.length);
        if (switchEvent != null) tr.heldAtStart = holdInitial(t0, y0, p);
        double[] y = y0.clone();
        double[] tret = new double[1];
        DoublePointer yData = N_VGetArrayPointer(solver.y);
        double t = t0;
        boolean fresh = true, stopTimeSet = false;
        double span = Math.max(1, Math.abs(t0));
        int chunks = 0;
        int si = 0;
        while (si < scheduledTime.length && scheduledTime[si] < t0) si++;
        if (si < scheduledTime.length && scheduledTime[si] == t0) si = scheduledRound(si, t, true, y, p, hooks, sensitive, keep, tr, phase);
        int k = 0;
        while (k < times.length && !tr.stopped) {
            if (times[k] == t) {
                tr.states[k] = y.clone();
                if (hooks != null) hooks.onOutput(k, t, fresh);
                k++;
                continue;
            }
            if (fresh && times[k] > t && times[k] - t < CvodesSolver.minFirstInterval(t, times[k])) {
                tr.states[k] = bridge(t, y, p, times[k]);
                if (hooks != null) hooks.onOutputNear(k, t, y, times[k], true);
                k++;
                continue;
            }
            double next = si < scheduledTime.length ? scheduledTime[si] : Double.POSITIVE_INFINITY;
            stopIsOutput = times[k] == Event.AT_STOP;
            double target = times[k];
            if (stopIsOutput) {
                // no end time to integrate to: chunks of doubling length until the stop fires
                if (++chunks > MAX_STOP_CHUNKS)
                    throw new SolverException("an output at Event.AT_STOP waits for a stop event, but none fired by t = " + t,
                            0, "NO_STOP_EVENT", "CVode", t, phase, "", null);
                target = t + span;
                span *= 2;
            }
            double tout = Math.min(target, next);
            if (next != Double.POSITIVE_INFINITY) {
                solver.setup(CVodeSetStopTime(solver.mem, next), "CVodeSetStopTime");
                stopTimeSet = true;
            } else if (stopTimeSet) {
                solver.setup(CVodeClearStopTime(solver.mem), "CVodeClearStopTime");
                stopTimeSet = false;
            }
            int flag = solver.advance(tout, tret);
            if (flag < 0) throw solver.failure(flag, "CVode", tret[0], phase);
            t = tret[0];
            yData.get(y);
            solver.checkFinite(y, "CVode", t, phase);
            fresh = false;
            if (flag == CV_ROOT_RETURN) {
                fresh = rootRound(t, y, p, hooks, sensitive, keep, tr, phase);
            } else if (t == next) {
                // CVODES returns at its stop time for an output within round-off before it: bridge back from τ⁻
                for (; k < times.length && times[k] < t; k++) {
                    tr.states[k] = bridge(t, y, p, times[k]);
                    if (hooks != null) hooks.onOutputNear(k, t, y, times[k], false);
                }
                si = scheduledRound(si, t, false, y, p, hooks, sensitive, keep, tr, phase);
                fresh = true;
            } else if (stopIsOutput) {
                continue; // the end of a chunk, not an output
            } else {
                tr.states[k] = y.clone();
                if (hooks != null) hooks.onOutput(k, t, false);
                k++;
            }
        }
        if (stopTimeSet) solver.setup(CVodeClearStopTime(solver.mem), "CVodeClearStopTime");
        if (tr.stopped) {
            tr.stopTime = t;
            if (k == times.length - 1 && times[k] == Event.AT_STOP) {
                tr.states[k] = y.clone(); // the round restarted CVODES at the stop: s holds S(τ) with its time term
                if (hooks != null) hooks.onOutput(k, t, true);
                k++;
            }
        }
        tr.reached = k;
        tr.statistics = total();
        return tr;
    }

    /**
     * The state at {@code tk}, a few ulps from {@code t}: past a (re)start at {@code t}, where CVODES
     * cannot start (the first step would be below its "too close" limit), or before a scheduled event
     * at {@code t} that CVODES returned at instead (its stop time lies within round-off of the output):
     * one Euler step {@code y + δ f(t, y)}, {@code δ = tk - t}, exact to {@code O(δ²)}, far below
     * round-off at a few ulps. The integration itself carries on from {@code t}.
     */
    double[] bridge(double t, double[] y, double[] p, double tk) {
        double[] f = new double[n], out = y.clone();
        model.rhs(t, y, p, f);
        for (int i = 0; i < n; i++) out[i] += (tk - t) * f[i];
        return out;
    }

    /** Counters of every segment so far plus the current one. */
    SolverStatistics total() {
        return SolverStatistics.sum(summed, solver.statistics());
    }

    private int scheduledRound(int si, double t, boolean fresh, double[] y, double[] p, Hooks hooks, boolean sensitive, boolean keep,
                               Trace tr, SolverException.Phase phase) {
        int end = si;
        while (end < scheduledTime.length && scheduledTime[end] == t) end++;
        int[] which = Arrays.copyOfRange(scheduledEvent, si, end);
        applyRound(t, fresh, which, new int[which.length], y, p, hooks, sensitive, keep, tr, phase);
        return end;
    }

    /** Returns whether the integrator was restarted at {@code t}. */
    private boolean rootRound(double t, double[] y, double[] p, Hooks hooks, boolean sensitive, boolean keep, Trace tr,
                              SolverException.Phase phase) {
        solver.setup(CVodeGetRootInfo(solver.mem, rootsFound), "CVodeGetRootInfo");
        int count = 0;
        for (int r = 0; r < rootEvent.length; r++) if (rootsFound[r] != 0) count++;
        int[] which = new int[count], dirs = new int[count];
        count = 0;
        for (int r = 0; r < rootEvent.length; r++) {
            if (rootsFound[r] == 0) continue;
            which[count] = rootEvent[r];
            dirs[count++] = rootsFound[r];
        }
        return applyRound(t, false, which, dirs, y, p, hooks, sensitive, keep, tr, phase);
    }

    /** Applies the events that fire at {@code t}, in list order; returns whether CVODES was restarted. */
    private boolean applyRound(double t, boolean fresh, int[] which, int[] dirs, double[] y, double[] p, Hooks hooks, boolean sensitive,
                               boolean keep, Trace tr, SolverException.Phase phase) {
        checkAdvancing(t, which, phase);
        boolean restart = false;
        double[] fMinus = new double[n], fPlus = new double[n];
        for (int j = 0; j < which.length; j++) {
            Event e = events[which[j]];
            tr.fired.add(new EventRecord(t, which[j], e.name(), dirs[j]));
            if (e.stops()) {
                tr.stopped = true;
                if (stopIsOutput && (hooks != null || keep)) {
                    if (!restart) beginRestart(t, fresh, hooks);
                    restart = true;
                    stopJump(e, which[j], t, y, p, fMinus, fPlus, hooks, sensitive, keep, tr, phase);
                }
                break;
            }
            if (e.update() == null && !e.isSwitch()) continue; // a root report: the trajectory goes on untouched
            if (!restart) {
                beginRestart(t, fresh, hooks);
                restart = true;
            }
            boolean sides = hooks != null || keep; // the right-hand sides on both sides are wanted
            boolean unheld = e.isSwitch() && e.branch() < 0; // a switch the model decides itself
            double[] yMinus = y.clone(), yPlus = e.isSwitch() ? y.clone() : new double[n];
            if (sides && !unheld) model.rhs(t, yMinus, p, fMinus); // f⁻ under the branches held so far
            try {
                if (!e.isSwitch()) e.update().apply(t, yMinus, p, yPlus);
            } catch (RuntimeException ex) {
                throw eventFailure(e, "update threw " + ex, t, phase, ex);
            }
            for (int i = 0; i < n; i++)
                if (!Double.isFinite(yPlus[i]))
                    throw eventFailure(e, "update returned y[" + i + "] = " + yPlus[i], t, phase, null);
            if (held != null) {
                if (e.branch() >= 0) {
                    // the crossing's direction names the new side (CVODES' root already lies on it, or at 0)
                    boolean[] flipped = held.clone();
                    flipped[e.branch()] = dirs[j] > 0;
                    hold(flipped);
                } else if (!e.isSwitch()) {
                    holdAfterJump(t, yPlus, p);
                }
            }
            if (sides) {
                if (unheld) switchSides(e, t, yMinus, p, fMinus, fPlus);
                else model.rhs(t, yPlus, p, fPlus);
                jumped(e, which[j], t, yMinus, yPlus, p, fMinus, fPlus, hooks, sensitive, keep, tr, phase);
            }
            System.arraycopy(yPlus, 0, y, 0, n);
        }
        if (restart) {
            N_VGetArrayPointer(solver.y).put(y);
            int flag = CVodeReInit(solver.mem, t, solver.y);
            if (flag < 0) throw solver.failure(flag, "CVodeReInit", t, phase);
            if (quadrature != null) solver.setup(CVodeQuadReInit(solver.mem, quadrature), "CVodeQuadReInit");
            if (hooks != null) hooks.afterRestart(t);
        }
        return restart;
    }

    /** Before the first update of a round: counters summed, the quadrature and (through the hooks) sensitivities read at {@code t⁻}. */
    private void beginRestart(double t, boolean fresh, Hooks hooks) {
        summed = SolverStatistics.sum(summed, solver.statistics());
        // fresh: nothing integrated since the last (re)start, whose values the vectors still hold
        if (quadrature != null && !fresh) solver.setup(CVodeGetQuad(solver.mem, new double[1], quadrature), "CVodeGetQuad");
        if (hooks != null) hooks.beforeRound(t, fresh);
    }

    /**
     * A stop that makes the output at {@link Event#AT_STOP}: an event with {@code h = id} after which
     * nothing moves ({@code f⁺ = 0}, {@code q⁺ = 0}), so that {@code y(τ)} carries its time term
     * {@code f⁻ dτ/dθ} ({@link EventJumps}); kept for the adjoint like an update.
     */
    private void stopJump(Event e, int index, double t, double[] y, double[] p, double[] fMinus, double[] fPlus, Hooks hooks,
                          boolean sensitive, boolean keep, Trace tr, SolverException.Phase phase) {
        model.rhs(t, y, p, fMinus);
        Arrays.fill(fPlus, 0.0);
        // copies: y itself goes on to the stop output
        jumped(e, index, t, y.clone(), y.clone(), p, fMinus, fPlus, hooks, sensitive, keep, tr, phase);
    }

    /**
     * The end of every jump whose sides are known (an update, a switch, a stop): the trigger's rate
     * {@code D}, checked for a tangential crossing when sensitivities ride along (a scheduled event has
     * none); the hooks told; the jump kept for the adjoint. {@code yMinus} and {@code yPlus} are kept
     * as they are, the right-hand sides are copied.
     */
    private void jumped(Event e, int index, double t, double[] yMinus, double[] yPlus, double[] p, double[] fMinus, double[] fPlus,
                        Hooks hooks, boolean sensitive, boolean keep, Trace tr, SolverException.Phase phase) {
        double d = jumps.rate(e, t, yMinus, p, fMinus);
        if (sensitive && e.kind() == Event.Kind.ROOT) checkCrossing(e, t, d, p, phase);
        if (hooks != null) hooks.onEvent(e, t, yMinus, yPlus, fMinus, fPlus, d, jumps.integrandJump(e, t, yMinus, yPlus, p));
        if (keep) tr.applied.add(new Applied(t, index, yMinus, yPlus, fMinus.clone(), fPlus.clone(), held == null ? null : held.clone()));
    }

    /** Stops a solve whose events keep firing while time stands still (e.g. an update that re-triggers itself). */
    private void checkAdvancing(double t, int[] which, SolverException.Phase phase) {
        if (!Double.isNaN(lastRound) && t - lastRound <= 1000 * Math.ulp(Math.max(1.0, Math.abs(t)))) {
            if (++stalled >= MAX_STALLED_ROUNDS) {
                String names = which.length == 0 ? "?" : events[which[0]].name();
                throw new SolverException("events fired " + stalled + " times in a row without time advancing, at t = " + t
                        + " (last: '" + names + "'): an event's update re-triggers events at once (Zeno behaviour)",
                        0, "EVENTS_NOT_ADVANCING", "event '" + names + "'", t, phase, "", null);
            }
        } else {
            stalled = 0;
        }
        lastRound = t;
    }

    /**
     * A state event's time is differentiable only where its trigger crosses zero at a nonzero rate
     * {@code D}. The rate is judged against the trigger's mean rate over the step that found the
     * root, which makes the test independent of units: a crossing far slower than its step's
     * average is tangential (the event time's sensitivity would be ruled by round-off).
     */
    private void checkCrossing(Event e, double t, double d, double[] p, SolverException.Phase phase) {
        double secant = Double.NaN;
        if (d != 0 && Double.isFinite(d)) {
            double[] tn = new double[1], hu = new double[1];
            solver.setup(CVodeGetCurrentTime(solver.mem, tn), "CVodeGetCurrentTime");
            solver.setup(CVodeGetLastStep(solver.mem, hu), "CVodeGetLastStep");
            if (hu[0] == 0) return;
            secant = (triggerAt(e, tn[0], p) - triggerAt(e, tn[0] - hu[0], p)) / hu[0];
            if (Math.abs(d) >= TANGENTIAL_RATIO * Math.abs(secant)) return;
        }
        throw new SolverException("event '" + e.name() + "' crossed tangentially at t = " + t + ": its trigger's rate there is "
                + "g_t + g_y·f = " + d + " (mean rate over the step " + secant + "), so the event time has no usable "
                + "derivative", 0, "TANGENTIAL_CROSSING", "event '" + e.name() + "'", t, SolverException.Phase.SENSITIVITY, "", null);
    }

    private double triggerAt(Event e, double t, double[] p) {
        return e.trigger().value(t, stateAt(t), p);
    }

    /** The state at {@code t} within CVODES' last step, from its interpolant. */
    private double[] stateAt(double t) {
        if (probe == null) probe = solver.owner.own(N_VNew_Serial(n, solver.ctx), v -> N_VDestroy(v));
        solver.setup(CVodeGetDky(solver.mem, t, 0, probe), "CVodeGetDky");
        double[] y = new double[n];
        N_VGetArrayPointer(probe).get(y);
        return y;
    }

    /**
     * For a switch whose branch the model does not hold (a hand-written {@link Event#switching(String,
     * EventFunction)}): the right-hand sides on the two sides of a switch at the located root {@code t}: the state is
     * continuous, the branch is not. CVODES returns the root on the far side (the trigger has
     * changed sign, or is 0), so {@code f⁺ = f(t, y)}; {@code f⁻} is evaluated a little before, at
     * the smallest offset {@code δ} (from 1e-12 relative, by factors of 10) where the trigger still
     * has its old sign, on CVODES' interpolant, or at the start of the step that found the root
     * (CVODES often reaches a switch with a tiny step): an error of order {@code δ·|f'|}. A trigger
     * exactly 0 at the root takes {@code f⁺} a little after in the same way, at most at the step's end.
     */
    private void switchSides(Event e, double t, double[] y, double[] p, double[] fMinus, double[] fPlus) {
        double[] tn = new double[1], hu = new double[1];
        solver.setup(CVodeGetCurrentTime(solver.mem, tn), "CVodeGetCurrentTime");
        solver.setup(CVodeGetLastStep(solver.mem, hu), "CVodeGetLastStep");
        double start = tn[0] - hu[0]; // the interpolant covers [start, tn]; the root lies inside
        double g = e.trigger().value(t, y, p);
        double before = start, after = Double.NaN;
        for (double d = 1e-12 * Math.max(1, Math.abs(t)); t - d > start; d *= 10) {
            double gm = triggerAt(e, t - d, p);
            if (gm != 0 && (g == 0 || Math.signum(gm) != Math.signum(g))) {
                before = t - d;
                break;
            }
        }
        if (g == 0) {
            after = tn[0] > t ? tn[0] : Double.NaN; // the end of the step lies past the root
            double gm = triggerAt(e, before, p);
            for (double d = 1e-12 * Math.max(1, Math.abs(t)); t + d <= tn[0]; d *= 10) {
                double gp = triggerAt(e, t + d, p);
                if (gp != 0 && Math.signum(gp) != Math.signum(gm)) {
                    after = t + d;
                    break;
                }
            }
        }
        model.rhs(before, stateAt(before), p, fMinus);
        if (Double.isNaN(after)) model.rhs(t, y, p, fPlus);
        else model.rhs(after, stateAt(after), p, fPlus);
    }

    private static CallbackException eventFailure(Event e, String what, double t, SolverException.Phase phase, Throwable cause) {
        return new CallbackException("event '" + e.name() + "': " + what + " at t = " + t, 0, "EVENT_FAILED",
                "event '" + e.name() + "'", t, phase, "", cause);
    }
}
