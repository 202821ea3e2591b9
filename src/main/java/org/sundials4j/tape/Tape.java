package org.sundials4j.tape;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The recorder: a user's model calls operations on {@link Var}s, each call appends one instruction
 * here and computes its value at once (so comparisons made during recording see real numbers).
 * {@code finish} freezes the instructions into an immutable program of flat arrays.
 *
 * <p>A tape is created by {@link TapeFunction} or {@link TapeOdeModel} for one
 * recording and then dropped; it is never shared between threads and never static. Slots are single
 * assignment: every instruction writes fresh slots, so replay needs no versioning. The first
 * {@link #inputCount()} slots are the inputs; inputs in the passive range (the ODE's parameters) are
 * the ones whose derivatives sweeps may be told to skip.
 */
public final class Tape {
    /** Slot kinds, used to decide whether a block operand can carry derivatives. */
    static final byte COMPUTED = 0, CONSTANT = 1, PASSIVE_INPUT = 2, ACTIVE_INPUT = 3;

    private final int inputCount;
    private int[] code = new int[256];
    private double[] cst = new double[64];
    private int count;
    private int[] aux = new int[64];
    private int auxSize;
    private double[] values;
    private byte[] kinds;
    private int slots;
    private int[] guards = new int[12];
    private int guardCount;
    /**
     * Distinct (lhs, rhs) slot pairs of every {@link Condition#select}, numbered in recording order:
     * the switches of a piecewise model (both branches are on the tape). A select's number is its
     * index in the branch vector a replay may hold fixed ({@link Replay}). Guards are not switches:
     * a flipped guard re-records.
     */
    private final Map<Long, Integer> switches = new java.util.LinkedHashMap<>();
    private final Map<Long, Var> constantCache = new HashMap<>();

    /**
     * Starts a recording whose inputs take {@code inputValues}; inputs {@code [passiveStart, passiveEnd)}
     * are passive (parameters).
     */
    Tape(double[] inputValues, int passiveStart, int passiveEnd) {
        inputCount = inputValues.length;
        int capacity = Math.max(64, 4 * inputCount);
        values = Arrays.copyOf(inputValues, capacity);
        kinds = new byte[capacity];
        for (int i = 0; i < inputCount; i++)
            kinds[i] = i >= passiveStart && i < passiveEnd ? PASSIVE_INPUT : ACTIVE_INPUT;
        slots = inputCount;
    }

    /** Number of input slots (they are slots {@code 0 .. inputCount-1}). */
    public int inputCount() {
        return inputCount;
    }

    /** Instructions recorded so far. */
    public int instructionCount() {
        return count;
    }

    /** A constant; equal constants share one slot. */
    public Var constant(double c) {
        return constantCache.computeIfAbsent(Double.doubleToRawLongBits(c), bits -> {
            int s = newSlots(1, CONSTANT);
            values[s] = c;
            return new Var(this, s);
        });
    }

    /** Constants in contiguous slots, e.g. a fixed weight matrix for {@link VarVector#asMatrix}. */
    public VarVector constants(double... c) {
        int start = newSlots(c.length, CONSTANT);
        System.arraycopy(c, 0, values, start, c.length);
        return new VarVector(this, start, c.length);
    }

    /** Gathers scalars into a contiguous vector (one pack instruction), for the block operations. */
    public VarVector vector(Var... elements) {
        int start = newSlots(elements.length, COMPUTED);
        int ptr = auxSize;
        auxPush(elements.length);
        for (int i = 0; i < elements.length; i++) {
            int src = own(elements[i], "elements", i).slot;
            auxPush(src);
            values[start + i] = values[src];
        }
        emit(Ops.PACK, start, ptr, 0, 0);
        return new VarVector(this, start, elements.length);
    }

    /** Sum of the given scalars (a chain of additions). */
    public Var sum(Var... terms) {
        if (terms.length == 0) return constant(0);
        Var s = own(terms[0], "terms", 0);
        for (int i = 1; i < terms.length; i++) s = s.plus(own(terms[i], "terms", i));
        return s;
    }

    /**
     * The gradient of the scalar {@code f} with respect to {@code wrt}, recorded as new instructions on
     * this tape (reverse mode applied to the recording itself). Because the gradient is ordinary tape
     * code, every later product of the finished program (Jacobian, JVP, VJP) differentiates through it:
     * that is how second derivatives reach the solver, e.g. for a Hamiltonian RHS.
     */
    public Var[] gradient(Var f, Var... wrt) {
        own(f, "f", 0);
        int[] w = new int[wrt.length];
        for (int i = 0; i < wrt.length; i++) w[i] = own(wrt[i], "wrt", i).slot;
        return new GradientEmitter(this).gradient(f.slot, w);
    }

    /** {@link #gradient(Var, Var...)} with respect to a whole vector. */
    public Var[] gradient(Var f, VarVector wrt) {
        return gradient(f, own(wrt, "wrt").toArray());
    }

    /**
     * The switching functions {@code lhs - rhs} of every distinct select recorded so far (a
     * branch changes where one crosses zero), recorded as new instructions, in recording order.
     */
    Var[] switchingFunctions() {
        Var[] out = new Var[switches.size()];
        int k = 0;
        for (long pair : switches.keySet().toArray(new Long[0]))
            out[k++] = new Var(this, (int) (pair >>> 32)).minus(new Var(this, (int) pair));
        return out;
    }

    // ---------------------------------------------------------------- emission used by Var & friends

    Var unary(int op, Var a) {
        int s = newSlots(1, COMPUTED);
        values[s] = Ops.apply(op, values[a.slot], values[a.slot], 0);
        emit(op, s, a.slot, a.slot, 0);
        return new Var(this, s);
    }

    Var withConstant(int op, Var a, double c) {
        int s = newSlots(1, COMPUTED);
        values[s] = Ops.apply(op, values[a.slot], values[a.slot], c);
        emit(op, s, a.slot, a.slot, c);
        return new Var(this, s);
    }

    Var binary(int op, Var a, Var b) {
        own(b, "operand", 0);
        int s = newSlots(1, COMPUTED);
        values[s] = Ops.apply(op, values[a.slot], values[b.slot], 0);
        emit(op, s, a.slot, b.slot, 0);
        return new Var(this, s);
    }

    Var select(int cmp, int l, int r, Var ifTrue, Var ifFalse) {
        own(ifTrue, "ifTrue", 0);
        own(ifFalse, "ifFalse", 0);
        int ptr = auxSize;
        auxPush(l);
        auxPush(r);
        auxPush(ifTrue.slot);
        auxPush(ifFalse.slot);
        auxPush(switches.computeIfAbsent(((long) l << 32) | r, pair -> switches.size()));
        int s = newSlots(1, COMPUTED);
        values[s] = Ops.compare(cmp, values[l], values[r]) ? values[ifTrue.slot] : values[ifFalse.slot];
        emit(Ops.SELECT, s, ptr, cmp, 0);
        return new Var(this, s);
    }

    /** Records that {@code cmp(l, r)} came out as it does now; replay re-records if it changes. */
    boolean guard(int cmp, int l, int r) {
        boolean outcome = Ops.compare(cmp, values[l], values[r]);
        if (guards.length < 3 * guardCount + 3) guards = Arrays.copyOf(guards, 2 * guards.length);
        guards[3 * guardCount] = l;
        guards[3 * guardCount + 1] = r;
        guards[3 * guardCount + 2] = cmp | (outcome ? 2 : 0);
        guardCount++;
        return outcome;
    }

    Var dot(VarVector x, VarVector y) {
        int s = newSlots(1, COMPUTED);
        int ptr = auxSize;
        auxPush(x.size());
        auxPush(x.start);
        auxPush(y.start);
        double acc = 0;
        for (int i = 0; i < x.size(); i++) acc += values[x.start + i] * values[y.start + i];
        values[s] = acc;
        emit(Ops.DOT, s, ptr, 0, 0);
        return new Var(this, s);
    }

    /** {@code W x + bias} ({@code transposed == false}) or {@code Wᵀ x}; W is {@code m×n} row-major. */
    VarVector matvec(VarVector w, int m, int n, boolean transposed, VarVector x, VarVector bias) {
        int outLen = transposed ? n : m;
        int s = newSlots(outLen, COMPUTED);
        int ptr = auxSize;
        auxPush(m);
        auxPush(n);
        auxPush(w.start);
        auxPush(x.start);
        auxPush(bias == null ? -1 : bias.start);
        auxPush(isPassive(w.start, m * n) ? 1 : 0);
        Replay.matvecValues(transposed, m, n, values, w.start, x.start, bias == null ? -1 : bias.start, s);
        emit(transposed ? Ops.MATVEC_T : Ops.MATVEC, s, ptr, 0, 0);
        return new VarVector(this, s, outLen);
    }

    VarVector activation(int unaryOp, VarVector x) {
        int s = newSlots(x.size(), COMPUTED);
        int ptr = auxSize;
        auxPush(x.size());
        auxPush(x.start);
        auxPush(unaryOp);
        for (int i = 0; i < x.size(); i++) {
            double a = values[x.start + i];
            values[s + i] = Ops.apply(unaryOp, a, a, 0);
        }
        emit(Ops.ACT, s, ptr, 0, 0);
        return new VarVector(this, s, x.size());
    }

    /** Checks that a variable was made by this tape. */
    Var own(Var v, String argument, int index) {
        if (v == null)
            throw new IllegalArgumentException(argument + "[" + index + "] is null");
        if (v.tape != this)
            throw new IllegalArgumentException(argument + "[" + index + "] = " + v + " belongs to another tape");
        return v;
    }

    VarVector own(VarVector v, String argument) {
        if (v == null) throw new IllegalArgumentException(argument + " is null");
        if (v.tape != this) throw new IllegalArgumentException(argument + " belongs to another tape");
        return v;
    }

    double value(int slot) {
        return values[slot];
    }

    // ---------------------------------------------------------------- raw access for GradientEmitter

    int codeAt(int index) {
        return code[index];
    }

    double constantOf(int instruction) {
        return cst[instruction];
    }

    int auxAt(int index) {
        return aux[index];
    }

    int slotCount() {
        return slots;
    }

    // ---------------------------------------------------------------- finishing

    /**
     * Freezes the recording with the given outputs. The tape must not be used afterwards (further
     * operations would not be part of the program).
     */
    Program finish(Var[] outputs, int passiveStart, int passiveEnd) {
        int[] out = new int[outputs.length];
        for (int i = 0; i < outputs.length; i++) out[i] = own(outputs[i], "outputs", i).slot;
        return new Program(inputCount, passiveStart, passiveEnd, slots, Arrays.copyOf(code, 4 * count),
                Arrays.copyOf(cst, count), Arrays.copyOf(aux, auxSize), out,
                Arrays.copyOf(guards, 3 * guardCount), Arrays.copyOf(values, slots), switches.size());
    }

    private boolean isPassive(int start, int len) {
        for (int i = start; i < start + len; i++)
            if (kinds[i] != CONSTANT && kinds[i] != PASSIVE_INPUT) return false;
        return true;
    }

    private int newSlots(int n, byte kind) {
        if (slots + n > values.length) {
            int cap = Math.max(2 * values.length, slots + n);
            values = Arrays.copyOf(values, cap);
            kinds = Arrays.copyOf(kinds, cap);
        }
        int s = slots;
        Arrays.fill(kinds, s, s + n, kind);
        slots += n;
        return s;
    }

    private void emit(int op, int out, int a, int b, double c) {
        if (4 * count + 4 > code.length) code = Arrays.copyOf(code, 2 * code.length);
        if (count == cst.length) cst = Arrays.copyOf(cst, 2 * cst.length);
        int q = 4 * count;
        code[q] = op;
        code[q + 1] = out;
        code[q + 2] = a;
        code[q + 3] = b;
        cst[count] = c;
        count++;
    }

    private void auxPush(int x) {
        if (auxSize == aux.length) aux = Arrays.copyOf(aux, 2 * aux.length);
        aux[auxSize++] = x;
    }
}
