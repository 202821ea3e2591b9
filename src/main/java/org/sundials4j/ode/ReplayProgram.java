package org.sundials4j.ode;

/**
 * A recording as flat arrays, for the native replay of the solver's callbacks (the tape hands it
 * over; users never make or read one). The layout is that of {@code org.sundials4j.tape.Program}:
 * inputs {@code t, y, p} in slots {@code [0, 1 + n + np)}, instruction {@code k} at
 * {@code code[4k .. 4k+3] = {op, out, a, b}} with constant {@code constants[k]}, block operands in
 * {@code aux}, outputs by slot, guards as {@code (l, r, cmp | outcome << 1)} triples, and the slot
 * values of the recording in {@code template}. The arrays are shared, never copied: whoever makes
 * one promises not to change them.
 *
 * @param jacobian the structure of {@code ∂f/∂y} and its colouring, or null (integrands)
 */
public record ReplayProgram(int inputCount, int slotCount, int[] code, double[] constants, int[] aux, int[] outputs,
                            int[] guards, double[] template, Jacobian jacobian) {

    /**
     * The structural nonzeros of {@code ∂f/∂y} in CSC ({@code colStart}, {@code rowIndex}) and CSR
     * ({@code rowStart}, {@code colIndex}, {@code cscPos} mapping CSR entries to CSC positions), and the
     * colouring that computes them: one tangent sweep per column group ({@code byColumns}) or one
     * reverse sweep per row group; members of group {@code c} are
     * {@code groupMember[groupStart[c] .. groupStart[c+1])}.
     */
    public record Jacobian(int[] colStart, int[] rowIndex, int[] rowStart, int[] colIndex, int[] cscPos,
                           boolean byColumns, int[] groupStart, int[] groupMember) {}

    public int instructionCount() {
        return constants.length;
    }

    /** What a model or integrand implements to have its evaluations replayed natively. */
    public interface Source {
        /**
         * The current recording, or null when none exists yet or it cannot be replayed natively.
         * Returns the same object as long as the recording is the same.
         */
        ReplayProgram replayProgram();
    }
}
