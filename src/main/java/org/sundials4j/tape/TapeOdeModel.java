package org.sundials4j.tape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventFunction;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.JacobianWriter;
import org.sundials4j.ode.ReplayProgram;
import org.sundials4j.ode.SparsityPattern;

/**
 * An ODE right-hand side recorded once on a tape and replayed for everything the solver needs:
 * {@link #rhs}, {@link #jvp}, {@link #vjp}, the Jacobian (dense {@link #jacobian}/{@link #jacobianDense},
 * banded {@link #jacobianBand}, sparse {@link #jacobianCsc}) and its {@link #sparsity()} pattern.
 *
 * <pre>{@code
 * TapeOdeModel model = TapeOdeModel.record(3, 3, (tape, t, y, p) -> new Var[] {
 *         p.get(0).neg().times(y.get(0)).plus(p.get(1).times(y.get(1)).times(y.get(2))), ...},
 *     0.0, y0, p);
 * }</pre>
 *
 * <p>Input layout of the tape: slot 0 is {@code t}, slots {@code 1..n} are {@code y}, then the
 * parameters (the passive inputs). Jacobians are {@code ∂f/∂y} only.
 *
 * <p><b>Threads.</b> The recorded program, the pattern and its colouring are immutable and shared;
 * the work arrays are not. {@link #forSolver()} returns a copy with its own work arrays (and its own
 * re-recordings), so each solver uses its own copy; an instance itself is not thread-safe. A copy's
 * switching {@link #events()} are its solver's as they are (they share one replay per point), so
 * they are not for another solver.
 *
 * <p><b>Guards.</b> {@link #sparsity()} is the pattern of the first recording. If a guard flips and the
 * re-recorded program has a structural nonzero outside it, {@link #jacobian} and {@link #jacobianDense}
 * still work (they use the union), but {@link #jacobianCsc} and {@link #jacobianBand}, whose storage was
 * sized from the reported pattern, throw {@link IllegalStateException}. Write such branches with
 * {@link Condition#select} to keep one pattern.
 */
public final class TapeOdeModel implements DifferentiableOdeModel, ReplayProgram.Source {
    private final int n;
    private final int np;
    private final OdeDefinition definition;
    private final SharedStructure shared;
    private final TapeEvaluator ev;
    /** Structure valid for {@code ev.program}: the reported one unless a re-recording grew it; null until needed. */
    private JacobianStructure current;
    private Program currentFor;
    private double[] csc;
    private ReplayProgram replay;
    private Program replayFor;
    /** Made by {@link #forSolver()}: its switching events belong to that one solver. */
    private final boolean solverCopy;
    /** This instance's switching events, made on first request (volatile: solvers on other threads may ask). */
    private volatile List<Event> switches;

    private TapeOdeModel(int n, int np, OdeDefinition definition, TapeEvaluator ev, SharedStructure shared, boolean solverCopy) {
        this.n = n;
        this.np = np;
        this.definition = definition;
        this.ev = ev;
        this.shared = shared;
        this.solverCopy = solverCopy;
    }

    /**
     * The pattern of the first recording and its colouring, analysed on first use (a model used only
     * for {@code rhs}/{@code vjp} never pays for it) and then shared by all copies.
     */
    private static final class SharedStructure {
        private final Program first;
        private final int n;
        private volatile JacobianStructure structure;
        private volatile SparsityPattern pattern;

        SharedStructure(Program first, int n) {
            this.first = first;
            this.n = n;
        }

        /** Double-checked: solver threads read the volatile field without locking after the first call. */
        JacobianStructure structure() {
            JacobianStructure s = structure;
            if (s != null) return s;
            synchronized (this) {
                if (structure == null) {
                    JacobianStructure fresh = structureOf(first, n);
                    pattern = SparsityPattern.ofCsc(n, fresh.colStart, fresh.rowIndex);
                    structure = fresh;
                }
                return structure;
            }
        }

        SparsityPattern pattern() {
            structure();
            return pattern;
        }
    }

    /**
     * Records {@code definition} at {@code (t0, y0, p0)} (the point matters only for guarded branches)
     * and analyses its Jacobian pattern.
     *
     * @param stateCount     n, the length of {@code y}
     * @param parameterCount the length of {@code p} (may be 0, then {@code p0} may be null)
     */
    public static TapeOdeModel record(int stateCount, int parameterCount, OdeDefinition definition,
                                      double t0, double[] y0, double[] p0) {
        Checks.positive(stateCount, "stateCount");
        Checks.nonNegative(parameterCount, "parameterCount");
        if (definition == null) throw new IllegalArgumentException("definition is null");
        Checks.length(y0, "y0", stateCount);
        if (parameterCount > 0 || p0 != null) Checks.length(p0, "p0", parameterCount);
        TapeEvaluator.Recorder recorder = inputs -> recordAt(stateCount, parameterCount, definition, inputs);
        double[] inputs = new double[1 + stateCount + parameterCount];
        inputs[0] = t0;
        System.arraycopy(y0, 0, inputs, 1, stateCount);
        if (parameterCount > 0) System.arraycopy(p0, 0, inputs, 1 + stateCount, parameterCount);
        Program program = recorder.record(inputs);
        return new TapeOdeModel(stateCount, parameterCount, definition, new TapeEvaluator(recorder, program),
                new SharedStructure(program, stateCount), false);
    }

