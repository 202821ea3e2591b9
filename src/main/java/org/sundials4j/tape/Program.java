package org.sundials4j.tape;

import org.sundials4j.ode.ReplayProgram;

/**
 * A finished recording: flat primitive arrays, immutable, shared read-only by every solver that
 * replays it (each keeps its own work arrays, see {@link TapeEvaluator}).
 *
 * <p>Layout. Slots {@code [0, inputCount)} are the inputs; every instruction {@code k} is
 * {@code code[4k .. 4k+3] = {op, out, a, b}} with constant {@code cst[k]} (see {@link Ops});
 * {@code outputs[i]} is the slot holding output {@code i}. {@code template} holds the values of the
 * recording, so constants need no instruction: they are copied into a work array once.
 *
 * <p>A recording is valid as long as its {@code guards} hold: triples {@code (l, r, cmp|outcome<<1)}
 * saying that {@code cmp(v[l], v[r])} had the given outcome. Nothing else invalidates it; in
 * particular {@link Condition#select} branches are decided at every replay, or held fixed by the
 * replay's branch vector (a piecewise ODE within one segment between switches, see {@link Replay}).
 */
final class Program {
    final int inputCount;
    final int passiveStart;
    final int passiveEnd;
    final int slotCount;
    final int instructionCount;
    final int[] code;
    final double[] cst;
    final int[] aux;
    final int[] outputs;
    final int[] guards;
    final double[] template;
    /** Distinct comparisons of its selects (the switches; aux {@code [l, r, t, f, switch]} of a select). */
    final int switchCount;

    Program(int inputCount, int passiveStart, int passiveEnd, int slotCount, int[] code, double[] cst,
            int[] aux, int[] outputs, int[] guards, double[] template, int switchCount) {
        this.switchCount = switchCount;
        this.inputCount = inputCount;
        this.passiveStart = passiveStart;
        this.passiveEnd = passiveEnd;
        this.slotCount = slotCount;
        this.instructionCount = cst.length;
        this.code = code;
        this.cst = cst;
        this.aux = aux;
        this.outputs = outputs;
        this.guards = guards;
        this.template = template;
    }

    /** Whether every guard has the outcome it had while recording, at the values {@code v}. */
    boolean guardsHold(double[] v) {
        for (int g = 0; g < guards.length; g += 3) {
            int kind = guards[g + 2];
            boolean expected = (kind & 2) != 0;
            if (Ops.compare(kind & 1, v[guards[g]], v[guards[g + 1]]) != expected) return false;
        }
        return true;
    }

    /** The arrays as the native replay takes them (shared, not copied: a program never changes). */
    ReplayProgram toReplay(JacobianStructure structure) {
        return new ReplayProgram(inputCount, slotCount, code, cst, aux, outputs, guards, template,
                structure == null ? null : structure.replayLayout());
    }

    int guardCount() {
        return guards.length / 3;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Program[inputs=").append(inputCount).append(", slots=")
                .append(slotCount).append(", instructions=").append(instructionCount).append(", guards=")
                .append(guardCount()).append("]");
        for (int k = 0; k < instructionCount && k < 200; k++) {
            sb.append("\n  v").append(code[4 * k + 1]).append(" = ").append(Ops.name(code[4 * k]))
                    .append('(').append(code[4 * k + 2]).append(", ").append(code[4 * k + 3]);
            if (code[4 * k] < Ops.FIRST_SPECIAL && cst[k] != 0) sb.append(", c=").append(cst[k]);
            sb.append(')');
        }
        return sb.toString();
    }
}
