package org.sundials4j.tape;

/**
 * Variables in contiguous tape slots: the operand type of the block operations (dot, matrix–vector,
 * element-wise activation), which are recorded as one instruction each instead of one per scalar.
 * Inputs ({@code y}, {@code p}) are contiguous already; {@link Tape#vector} packs arbitrary scalars.
 */
public final class VarVector {
    final Tape tape;
    final int start;
    private final int length;

    VarVector(Tape tape, int start, int length) {
        this.tape = tape;
        this.start = start;
        this.length = length;
    }

    public int size() {
        return length;
    }

    /** Element {@code i}. */
    public Var get(int i) {
        if (i < 0 || i >= length)
            throw new IllegalArgumentException("index i = " + i + " is outside [0, " + length + ")");
        return new Var(tape, start + i);
    }

    /** Elements {@code [from, from + len)}, sharing slots with this vector. */
    public VarVector slice(int from, int len) {
        if (from < 0 || len < 0 || from + len > length)
            throw new IllegalArgumentException("slice [from = " + from + ", from + len = " + (from + len)
                    + ") is outside [0, " + length + ")");
        return new VarVector(tape, start + from, len);
    }

    /** This vector read as a row-major {@code rows × cols} matrix (e.g. a block of parameters). */
    public VarMatrix asMatrix(int rows, int cols) {
        if (rows <= 0 || cols <= 0 || (long) rows * cols != length)
            throw new IllegalArgumentException("rows = " + rows + " × cols = " + cols
                    + " does not match the vector length " + length);
        return new VarMatrix(this, rows, cols);
    }

    /** {@code Σ this_i o_i}, one instruction. */
    public Var dot(VarVector o) {
        checkSameSize(o, "o");
        return tape.dot(this, o);
    }

    /** {@code f} applied to every element, one instruction. */
    public VarVector apply(Activation f) {
        return tape.activation(f.op, this);
    }

    public VarVector tanh() {
        return apply(Activation.TANH);
    }

    public VarVector sigmoid() {
        return apply(Activation.SIGMOID);
    }

    public VarVector softplus() {
        return apply(Activation.SOFTPLUS);
    }

    /** The elements as scalars. */
    public Var[] toArray() {
        Var[] out = new Var[length];
        for (int i = 0; i < length; i++) out[i] = new Var(tape, start + i);
        return out;
    }

    void checkSameSize(VarVector o, String argument) {
        tape.own(o, argument);
        if (o.length != length)
            throw new IllegalArgumentException(argument + " has length " + o.length + ", expected " + length);
    }
}
