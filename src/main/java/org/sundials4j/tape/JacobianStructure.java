package org.sundials4j.tape;

import java.util.Arrays;
import org.sundials4j.ode.ReplayProgram;

/**
 * The structural pattern of an {@code m × n} Jacobian (outputs × active inputs) in compressed sparse
 * column form, with the two ways of computing its values from a linearised tape:
 * <ul>
 *   <li>columns grouped by a greedy colouring (no two columns of a colour share a row), one tangent
 *       sweep per colour — Curtis–Powell–Reid;</li>
 *   <li>rows grouped the same way, one reverse sweep per colour.</li>
 * </ul>
 * {@link #compute} uses whichever needs fewer sweeps. A dense pattern gets n (or m) colours, i.e.
 * plain forward or reverse mode; a banded one gets about its bandwidth; brusselator-2d gets a small
 * constant independent of the grid.
 *
 * <p>Immutable and shared by all copies of a model.
 */
final class JacobianStructure {
    final int rows;
    final int cols;
    /** CSC: rows of column j are {@code rowIndex[colStart[j] .. colStart[j+1])}, ascending. */
    final int[] colStart;
    final int[] rowIndex;
    /** CSR view: columns of row i are {@code colIndex[rowStart[i] .. rowStart[i+1])}; cscPos maps to CSC. */
    final int[] rowStart;
    final int[] colIndex;
    final int[] cscPos;
    private final int[][] columnGroups;
    private final int[][] rowGroups;

    JacobianStructure(int[][] rowSets, int cols) {
        this.rows = rowSets.length;
        this.cols = cols;
        rowStart = new int[rows + 1];
        for (int i = 0; i < rows; i++) rowStart[i + 1] = rowStart[i] + rowSets[i].length;
        int nnz = rowStart[rows];
        colIndex = new int[nnz];
        for (int i = 0; i < rows; i++) System.arraycopy(rowSets[i], 0, colIndex, rowStart[i], rowSets[i].length);
        colStart = new int[cols + 1];
        for (int k = 0; k < nnz; k++) colStart[colIndex[k] + 1]++;
        for (int j = 0; j < cols; j++) colStart[j + 1] += colStart[j];
        rowIndex = new int[nnz];
        cscPos = new int[nnz];
        int[] fill = Arrays.copyOf(colStart, cols);
        for (int i = 0; i < rows; i++)
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++) {
                int pos = fill[colIndex[k]]++;
                rowIndex[pos] = i;
                cscPos[k] = pos;
            }
        columnGroups = groups(greedyColouring(cols, colStart, rowIndex, rowStart, colIndex));
        rowGroups = groups(greedyColouring(rows, rowStart, colIndex, colStart, rowIndex));
    }

    int nonZeros() {
        return rowIndex.length;
    }

    int columnColours() {
        return columnGroups.length;
    }

    int rowColours() {
        return rowGroups.length;
    }

    /** Sweeps {@link #compute} performs: the smaller of the two colourings. */
    int sweeps() {
        return Math.min(columnColours(), rowColours());
    }

    /** Whether every structural nonzero of {@code other} is one of ours. */
    boolean contains(JacobianStructure other) {
        for (int j = 0; j < other.cols; j++)
            for (int k = other.colStart[j]; k < other.colStart[j + 1]; k++)
                if (indexOf(other.rowIndex[k], j) < 0) return false;
        return true;
    }

    /** Position of (row, col) in the CSC arrays, or -1. */
    int indexOf(int row, int col) {
        int k = Arrays.binarySearch(rowIndex, colStart[col], colStart[col + 1], row);
        return k >= 0 ? k : -1;
    }

    /** A structure with the union of both patterns (used when a re-recording grows the pattern). */
    JacobianStructure union(JacobianStructure other) {
        int[][] sets = new int[rows][];
        for (int i = 0; i < rows; i++) {
            int[] a = Arrays.copyOfRange(colIndex, rowStart[i], rowStart[i + 1]);
            int[] b = Arrays.copyOfRange(other.colIndex, other.rowStart[i], other.rowStart[i + 1]);
            sets[i] = Arrays.stream(concat(a, b)).distinct().sorted().toArray();
        }
        return new JacobianStructure(sets, cols);
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /**
     * Fills {@code csc} (aligned with {@link #rowIndex}) with the Jacobian of the evaluator's outputs
     * with respect to inputs {@code [activeStart, activeStart + cols)}. The evaluator must be
     * linearised at the point wanted. Passive inputs get zero tangents.
     */
    void compute(TapeEvaluator ev, int activeStart, double[] csc) {
        if (columnGroups.length <= rowGroups.length) {
            for (int[] group : columnGroups) {
                ev.clearInputTangents();
                for (int j : group) ev.dot[activeStart + j] = 1.0;
                ev.tangent(true);
                for (int j : group)
                    for (int k = colStart[j]; k < colStart[j + 1]; k++) csc[k] = ev.outputTangent(rowIndex[k]);
            }
        } else {
            for (int[] group : rowGroups) {
                ev.clearAdjoints();
                for (int i : group) ev.seedOutputAdjoint(i, 1.0);
                ev.reverse(true);
                for (int i : group)
                    for (int k = rowStart[i]; k < rowStart[i + 1]; k++) csc[cscPos[k]] = ev.bar[activeStart + colIndex[k]];
            }
        }
    }

    /** This structure and the colouring {@link #compute} uses, flattened for the native replay. */
    ReplayProgram.Jacobian replayLayout() {
        boolean byColumns = columnGroups.length <= rowGroups.length;
        int[][] groups = byColumns ? columnGroups : rowGroups;
        int[] start = new int[groups.length + 1];
        for (int c = 0; c < groups.length; c++) start[c + 1] = start[c] + groups[c].length;
        int[] member = new int[start[groups.length]];
        for (int c = 0; c < groups.length; c++) System.arraycopy(groups[c], 0, member, start[c], groups[c].length);
        return new ReplayProgram.Jacobian(colStart, rowIndex, rowStart, colIndex, cscPos, byColumns, start, member);
    }

    /**
     * Greedy distance-2 colouring of the "columns" of a pattern given column-wise ({@code start/idx})
     * and row-wise ({@code tStart/tIdx}): two columns sharing a row get different colours. Called with
     * the roles swapped it colours rows.
     */
    private static int[] greedyColouring(int n, int[] start, int[] idx, int[] tStart, int[] tIdx) {
        int[] colour = new int[n];
        int[] forbidden = new int[n + 1];
        Arrays.fill(forbidden, -1);
        for (int j = 0; j < n; j++) {
            for (int k = start[j]; k < start[j + 1]; k++) {
                int r = idx[k];
                for (int l = tStart[r]; l < tStart[r + 1]; l++) {
                    int other = tIdx[l];
                    if (other < j) forbidden[colour[other]] = j;
                }
            }
            int c = 0;
            while (forbidden[c] == j) c++;
            colour[j] = c;
        }
        return colour;
    }

    private static int[][] groups(int[] colour) {
        int count = 0;
        for (int c : colour) count = Math.max(count, c + 1);
        int[] sizes = new int[count];
        for (int c : colour) sizes[c]++;
        int[][] groups = new int[count][];
        for (int c = 0; c < count; c++) groups[c] = new int[sizes[c]];
        int[] fill = new int[count];
        for (int j = 0; j < colour.length; j++) groups[colour[j]][fill[colour[j]]++] = j;
        return groups;
    }
}