    private static Program recordAt(int n, int np, OdeDefinition definition, double[] inputs) {
        Tape tape = new Tape(inputs, 1 + n, 1 + n + np);
        Var[] out = definition.rhs(tape, new Var(tape, 0), new VarVector(tape, 1, n), new VarVector(tape, 1 + n, np));
        if (out == null || out.length != n)
            throw new IllegalArgumentException("the definition returned " + (out == null ? "null" : out.length + " values")
                    + ", expected stateCount = " + n);
        return tape.finish(out, 1 + n, 1 + n + np);
    }

    private static JacobianStructure structureOf(Program program, int n) {
        return new JacobianStructure(SparsityAnalysis.outputDependencies(program, 1, n), n);
    }

    @Override
    public int stateCount() {
        return n;
    }

    @Override
    public int parameterCount() {
        return np;
    }

    /** Instructions in the current recording. */
    public int instructionCount() {
        return ev.program.instructionCount;
    }

    /** How often this instance re-recorded because a guard flipped. */
    public int rerecordCount() {
        return ev.rerecordCount();
    }

    /**
     * Linearising sweeps (values plus local partials) this instance ran for {@link #jvp}, {@link #vjp}
     * and the Jacobians; calls at the inputs of the previous linearisation reuse it and are not counted.
     */
    public long linearizations() {
        return ev.linearizationCount();
    }

    /** Tangent or reverse sweeps one Jacobian costs (the number of colours). */
    public int jacobianSweeps() {
        return current == null ? shared.structure().sweeps() : current.sweeps();
    }

    /**
     * A piecewise right-hand side's switches as events: every distinct comparison the recording
     * made for a {@link Condition#select} (both branches on the tape) becomes a switching event
     * ({@link Event#switching(String, EventFunction, int)}) whose trigger is {@code lhs - rhs}. The
     * solver holds each select's branch fixed between switches ({@link #holdBranches}), CVODES finds
     * where a trigger crosses zero, the integrator restarts there with the branch flipped, and
     * sensitivities get the jump {@code (f⁻ - f⁺) dτ/dθ}. Empty for a model without selects. Guarded comparisons
     * ({@link Var#gt} and friends) are not switches: a flipped guard re-records the model instead.
     */
    @Override
    public List<Event> events() {
        List<Event> e = switches;
        if (e == null) {
            int m = shared.first.switchCount; // the first recording's selects, made at these inputs
            SwitchingFunctions all = m == 0 ? null : new SwitchingFunctions(Arrays.copyOf(shared.first.template, 1 + n + np));
            List<Event> list = new ArrayList<>();
            for (int k = 0; k < m; k++) list.add(Event.switching("switch " + k, new Switch(k, all), k));
            e = switches = List.copyOf(list);
        }
        return e;
    }

    /**
     * Every switching function of the recording from one replay per point: CVODES asks for all the
     * triggers at the same {@code (t, y, p)} in a row, so the switches of one instance share this and
     * the first of them replays (bit for bit the values each would get from a replay of its own).
     */
    private final class SwitchingFunctions {
        private final double[] x0, x, replayedAt;
        private boolean current;
        private TapeFunction all;
        private double[] values, seed;

        SwitchingFunctions(double[] x0) {
            this.x0 = x0;
            this.x = new double[x0.length];
            this.replayedAt = new double[x0.length];
        }

        private TapeFunction at(int k, double t, double[] y, double[] p) {
            x[0] = t;
            System.arraycopy(y, 0, x, 1, n);
            if (np > 0) System.arraycopy(p, 0, x, 1 + n, np);
            if (all == null) {
                all = TapeFunction.record(x0.length, (tape, in) -> {
                    definition.rhs(tape, in.get(0), in.slice(1, n), in.slice(1 + n, np));
                    return tape.switchingFunctions();
                }, x0);
                values = new double[all.outputCount()];
                seed = new double[all.outputCount()];
            }
            if (k >= values.length)
                throw new IllegalStateException("the model's recording now has " + values.length + " comparisons, fewer than "
                        + "its first (" + (k + 1) + "+): write branches that change the set of switches with Condition.select");
            return all;
        }

