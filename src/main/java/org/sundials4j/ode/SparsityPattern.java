package org.sundials4j.ode;

import java.util.Arrays;

/**
 * An immutable structural pattern of an {@code n x n} matrix in compressed sparse column form:
 * the rows of column {@code j} are {@code rowIndex[colStart[j] .. colStart[j+1])}, sorted ascending.
 */
public final class SparsityPattern {
    private final int n;
    private final int[] colStart;
    private final int[] rowIndex;

    private SparsityPattern(int n, int[] colStart, int[] rowIndex) {
        this.n = n;
        this.colStart = colStart;
        this.rowIndex = rowIndex;
    }

    /** Builds a pattern from CSC arrays (copied and validated: sorted, in range, no duplicates). */
    public static SparsityPattern ofCsc(int n, int[] colStart, int[] rowIndex) {
        checkSize(n);
        java.util.Objects.requireNonNull(colStart, "colStart");
        java.util.Objects.requireNonNull(rowIndex, "rowIndex");
        if (colStart.length != n + 1)
            throw new IllegalArgumentException("colStart must have n+1 = " + (n + 1) + " entries, got " + colStart.length);
        if (colStart[0] != 0 || colStart[n] != rowIndex.length)
            throw new IllegalArgumentException("colStart must start at 0 and end at rowIndex.length = " + rowIndex.length);
        // every column's range first, so that reading the rows below stays inside rowIndex
        for (int j = 0; j < n; j++) {
            if (colStart[j + 1] < colStart[j])
                throw new IllegalArgumentException("colStart decreases at column " + j + ": colStart[" + j + "] = " + colStart[j]
                        + ", colStart[" + (j + 1) + "] = " + colStart[j + 1]);
            if (colStart[j + 1] > rowIndex.length)
                throw new IllegalArgumentException("colStart[" + (j + 1) + "] = " + colStart[j + 1] + " exceeds rowIndex.length = "
                        + rowIndex.length);
        }
        for (int j = 0; j < n; j++) {
            for (int k = colStart[j]; k < colStart[j + 1]; k++) {
                int r = rowIndex[k];
                if (r < 0 || r >= n)
                    throw new IllegalArgumentException("rowIndex[" + k + "] = " + r + " is outside [0, " + n + ")");
                if (k > colStart[j] && rowIndex[k - 1] >= r)
                    throw new IllegalArgumentException("rows of column " + j + " are not strictly increasing at rowIndex[" + k + "]");
            }
        }
        return new SparsityPattern(n, colStart.clone(), rowIndex.clone());
    }

    /** Builds a pattern from a boolean predicate over (row, col). */
    public static SparsityPattern of(int n, java.util.function.BiPredicate<Integer, Integer> nonzero) {
        checkSize(n);
        java.util.Objects.requireNonNull(nonzero, "nonzero");
        int[] cs = new int[n + 1];
        int[] rows = new int[16];
        int nnz = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                if (nonzero.test(i, j)) {
                    if (nnz == rows.length) rows = Arrays.copyOf(rows, rows.length * 2);
                    rows[nnz++] = i;
                }
            }
            cs[j + 1] = nnz;
        }
        return new SparsityPattern(n, cs, Arrays.copyOf(rows, nnz));
    }

    private static void checkSize(int n) {
        if (n <= 0) throw new IllegalArgumentException("n must be positive, got " + n);
    }

    public int size() { return n; }
    public int nonZeros() { return rowIndex.length; }
    public int[] colStart() { return colStart.clone(); }
    public int[] rowIndex() { return rowIndex.clone(); }

    /** Position of (row, col) in the CSC value array, or -1 if structurally zero. */
    public int indexOf(int row, int col) {
        if (col < 0 || col >= n) return -1;
        int k = Arrays.binarySearch(rowIndex, colStart[col], colStart[col + 1], row);
        return k >= 0 ? k : -1;
    }

    public boolean contains(int row, int col) {
        return indexOf(row, col) >= 0;
    }

    /** The pattern of the transposed matrix. */
    public SparsityPattern transpose() {
        int[] cs = new int[n + 1];
        for (int r : rowIndex) cs[r + 1]++;
        for (int j = 0; j < n; j++) cs[j + 1] += cs[j];
        int[] next = Arrays.copyOf(cs, n);
        int[] rows = new int[rowIndex.length];
        for (int j = 0; j < n; j++)
            for (int k = colStart[j]; k < colStart[j + 1]; k++) rows[next[rowIndex[k]]++] = j;
        return new SparsityPattern(n, cs, rows);
    }

    /** Largest {@code i - j} over the nonzeros (0 for an upper-triangular pattern). */
    public int lowerBandwidth() {
        int m = 0;
        for (int j = 0; j < n; j++)
            for (int k = colStart[j]; k < colStart[j + 1]; k++) m = Math.max(m, rowIndex[k] - j);
        return m;
    }

    /** Largest {@code j - i} over the nonzeros. */
    public int upperBandwidth() {
        int m = 0;
        for (int j = 0; j < n; j++)
            for (int k = colStart[j]; k < colStart[j + 1]; k++) m = Math.max(m, j - rowIndex[k]);
        return m;
    }

    @Override public boolean equals(Object o) {
        return o instanceof SparsityPattern s && s.n == n && Arrays.equals(s.colStart, colStart) && Arrays.equals(s.rowIndex, rowIndex);
    }
    @Override public int hashCode() { return 31 * Arrays.hashCode(colStart) + Arrays.hashCode(rowIndex); }
    @Override public String toString() { return "SparsityPattern[n=" + n + ", nnz=" + rowIndex.length + "]"; }
}
