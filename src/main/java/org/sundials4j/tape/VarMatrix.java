package org.sundials4j.tape;

/**
 * A row-major matrix over contiguous slots, typically a block of the ODE's parameters (neural-network
 * weights). Its products are single instructions, so a layer of width H costs one instruction on the
 * tape rather than 2H² scalar ones.
 */
public final class VarMatrix {
    private final VarVector data;
    private final int rows;
    private final int cols;

    VarMatrix(VarVector data, int rows, int cols) {
        this.data = data;
        this.rows = rows;
        this.cols = cols;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Entry {@code (i, j)}. */
    public Var get(int i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols)
            throw new IllegalArgumentException("entry (i = " + i + ", j = " + j + ") is outside " + rows + "×" + cols);
        return data.get(i * cols + j);
    }

    /** {@code W x}. */
    public VarVector times(VarVector x) {
        return timesPlus(x, null);
    }

    /** {@code W x + bias} (an affine layer), one instruction; {@code bias} may be null. */
    public VarVector timesPlus(VarVector x, VarVector bias) {
        checkLength(x, "x", cols);
        if (bias != null) checkLength(bias, "bias", rows);
        return data.tape.matvec(data, rows, cols, false, x, bias);
    }

    /** {@code Wᵀ x}, one instruction. */
    public VarVector transposeTimes(VarVector x) {
        checkLength(x, "x", rows);
        return data.tape.matvec(data, rows, cols, true, x, null);
    }

    private void checkLength(VarVector v, String argument, int expected) {
        data.tape.own(v, argument);
        if (v.size() != expected)
            throw new IllegalArgumentException(argument + " has length " + v.size() + ", expected " + expected);
    }
}