        /** Switching function {@code k} at {@code (t, y, p)}, replaying only at a point other than the last one's. */
        double value(int k, double t, double[] y, double[] p) {
            TapeFunction f = at(k, t, y, p);
            // Arrays.equals compares bit patterns (NaN = NaN, -0.0 ≠ 0.0): equal inputs, equal outputs
            if (!current || !Arrays.equals(x, replayedAt)) {
                f.value(x, values);
                System.arraycopy(x, 0, replayedAt, 0, x.length);
                current = true;
            }
            return values[k];
        }

        double gradient(int k, double t, double[] y, double[] p, double[] grad) {
            TapeFunction f = at(k, t, y, p);
            current = false; // the reverse sweep rewrites values
            seed[k] = 1;
            try {
                f.vjp(x, seed, grad, values);
            } finally {
                seed[k] = 0;
            }
            return values[k];
        }
    }

    /** Switching function {@code k} of the recording, as an event trigger. */
    private final class Switch implements EventFunction {
        private final int k;
        private final SwitchingFunctions all;

        Switch(int k, SwitchingFunctions all) {
            this.k = k;
            this.all = all;
        }

        @Override
        public double value(double t, double[] y, double[] p) {
            return all.value(k, t, y, p);
        }

        @Override
        public double gradient(double t, double[] y, double[] p, double[] grad) {
            return all.gradient(k, t, y, p, grad);
        }

        /**
         * A solver copy's switches already belong to its one solver (and share their replays); any
         * other instance's give each solver a switch of its own.
         */
        @Override
        public EventFunction forSolver() {
            return solverCopy ? this : new Switch(k, new SwitchingFunctions(all.x0));
        }
    }

    /**
     * Holds every select's branch ({@code sides[k]} for switch {@code k} of {@link #events()}: true is
     * the side where {@code lhs > rhs}) in the Java replay of this instance, or with null lets the
     * comparisons decide again. The native replay of a solver holds the same vector (the solver
     * passes it on).
     */
    @Override
    public void holdBranches(boolean[] sides) {
        ev.hold(sides);
    }

    /** The definition this model records (to build related models, e.g. with other parameters). */
    public OdeDefinition definition() {
        return definition;
    }

    @Override
    public void rhs(double t, double[] y, double[] p, double[] ydot) {
        load(t, y, p);
        Checks.length(ydot, "ydot", n);
        ev.evaluate();
        for (int i = 0; i < n; i++) ydot[i] = ev.output(i);
    }

