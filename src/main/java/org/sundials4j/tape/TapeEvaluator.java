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

    /** Forward sweep at the inputs already in {@code v[0 .. inputCount)}, re-recording if a guard flipped. */
    void evaluate() {
        Replay.values(program, v);
        if (!program.guardsHold(v)) rerecord();
    }

    /** {@link #evaluate()} plus the local partials needed by the derivative sweeps. */
    void linearize() {
        Replay.linearize(program, v, pa, pb);
        if (!program.guardsHold(v)) {
            rerecord();
            Replay.linearize(program, v, pa, pb);
        }
    }

    /** Zeroes the input tangents; the caller then seeds some of them and calls {@link #tangent}. */
    void clearInputTangents() {
        Arrays.fill(dot, 0, program.inputCount, 0.0);
    }

    void tangent(boolean passiveZero) {
        Replay.tangent(program, v, pa, pb, dot, passiveZero);
    }

    /** Zeroes all adjoints; the caller then seeds output adjoints and calls {@link #reverse}. */
    void clearAdjoints() {
        Arrays.fill(bar, 0, program.slotCount, 0.0);
    }

    void seedOutputAdjoint(int output, double weight) {
        bar[program.outputs[output]] += weight;
    }

    void reverse(boolean skipPassive) {
        Replay.reverse(program, v, pa, pb, bar, skipPassive);
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
        if (v == null || v.length < p.slotCount) {
            v = new double[p.slotCount];
            pa = new double[p.slotCount];
            pb = new double[p.slotCount];
            dot = new double[p.slotCount];
            bar = new double[p.slotCount];
        } else {
            Arrays.fill(dot, 0.0);
        }
        System.arraycopy(p.template, 0, v, 0, p.slotCount);
        program = p;
    }
}
