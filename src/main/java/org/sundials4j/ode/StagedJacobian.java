package org.sundials4j.ode;

import java.nio.DoubleBuffer;

/**
 * {@link JacobianWriter}s over the native Jacobian staging buffer, one per matrix layout. The glue
 * zeroes the buffer before each evaluation and copies it into the SUNMatrix afterwards, so writes
 * are plain absolute puts. A write outside the structure is a modelling error and is reported.
 */
abstract class StagedJacobian implements JacobianWriter {
    final DoubleBuffer buf;
    final int n;

    StagedJacobian(DoubleBuffer buf, int n) {
        this.buf = buf;
        this.n = n;
    }

    private boolean nonFinite;
    private int badRow, badCol;
    private double badValue;

    final void checkIndex(int row, int col) {
        if (row < 0 || row >= n || col < 0 || col >= n)
            throw new IllegalArgumentException("Jacobian entry (" + row + ", " + col + ") is outside the " + n + "x" + n + " matrix");
    }

    /** Notes the first NaN/infinity written since the last {@link #takeNonFinite}. */
    final void checkValue(int row, int col, double value) {
        if (!Double.isFinite(value) && !nonFinite) {
            nonFinite = true;
            badRow = row;
            badCol = col;
            badValue = value;
        }
    }

    /** The first non-finite entry written since the last call, described, or null; forgets it. */
    final String takeNonFinite() {
        if (!nonFinite) return null;
        nonFinite = false;
        return "entry (" + badRow + ", " + badCol + ") = " + badValue;
    }

    /** Column-major n x n. */
    static final class Dense extends StagedJacobian {
        Dense(DoubleBuffer buf, int n) { super(buf, n); }

        @Override
        public void set(int row, int col, double value) {
            checkIndex(row, col);
            checkValue(row, col, value);
            buf.put(col * n + row, value);
        }
    }

    /** Per column, rows col-upper .. col+lower: (i, j) at j*(upper+lower+1) + i - j + upper. */
    static final class Band extends StagedJacobian {
        private final int upper, lower, width;

        Band(DoubleBuffer buf, int n, int upper, int lower) {
            super(buf, n);
            this.upper = upper;
            this.lower = lower;
            this.width = upper + lower + 1;
        }

        @Override
        public void set(int row, int col, double value) {
            checkIndex(row, col);
            int k = row - col;
            if (k > lower || -k > upper)
                throw new IllegalArgumentException("Jacobian entry (" + row + ", " + col + ") is outside the band (upper "
                        + upper + ", lower " + lower + ")");
            checkValue(row, col, value);
            buf.put(col * width + k + upper, value);
        }
    }

    /** CSC values aligned with a sparsity pattern. */
    static final class Sparse extends StagedJacobian {
        private final SparsityPattern pattern;

        Sparse(DoubleBuffer buf, SparsityPattern pattern) {
            super(buf, pattern.size());
            this.pattern = pattern;
        }

        @Override
        public void set(int row, int col, double value) {
            checkIndex(row, col);
            int k = pattern.indexOf(row, col);
            if (k < 0) {
                if (value == 0) return; // an explicit structural zero is harmless
                throw new IllegalArgumentException("Jacobian entry (" + row + ", " + col + ") = " + value
                        + " is not in the sparsity pattern");
            }
            checkValue(row, col, value);
            buf.put(k, value);
        }
    }
}