    /** {@code out = f_y v + f_p w}; {@code w} may be null for zero. */
    @Override
    public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
        load(t, y, p);
        Checks.length(v, "v", n);
        Checks.lengthOrNull(w, "w", np);
        Checks.length(out, "out", n);
        ev.linearize();
        ev.clearInputTangents();
        System.arraycopy(v, 0, ev.dot, 1, n);
        if (w != null) System.arraycopy(w, 0, ev.dot, 1 + n, np);
        ev.tangent(w == null);
        for (int i = 0; i < n; i++) out[i] = ev.outputTangent(i);
    }

    /** One reverse sweep; {@code outP} and {@code ydot} may be null when not wanted. */
    @Override
    public void vjp(double t, double[] y, double[] p, double[] lambda, double[] outY, double[] outP, double[] ydot) {
        load(t, y, p);
        Checks.length(lambda, "lambda", n);
        Checks.length(outY, "outY", n);
        Checks.lengthOrNull(outP, "outP", np);
        Checks.lengthOrNull(ydot, "ydot", n);
        ev.linearize();
        ev.clearAdjoints();
        for (int i = 0; i < n; i++) ev.seedOutputAdjoint(i, lambda[i]);
        ev.reverse(outP == null);
        System.arraycopy(ev.bar, 1, outY, 0, n);
        if (outP != null) System.arraycopy(ev.bar, 1 + n, outP, 0, np);
        if (ydot != null) for (int i = 0; i < n; i++) ydot[i] = ev.output(i);
    }

    @Override
    public boolean hasJacobian() {
        return true;
    }

    /** Writes the structural nonzeros of {@code ∂f/∂y}, computed by colouring (one sweep per colour of the pattern). */
    @Override
    public void jacobian(double t, double[] y, double[] p, JacobianWriter out) {
        compressed(t, y, p);
        for (int j = 0; j < n; j++)
            for (int k = current.colStart[j]; k < current.colStart[j + 1]; k++) out.set(current.rowIndex[k], j, csc[k]);
    }

    /**
     * The KLU path: fills {@code values} (length {@code sparsity().nonZeros()}) with {@code ∂f/∂y} in the
     * CSC order of {@link #sparsity()}: {@code values[k]} is the entry at row {@code rowIndex[k]} of the
     * column {@code j} with {@code colStart[j] <= k < colStart[j+1]}. Copy the pattern's {@code colStart}
     * and {@code rowIndex} into the SUNSparseMatrix once; then each Jacobian call copies only values.
     */
    public void jacobianCsc(double t, double[] y, double[] p, double[] values) {
        Checks.length(values, "values", shared.structure().nonZeros());
        compressed(t, y, p);
        requireReportedPattern();
        System.arraycopy(csc, 0, values, 0, values.length);
    }

    /**
     * The band path: zeroes {@code data} and writes {@code ∂f/∂y} in SUNDIALS' band layout, column
     * major with {@code ldim = storedUpper + lower + 1} entries per column, entry {@code (i, j)} at
     * {@code data[j * ldim + i - j + storedUpper]} (so {@code SM_COLUMN_B(A, j)[i - j]} of a
     * {@code SUNBandMatrixStorage(n, upper, lower, storedUpper)}). Pick {@code upper}/{@code lower} from
     * {@link SparsityPattern#upperBandwidth()}/{@link SparsityPattern#lowerBandwidth()} of {@link #sparsity()}.
     */
    public void jacobianBand(double t, double[] y, double[] p, int upper, int lower, int storedUpper, double[] data) {
        Checks.nonNegative(upper, "upper");
        Checks.nonNegative(lower, "lower");
        if (storedUpper < upper)
            throw new IllegalArgumentException("storedUpper = " + storedUpper + " is below upper = " + upper);
        SparsityPattern pattern = shared.pattern();
        if (upper < pattern.upperBandwidth() || lower < pattern.lowerBandwidth())
            throw new IllegalArgumentException("band (upper = " + upper + ", lower = " + lower
                    + ") does not hold the pattern's band (" + pattern.upperBandwidth() + ", " + pattern.lowerBandwidth() + ")");
        int ldim = storedUpper + lower + 1;
        Checks.length(data, "data", n * ldim);
        compressed(t, y, p);
        requireReportedPattern();
        Arrays.fill(data, 0.0);
        for (int j = 0; j < n; j++)
            for (int k = current.colStart[j]; k < current.colStart[j + 1]; k++)
                data[j * ldim + current.rowIndex[k] - j + storedUpper] = csc[k];
    }

    /** Zeroes {@code colMajor} (length n²) and writes {@code ∂f/∂y} column-major, as SUNDenseMatrix stores it. */
    public void jacobianDense(double t, double[] y, double[] p, double[] colMajor) {
        Checks.length(colMajor, "colMajor", n * n);
        compressed(t, y, p);
        Arrays.fill(colMajor, 0.0);
        for (int j = 0; j < n; j++)
            for (int k = current.colStart[j]; k < current.colStart[j + 1]; k++) colMajor[j * n + current.rowIndex[k]] = csc[k];
    }

    /** Structural pattern of {@code ∂f/∂y} read off the first recording. */
    @Override
    public SparsityPattern sparsity() {
        return shared.pattern();
    }

    /**
     * The current recording for the native replay of the solver's callbacks, with the Jacobian
     * structure {@link #jacobian} uses for it (the reported pattern, or its union with a
     * re-recording's).
     */
    @Override
    public ReplayProgram replayProgram() {
        if (ev.program != currentFor) adoptStructure();
        if (replay == null || replayFor != ev.program) {
            replay = ev.program.toReplay(current);
            replayFor = ev.program;
        }
        return replay;
    }

    /** A copy sharing the recording and pattern, with its own work arrays. */
    @Override
    public TapeOdeModel forSolver() {
        return new TapeOdeModel(n, np, definition, ev.copy(), shared, true);
    }

    private void compressed(double t, double[] y, double[] p) {
        load(t, y, p);
        ev.linearize();
        if (ev.program != currentFor) adoptStructure();
        current.compute(ev, 1, csc);
    }

    /** For a new program (the first, or a re-recording): the reported structure if it covers it, else the union. */
    private void adoptStructure() {
        JacobianStructure reported = shared.structure();
        if (ev.program == shared.first) {
            current = reported;
        } else {
            JacobianStructure fresh = structureOf(ev.program, n);
            current = reported.contains(fresh) ? reported : reported.union(fresh);
        }
        currentFor = ev.program;
        if (csc == null || csc.length != current.nonZeros()) csc = new double[current.nonZeros()];
    }

    private void requireReportedPattern() {
        if (current != shared.structure())
            throw new IllegalStateException("a guard flipped and the re-recorded right-hand side has structural "
                    + "nonzeros outside sparsity(); use Condition.select for that branch to keep one pattern");
    }

    private void load(double t, double[] y, double[] p) {
        Checks.length(y, "y", n);
        if (np > 0 || p != null) Checks.length(p, "p", np);
        double[] v = ev.v;
        v[0] = t;
        System.arraycopy(y, 0, v, 1, n);
        if (np > 0) System.arraycopy(p, 0, v, 1 + n, np);
    }
}
