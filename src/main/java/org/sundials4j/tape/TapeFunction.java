package org.sundials4j.tape;

import org.sundials4j.ode.ReplayProgram;

/**
 * A general function {@code R^n → R^m} recorded once on a tape: values, JVP, VJP, the dense Jacobian
 * and, for scalar functions, the gradient and the Hessian-vector product (forward over reverse: the
 * gradient is recorded on a tape by nested AD, then differentiated by a tangent sweep).
 *
 * <pre>{@code
 * TapeFunction h = TapeFunction.record(2, (tape, x) -> new Var[] {x.get(0).square().times(0.5).minus(x.get(1).cos())}, x0);
 * h.hessianVector(x, v, hv);
 * }</pre>
 *
 * <p>Like {@link TapeOdeModel}: guarded branches re-record, and an instance is for one thread
 * ({@link #copy()} gives another over the same recording).
 */
public final class TapeFunction {
    private final int n;
    private final int m;
    private final FunctionDefinition definition;
    private final TapeEvaluator ev;
    private JacobianStructure structure;
    private Program structureFor;
    private double[] csc;
    private ReplayProgram replay;
    private Program replayFor;
    private TapeFunction gradientFunction;
    /** {@link #gradient}'s seed and value, kept so that it allocates nothing per call. */
    private final double[] unitSeed = {1.0};
    private final double[] scalarValue = new double[1];

    private TapeFunction(int n, int m, FunctionDefinition definition, TapeEvaluator ev) {
        this.n = n;
        this.m = m;
        this.definition = definition;
        this.ev = ev;
    }

    /** Records {@code definition} at {@code x0} (which matters only for guarded branches). */
    public static TapeFunction record(int inputCount, FunctionDefinition definition, double[] x0) {
        Checks.positive(inputCount, "inputCount");
        if (definition == null) throw new IllegalArgumentException("definition is null");
        Checks.length(x0, "x0", inputCount);
        TapeEvaluator.Recorder recorder = inputs -> recordAt(definition, inputs);
        Program program = recorder.record(x0.clone());
        return new TapeFunction(inputCount, program.outputs.length, definition, new TapeEvaluator(recorder, program));
    }

    private static Program recordAt(FunctionDefinition definition, double[] inputs) {
        Tape tape = new Tape(inputs, 0, 0);
        Var[] out = definition.apply(tape, new VarVector(tape, 0, inputs.length));
        if (out == null || out.length == 0)
            throw new IllegalArgumentException("the definition returned no outputs");
        return tape.finish(out, 0, 0);
    }

    public int inputCount() {
        return n;
    }

    public int outputCount() {
        return m;
    }

    public int instructionCount() {
        return ev.program.instructionCount;
    }

    public int rerecordCount() {
        return ev.rerecordCount();
    }

    /** The current recording as flat arrays (no Jacobian structure), the same object while it lasts. */
    ReplayProgram replayProgram() {
        if (replay == null || replayFor != ev.program) {
            replay = ev.program.toReplay(null);
            replayFor = ev.program;
        }
        return replay;
    }

    /** Another instance over the same recording, with its own work arrays. */
    public TapeFunction copy() {
        return new TapeFunction(n, m, definition, ev.copy());
    }

    /** {@code out = f(x)}. */
    public void value(double[] x, double[] out) {
        load(x);
        Checks.length(out, "out", m);
        ev.evaluate();
        readOutputs(out);
    }

    /** {@code out = J v}. */
    public void jvp(double[] x, double[] v, double[] out) {
        load(x);
        Checks.length(v, "v", n);
        Checks.length(out, "out", m);
        ev.linearize();
        System.arraycopy(v, 0, ev.dot, 0, n);
        ev.tangent(false);
        for (int i = 0; i < m; i++) out[i] = ev.outputTangent(i);
    }

    /** {@code grad = Jᵀ w} in one reverse sweep; also {@code value = f(x)} when non-null. */
    public void vjp(double[] x, double[] w, double[] grad, double[] value) {
        load(x);
        Checks.length(w, "w", m);
        Checks.length(grad, "grad", n);
        Checks.lengthOrNull(value, "value", m);
        ev.linearize();
        ev.clearAdjoints();
        for (int i = 0; i < m; i++) ev.seedOutputAdjoint(i, w[i]);
        ev.reverse(false);
        System.arraycopy(ev.bar, 0, grad, 0, n);
        if (value != null) readOutputs(value);
    }

    /** Gradient of a scalar function; returns {@code f(x)}. */
    public double gradient(double[] x, double[] grad) {
        requireScalar("gradient");
        vjp(x, unitSeed, grad, scalarValue);
        return scalarValue[0];
    }

    /** The dense Jacobian, row-major {@code m × n}, by column or row colouring of its pattern. */
    public void jacobian(double[] x, double[] rowMajor) {
        load(x);
        Checks.length(rowMajor, "rowMajor", m * n);
        ev.linearize();
        if (structure == null || structureFor != ev.program) {
            structure = new JacobianStructure(SparsityAnalysis.outputDependencies(ev.program, 0, n), n);
            structureFor = ev.program;
            csc = new double[structure.nonZeros()];
        }
        structure.compute(ev, 0, csc);
        java.util.Arrays.fill(rowMajor, 0.0);
        for (int j = 0; j < n; j++)
            for (int k = structure.colStart[j]; k < structure.colStart[j + 1]; k++)
                rowMajor[structure.rowIndex[k] * n + j] = csc[k];
    }

    /**
     * {@code out = ∇²f(x) v} for a scalar {@code f}: the gradient is recorded once by nested AD (on
     * first use, at this {@code x}) and this is its JVP.
     */
    public void hessianVector(double[] x, double[] v, double[] out) {
        gradientFunction(x).jvp(x, v, out);
    }

    /**
     * {@code ∇f} as a function of its own, recorded by nested AD (its Jacobian is the Hessian).
     * Recorded at {@code x} on first call and cached.
     */
    public TapeFunction gradientFunction(double[] x) {
        requireScalar("gradientFunction");
        if (gradientFunction == null) {
            FunctionDefinition f = definition;
            gradientFunction = record(n, (tape, in) -> tape.gradient(f.apply(tape, in)[0], in), x);
        }
        return gradientFunction;
    }

    private void requireScalar(String what) {
        if (m != 1) throw new IllegalStateException(what + " needs a scalar function, this one has " + m + " outputs");
    }

    private void readOutputs(double[] out) {
        for (int i = 0; i < m; i++) out[i] = ev.output(i);
    }

    private void load(double[] x) {
        Checks.length(x, "x", n);
        System.arraycopy(x, 0, ev.v, 0, n);
    }
}
