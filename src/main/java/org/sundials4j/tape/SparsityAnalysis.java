package org.sundials4j.tape;

import java.util.Arrays;

/**
 * Reads the structural dependence of each output on a range of inputs off a {@link Program}, by
 * propagating index sets forward through the instructions. "Structural" means: both branches of a
 * {@code select} and both operands of {@code min}/{@code max}/{@code abs} count, so the pattern holds
 * at every point where the same program replays (guarded branches are a different program).
 */
final class SparsityAnalysis {
    private final int[] mark;
    private int stamp;
    private int[] buffer;

    private SparsityAnalysis(int activeCount) {
        mark = new int[activeCount];
        buffer = new int[Math.max(16, activeCount)];
    }

    /**
     * For each output, the sorted indices {@code j} of the inputs {@code activeStart + j} it depends on.
     */
    static int[][] outputDependencies(Program p, int activeStart, int activeCount) {
        return new SparsityAnalysis(activeCount).run(p, activeStart, activeCount);
    }

    private int[][] run(Program p, int activeStart, int activeCount) {
        int[][] sets = new int[p.slotCount][];
        for (int j = 0; j < activeCount; j++) sets[activeStart + j] = new int[]{j};
        int[] code = p.code, aux = p.aux;
        for (int q = 0; q < 4 * p.instructionCount; q += 4) {
            int op = code[q], out = code[q + 1], a = code[q + 2], b = code[q + 3];
            if (op < Ops.FIRST_SPECIAL) {
                sets[out] = op <= Ops.LAST_BINARY ? union(sets[a], sets[b]) : sets[a];
                continue;
            }
            switch (op) {
                case Ops.SELECT -> sets[out] = union(sets[aux[a + 2]], sets[aux[a + 3]]);
                case Ops.PACK -> {
                    for (int i = 0; i < aux[a]; i++) sets[out + i] = sets[aux[a + 1 + i]];
                }
                case Ops.DOT -> {
                    begin();
                    addRange(sets, aux[a + 1], aux[a]);
                    addRange(sets, aux[a + 2], aux[a]);
                    sets[out] = end();
                }
                case Ops.MATVEC, Ops.MATVEC_T -> {
                    int m = aux[a], n = aux[a + 1], bias = aux[a + 4];
                    boolean tr = op == Ops.MATVEC_T;
                    begin();
                    addRange(sets, aux[a + 2], m * n);
                    addRange(sets, aux[a + 3], tr ? m : n);
                    int[] shared = end();
                    for (int i = 0; i < (tr ? n : m); i++)
                        sets[out + i] = bias < 0 ? shared : union(shared, sets[bias + i]);
                }
                case Ops.ACT -> {
                    for (int i = 0; i < aux[a]; i++) sets[out + i] = sets[aux[a + 1] + i];
                }
                default -> throw new IllegalStateException("unknown opcode " + op);
            }
        }
        int[][] rows = new int[p.outputs.length][];
        for (int i = 0; i < rows.length; i++) {
            int[] s = sets[p.outputs[i]];
            rows[i] = s == null ? new int[0] : s;
        }
        return rows;
    }

    /** Sorted union; shares an operand when the other is empty or equal. */
    private static int[] union(int[] x, int[] y) {
        if (x == null || x.length == 0 || x == y) return y == null ? x : y;
        if (y == null || y.length == 0) return x;
        int[] out = new int[x.length + y.length];
        int i = 0, j = 0, k = 0;
        while (i < x.length && j < y.length) {
            if (x[i] < y[j]) out[k++] = x[i++];
            else if (x[i] > y[j]) out[k++] = y[j++];
            else { out[k++] = x[i++]; j++; }
        }
        while (i < x.length) out[k++] = x[i++];
        while (j < y.length) out[k++] = y[j++];
        if (k == x.length) return x;
        if (k == y.length) return y;
        return Arrays.copyOf(out, k);
    }

    private int count;

    private void begin() {
        stamp++;
        count = 0;
    }

    private void addRange(int[][] sets, int start, int len) {
        for (int s = start; s < start + len; s++) {
            int[] set = sets[s];
            if (set == null) continue;
            for (int j : set) {
                if (mark[j] == stamp) continue;
                mark[j] = stamp;
                if (count == buffer.length) buffer = Arrays.copyOf(buffer, 2 * count);
                buffer[count++] = j;
            }
        }
    }

    private int[] end() {
        int[] out = Arrays.copyOf(buffer, count);
        Arrays.sort(out);
        return out;
    }
}
