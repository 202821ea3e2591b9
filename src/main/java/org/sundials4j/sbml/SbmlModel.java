package org.sundials4j.sbml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.sbml.ModelStructure.Symbol;
import org.sundials4j.tape.TapeFunction;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * An imported SBML model, compiled to the AD tape: its right-hand side, Jacobian (with sparsity),
 * JVP and VJP all come from one recording ({@link #odeModel()}), as do the initial values (the
 * initial assignments, differentiable in the declared values) and the reported variables.
 *
 * <p>Inputs are the model's <em>declared values</em> ({@link #declaredIds()}): every global parameter,
 * compartment size, species initial amount or concentration (as written in the file), species
 * reference stoichiometry and local parameter ({@code reaction.id}). Any of them can be a sensitivity
 * parameter in {@link #lossGradient}. Not thread-safe: use one instance per thread (import is cheap).
 */
public final class SbmlModel {
    private final ModelStructure m;
    private final double[] declared;
    private TapeFunction init;
    private TapeOdeModel ode;

    SbmlModel(ModelStructure m) {
        this.m = m;
        this.declared = m.declaredValues();
    }

    /** The model's id (empty when the file gives none). */
    public String id() {
        return m.modelId;
    }

    /** Ids of the declared values, in the order of {@link #declaredValues()}; local parameters as {@code reaction.id}. */
    public List<String> declaredIds() {
        List<String> ids = new ArrayList<>();
        for (Symbol s : m.declared) ids.add(s.qualifiedId());
        return ids;
    }

    /** The declared values as written in the file (NaN where the file sets none). */
    public double[] declaredValues() {
        return declared.clone();
    }

    /** Index of a declared id in {@link #declaredValues()}; throws naming the id when it is unknown. */
    public int declaredIndex(String qualifiedId) {
        for (Symbol s : m.declared) if (s.qualifiedId().equals(qualifiedId)) return s.declaredIndex;
        throw new IllegalArgumentException("'" + qualifiedId + "' is not a parameter, compartment, species, "
                + "species reference or local parameter (reaction.id) of model '" + m.modelId + "'");
    }

    /** Ids of the global parameters (the usual sensitivity parameters). */
    public List<String> parameterIds() {
        List<String> ids = new ArrayList<>();
        for (Symbol s : m.globals.values()) if (s.kind == ModelStructure.Kind.PARAMETER) ids.add(s.id);
        return ids;
    }

    /** Ids of the integrated states, in state order (species changed by reactions hold amounts). */
    public List<String> stateIds() {
        List<String> ids = new ArrayList<>();
        for (Symbol s : m.states) ids.add(s.id);
        return ids;
    }

    /** Every species, reported as SBML math sees it (concentration unless hasOnlySubstanceUnits). */
    public List<Variable> defaultVariables() {
        List<Variable> v = new ArrayList<>();
        for (Symbol s : m.globals.values()) if (s.isSpecies()) v.add(Variable.value(s.id));
        return v;
    }

    /** Checks that every variable names something reportable. */
    public void checkVariables(List<Variable> variables) {
        for (Variable v : variables) {
            Symbol s = m.globals.get(v.id());
            if (s == null && !m.reactions.containsKey(v.id()))
                throw new IllegalArgumentException("variable '" + v.id() + "' is not an id of model '" + m.modelId + "'");
        }
    }

    // ------------------------------------------------------------------ the tapes

    /** {@code [y0, q] = init(t0, p)}. */
    private TapeFunction init() {
        if (init == null) {
            double[] x0 = new double[1 + declared.length];
            System.arraycopy(declared, 0, x0, 1, declared.length);
            init = TapeFunction.record(x0.length, (tape, x) -> {
                Evaluator e = new Evaluator(m, tape, Evaluator.Mode.INITIAL, x.get(0), x.slice(1, declared.length), null);
                List<Var> out = new ArrayList<>();
                for (Symbol s : m.states) out.add(e.slotValue(s));
                for (Symbol s : m.constants) out.add(e.slotValue(s));
                if (out.isEmpty()) out.add(tape.constant(0)); // a model with no quantity at all
                return out.toArray(new Var[0]);
            }, x0);
        }
        return init;
    }

    /** The initial states and the constants at {@code t0} for declared values {@code p}. */
    private double[][] initialize(double t0, double[] p) {
        checkDeclared(p);
        double[] x = new double[1 + p.length];
        x[0] = t0;
        System.arraycopy(p, 0, x, 1, p.length);
        double[] out = new double[init().outputCount()];
        init().value(x, out);
        int n = m.states.size();
        double[] y0 = java.util.Arrays.copyOfRange(out, 0, n);
        double[] q = java.util.Arrays.copyOfRange(out, n, n + m.constants.size());
        for (int i = 0; i < n; i++)
            if (!Double.isFinite(y0[i])) {
                Symbol s = m.states.get(i);
                throw new SbmlException(s.kind.name().toLowerCase(), s.id, "its initial value is " + y0[i]
                        + (s.declaredSet || s.initial != null ? "" : " (the file sets no value and no initial assignment)"));
            }
        return new double[][] {y0, q};
    }

    private void checkDeclared(double[] p) {
        if (p == null || p.length != declared.length)
            throw new IllegalArgumentException("declared values: expected " + declared.length + " entries, got "
                    + (p == null ? "null" : p.length));
    }

    /**
     * The right-hand side on the tape: states {@link #stateIds()}, parameters the integration
     * constants (null when the model has no state: its variables are then functions of time alone).
     */
    public TapeOdeModel odeModel() {
        if (ode == null && !m.states.isEmpty()) ode = record(m.states.size());
        return ode;
    }

    /** The right-hand side over {@code size >= n} states; the states past the model's (the events' own) do not move. */
    private TapeOdeModel record(int size) {
        double[][] yq = initialize(0, declared);
        int n = m.states.size();
        return TapeOdeModel.record(size, m.constants.size(), (tape, t, y, q) -> {
            Evaluator e = new Evaluator(m, tape, Evaluator.Mode.DYNAMIC, t, q, y);
            Var[] ydot = new Var[size];
            for (int i = 0; i < n; i++) ydot[i] = e.derivative(m.states.get(i));
            for (int i = n; i < size; i++) ydot[i] = tape.constant(0);
            return ydot;
        }, 0, java.util.Arrays.copyOf(yq[0], size), yq[1]);
    }

    // ------------------------------------------------------------------ events

    /** Pending executions per delayed event the first solve allows; doubled (and the solve rerun) when one needs more. */
    static final int INITIAL_SLOTS = 2;
    /** The most pending executions of one delayed event a solve allows. */
    static final int MAX_SLOTS = 1024;
    private SbmlEvents events;
    private TapeOdeModel eventOde;

    /**
     * Runs {@code solve} with the current event layout; while a delayed event has more executions
     * pending than the layout has slots, doubles them and runs it again. An {@link SbmlException}
     * from an event (a negative delay, a cascade without end) is rethrown as itself.
     */
    private <T> T withEvents(java.util.function.Function<SbmlEvents, T> solve) {
        if (events == null) events = new SbmlEvents(m, INITIAL_SLOTS);
        while (true) {
            try {
                return solve.apply(events);
            } catch (RuntimeException ex) {
                SbmlEvents.SlotsExhausted full = null;
                for (Throwable c = ex; c != null && full == null; c = c.getCause()) {
                    if (c instanceof SbmlEvents.SlotsExhausted s) full = s;
                    else if (c instanceof SbmlException s) throw s; // the model's own fault, named by element and id
                }
                if (full == null) throw ex;
                if (events.slots >= MAX_SLOTS)
                    throw new SbmlException("event", full.event, full.getMessage() + ": more than this implementation keeps", ex);
                events = new SbmlEvents(m, events.slots * 2);
                eventOde = null;
            }
        }
    }

    /** The right-hand side with the model's events ({@link SbmlEvents}), for a solve from {@code t0}; null without states. */
    private DifferentiableOdeModel dynamics(SbmlEvents ev, double t0) {
        if (m.states.isEmpty() || !ev.any()) return odeModel();
        if (eventOde == null) eventOde = record(ev.size);
        return EventModel.of(eventOde, ev.events(t0, eventOde));
    }

    /** The reported variables as a tape function of {@code [t, y, q]}. */
    private TapeFunction outputs(List<Variable> variables, double t0, double[] y0, double[] q) {
        int n = y0.length;
        double[] x0 = new double[1 + n + q.length];
        x0[0] = t0;
        System.arraycopy(y0, 0, x0, 1, n);
        System.arraycopy(q, 0, x0, 1 + n, q.length);
        return TapeFunction.record(x0.length, (tape, x) -> {
            Evaluator e = new Evaluator(m, tape, Evaluator.Mode.DYNAMIC, x.get(0), x.slice(1 + n, q.length), x.slice(1, n));
            return reported(e, variables).toArray(new Var[0]);
        }, x0);
    }

    private List<Var> reported(Evaluator e, List<Variable> variables) {
        List<Var> out = new ArrayList<>();
        for (Variable v : variables) {
            Symbol s = m.globals.get(v.id());
            // amount and concentration are species notions; anything else reports its value
            out.add(s == null || !s.isSpecies() ? e.value(v.id()) : switch (v.quantity()) {
                case VALUE -> e.value(v.id());
                case AMOUNT -> e.amount(s);
                case CONCENTRATION -> e.concentration(s);
            });
        }
        return out;
    }

    // ------------------------------------------------------------------ simulation

    /** Output times {@code start + k·duration/steps}, {@code k = 0..steps}. */
    public static double[] uniformTimes(double start, double duration, int steps) {
        if (steps < 1) throw new IllegalArgumentException("steps = " + steps + " must be at least 1");
        if (!(duration > 0) || !Double.isFinite(duration))
            throw new IllegalArgumentException("duration = " + duration + " must be positive and finite");
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) t[k] = start + duration * k / steps;
        return t;
    }

    /** Simulates at the declared values from {@code times[0]}. */
    public TimeCourse simulate(double[] times, List<Variable> variables, SolverOptions options) {
        return simulate(times, declared, variables, options);
    }

    /** Simulates at the declared values from {@code times[0]}, telling {@code listener} (null: none) the progress. */
    public TimeCourse simulate(double[] times, List<Variable> variables, SolverOptions options,
                               org.sundials4j.ode.SolveListener listener) {
        return simulate(times, declared, variables, options, listener);
    }

    /** Simulates with declared values {@code p} from {@code times[0]} and reports {@code variables} at {@code times}. */
    public TimeCourse simulate(double[] times, double[] p, List<Variable> variables, SolverOptions options) {
        return simulate(times, p, variables, options, null);
    }

    /** {@link #simulate(double[], double[], List, SolverOptions)}, telling {@code listener} (null: none) the progress. */
    public TimeCourse simulate(double[] times, double[] p, List<Variable> variables, SolverOptions options,
                               org.sundials4j.ode.SolveListener listener) {
        checkVariables(variables);
        double t0 = times[0];
        double[][] yq = initialize(t0, p);
        double[][] states;
        org.sundials4j.ode.SolverStatistics stats = null;
        List<org.sundials4j.ode.EventRecord> fired = List.of();
        if (m.states.isEmpty()) {
            states = new double[times.length][0];
        } else {
            Solution s = withEvents(ev -> {
                try (CvodesSolver solver = new CvodesSolver(dynamics(ev, t0), options)) {
                    if (listener != null) solver.setListener(listener);
                    return solver.solve(t0, ev.extend(yq[0]), yq[1], times);
                }
            });
            states = s.states();
            for (int k = 0; k < states.length; k++) states[k] = java.util.Arrays.copyOf(states[k], m.states.size());
            stats = s.statistics();
            fired = s.events();
        }
        double[][] values = new double[times.length][variables.size()];
        if (!variables.isEmpty()) {
            TapeFunction out = outputs(variables, t0, yq[0], yq[1]);
            int n = m.states.size();
            double[] x = new double[1 + n + yq[1].length];
            System.arraycopy(yq[1], 0, x, 1 + n, yq[1].length);
            for (int k = 0; k < times.length; k++) {
                x[0] = times[k];
                System.arraycopy(states[k], 0, x, 1, n);
                out.value(x, values[k]);
            }
        }
        return new TimeCourse(times.clone(), Collections.unmodifiableList(new ArrayList<>(variables)), values, stats, fired);
    }

    // ------------------------------------------------------------------ gradients

    /**
     * {@code L = Σ_k Σ_j (v_j(t_k) - data[k][j])²} over the reported {@code variables} (NaN data are
     * skipped) and {@code dL/dθ} for the declared ids {@code wrt}, through {@link GradientSolver} with
     * {@code sens}'s method (its parameter and initial-state selections are set here). The chain rule
     * through the initial assignments is exact: {@code dL/dθ = dL/dy0 · ∂y0/∂θ + dL/dq · ∂q/∂θ}.
     */
    public LossGradient lossGradient(double[] times, double[] p, List<Variable> variables, double[][] data,
                                     List<String> wrt, SolverOptions options, SensitivityOptions sens) {
        return lossGradient(times[0], times, p, variables, data, wrt, options, sens);
    }

    /** {@link #lossGradient(double[], double[], List, double[][], List, SolverOptions, SensitivityOptions)} from {@code t0 <= times[0]}. */
    public LossGradient lossGradient(double t0, double[] times, double[] p, List<Variable> variables, double[][] data,
                                     List<String> wrt, SolverOptions options, SensitivityOptions sens) {
        checkVariables(variables);
        if (data.length != times.length)
            throw new IllegalArgumentException("data has " + data.length + " rows for " + times.length + " output times");
        for (int k = 0; k < data.length; k++)
            if (data[k].length != variables.size())
                throw new IllegalArgumentException("data row " + k + " has " + data[k].length + " values for "
                        + variables.size() + " variables");
        int[] theta = new int[wrt.size()];
        for (int j = 0; j < theta.length; j++) theta[j] = declaredIndex(wrt.get(j));
        double[][] yq = initialize(t0, p);
        int n = m.states.size(), nq = m.constants.size();
        double[][] jac = initJacobian(t0, p, theta); // (n + nq) × |θ|
        List<Integer> ySel = new ArrayList<>(), qSel = new ArrayList<>();
        for (int i = 0; i < n + nq; i++) {
            boolean used = false;
            for (double d : jac[i]) used |= d != 0;
            if (used) (i < n ? ySel : qSel).add(i < n ? i : i - n);
        }
        TapeLoss loss = TapeLoss.of((tape, ts, ys, qv) -> {
            Var sum = tape.constant(0);
            for (int k = 0; k < ts.length; k++) {
                Evaluator e = new Evaluator(m, tape, Evaluator.Mode.DYNAMIC, tape.constant(ts[k]), qv, ys[k]);
                List<Var> v = reported(e, variables);
                for (int j = 0; j < v.size(); j++)
                    if (!Double.isNaN(data[k][j])) sum = sum.plus(v.get(j).minus(data[k][j]).square());
            }
            return sum;
        });
        double[] dY = new double[n], dQ = new double[nq];
        double value;
        Gradient g = null;
        if (n == 0) {
            double[][] states = new double[times.length][0], dStates = new double[times.length][0];
            value = loss.evaluate(times, states, yq[1], dStates, dQ);
        } else {
            SensitivityOptions s = sens.withParameters(qSel.stream().mapToInt(Integer::intValue).toArray())
                    .withInitialStates(ySel.stream().mapToInt(Integer::intValue).toArray());
            g = withEvents(ev -> {
                try (GradientSolver gs = new GradientSolver(dynamics(ev, t0), loss, null, options, s)) {
                    return gs.gradient(t0, ev.extend(yq[0]), yq[1], times);
                }
            });
            value = g.loss();
            double[] gp = g.params(), gy = g.initialState();
            int[] pi = g.parameterIndices(), yi = g.initialStateIndices();
            for (int i = 0; i < pi.length; i++) dQ[pi[i]] = gp[i];
            for (int i = 0; i < yi.length; i++) dY[yi[i]] = gy[i];
        }
        double[] grad = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            double acc = 0;
            for (int i = 0; i < n; i++) acc += dY[i] * jac[i][j];
            for (int i = 0; i < nq; i++) acc += dQ[i] * jac[n + i][j];
            grad[j] = acc;
        }
        return new LossGradient(value, List.copyOf(wrt), grad, g);
    }

    /** {@code ∂[y0, q]/∂p_θ} by one tangent sweep per chosen declared value. */
    private double[][] initJacobian(double t0, double[] p, int[] theta) {
        int rows = m.states.size() + m.constants.size();
        double[][] jac = new double[rows][theta.length];
        double[] x = new double[1 + p.length];
        x[0] = t0;
        System.arraycopy(p, 0, x, 1, p.length);
        double[] v = new double[x.length], out = new double[init().outputCount()];
        for (int j = 0; j < theta.length; j++) {
            java.util.Arrays.fill(v, 0);
            v[1 + theta[j]] = 1;
            init().jvp(x, v, out);
            for (int i = 0; i < rows; i++) jac[i][j] = out[i];
        }
        return jac;
    }
}
