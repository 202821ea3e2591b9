package org.sundials4j.tape;

import java.util.Arrays;

/**
 * One solver's replay state: the shared read-only {@link Program} plus private work arrays (values,
 * local partials, tangents, adjoints), all indexed by slot and reused for every call. This is the
 * object that must never be shared between threads; {@link #copy()} makes another one over the same
 * program.
 *
 * <p>Re-recording: after each forward sweep the program's guards are checked. If one flipped, the
 * model is recorded again at the current inputs (through the {@link Recorder}), the new program
 * replaces the old one for this evaluator only, and {@link #rerecordCount()} goes up. The values are
 * then those of the fresh recording, so no further check is needed.
 *
 * <p>Reuse: {@link #linearize()} remembers the inputs it linearised at and does nothing when called
 * again at bit-for-bit the same inputs. The adjoint calls it that way all the time: CVODES evaluates
 * the backward RHS several times per step at one {@code (t, y(t))} (only {@code λ} changes), and the
 * backward quadrature and Jacobian at the same point again.
 */
final class TapeEvaluator {
    /** Records the model at given input values. */
    @FunctionalInterface
    interface Recorder {
        Program record(double[] inputs);
    }

    private final Recorder recorder;
    Program program;
    double[] v;
    double[] pa;
    double[] pb;
    double[] dot;
    double[] bar;
    private int rerecords;
    /** The inputs {@code pa}/{@code pb} (and {@code v}) were last linearised at; valid while {@code linearized}. */
    private double[] linearizedAt;
    private boolean linearized;
    private long linearizations;
    /** The branch held for each switch of the program ({@link Replay}), or null: selects compare. */
    private boolean[] held;

    TapeEvaluator(Recorder recorder, Program program) {
        this.recorder = recorder;
        install(program);
    }

    /** A fresh evaluator over the same program, with its own work arrays. */
    TapeEvaluator copy() {
        return new TapeEvaluator(recorder, program);
    }

    int rerecordCount() {
        return rerecords;
    }

    /** Linearising sweeps actually run (calls at the inputs of the previous one excluded). */
    long linearizationCount() {
        return linearizations;
    }

    /** Forward sweep at the inputs already in {@code v[0 .. inputCount)}, re-recording if a guard flipped. */
    void evaluate() {
        linearized = false;
        Replay.values(program, v, held);
        if (!program.guardsHold(v)) rerecord();
    }

    /**
     * {@link #evaluate()} plus the local partials needed by the derivative sweeps; a no-op when the
     * inputs in {@code v[0 .. inputCount)} are those of the previous linearisation (the sweeps only
     * write tangents and adjoints, so the values and partials of that point are still there).
     */
    void linearize() {
        int m = program.inputCount;
        if (linearized && Arrays.equals(v, 0, m, linearizedAt, 0, m)) return;
        linearizations++;
        Replay.linearize(program, v, pa, pb, held);
        if (!program.guardsHold(v)) {
            rerecord();
            Replay.linearize(program, v, pa, pb, held);
        }
        System.arraycopy(v, 0, linearizedAt, 0, m);
        linearized = true;
    }

    /**
     * Holds select {@code k}'s branch at {@code sides[k]} in every sweep from now on (one entry per
     * switch of the program), or with null lets the comparisons decide again.
     */
    void hold(boolean[] sides) {
        if (sides != null && sides.length != program.switchCount)
            throw new IllegalArgumentException("sides has " + sides.length + " entries, the recording has "
                    + program.switchCount + " switches");
        held = sides == null ? null : sides.clone();
        linearized = false;
    }

    /** Zeroes the input tangents; the caller then seeds some of them and calls {@link #tangent}. */
    void clearInputTangents() {
        Arrays.fill(dot, 0, program.inputCount, 0.0);
    }

    void tangent(boolean passiveZero) {
        Replay.tangent(program, v, pa, pb, dot, passiveZero, held);
    }

    /** Zeroes all adjoints; the caller then seeds output adjoints and calls {@link #reverse}. */
    void clearAdjoints() {
        Arrays.fill(bar, 0, program.slotCount, 0.0);
    }

    void seedOutputAdjoint(int output, double weight) {
        bar[program.outputs[output]] += weight;
    }

    void reverse(boolean skipPassive) {
        Replay.reverse(program, v, pa, pb, bar, skipPassive, held);
    }

    double output(int i) {
        return v[program.outputs[i]];
    }

    double outputTangent(int i) {
        return dot[program.outputs[i]];
    }

    private void rerecord() {
        Program fresh = recorder.record(Arrays.copyOf(v, program.inputCount));
        if (fresh.outputs.length != program.outputs.length)
            throw new IllegalStateException("re-recording produced " + fresh.outputs.length + " outputs, expected "
                    + program.outputs.length);
        rerecords++;
        install(fresh);
    }

    private void install(Program p) {
        linearized = false;
        if (linearizedAt == null || linearizedAt.length < p.inputCount) linearizedAt = new double[p.inputCount];
        if (v == null || v.length < p.slotCount) {
            v = new double[p.slotCount];
            pa = new double[p.slotCount];
            pb = new double[p.slotCount];
            dot = new double[p.slotCount];
            bar = new double[p.slotCount];
        } else {
            Arrays.fill(dot, 0.0);
            Arrays.fill(pb, 0.0); // pb of unary slots stays 0: Replay.reverse relies on it
        }
        System.arraycopy(p.template, 0, v, 0, p.slotCount);
        program = p;
    }
}
