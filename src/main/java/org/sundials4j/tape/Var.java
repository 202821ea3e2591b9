package org.sundials4j.tape;

/**
 * A scalar on a {@link Tape}: every operation records one instruction and returns a new variable.
 * Variables are immutable handles (a tape and a slot); they are only valid while their tape records.
 *
 * <p>Method names follow Kotlin's operator conventions ({@code plus minus times div}), so Kotlin code
 * can write {@code a + b * 2.0} on variables without any glue; see the package documentation for the
 * extension functions that add {@code -a}, {@code 2.0 * a} and friends.
 *
 * <p>Comparisons come in two kinds. {@link #gt}, {@link #lt}, {@link #ge}, {@link #le} return a Java
 * {@code boolean} for an {@code if}: the outcome is kept as a guard, and replay re-records the model
 * when a guard flips. {@link #isGreaterThan} and friends return a {@link Condition} whose
 * {@link Condition#select} records a branch-free choice that replays without re-recording.
 */
public final class Var {
    final Tape tape;
    final int slot;

    Var(Tape tape, int slot) {
        this.tape = tape;
        this.slot = slot;
    }

    /** The tape this variable is recorded on. */
    public Tape tape() {
        return tape;
    }

    /**
     * The value at the recording point. Branching on it directly bypasses the guards: the branch is
     * then frozen into the recording. Use {@link #gt} and friends, or {@link Condition#select}.
     */
    public double value() {
        return tape.value(slot);
    }

    // ---------------------------------------------------------------- arithmetic

    public Var plus(Var o) { return tape.binary(Ops.ADD, this, o); }
    public Var plus(double c) { return c == 0 ? this : tape.withConstant(Ops.ADD_C, this, c); }
    public Var minus(Var o) { return tape.binary(Ops.SUB, this, o); }
    public Var minus(double c) { return c == 0 ? this : tape.withConstant(Ops.ADD_C, this, -c); }
    public Var times(Var o) { return tape.binary(Ops.MUL, this, o); }
    public Var times(double c) { return c == 1 ? this : tape.withConstant(Ops.MUL_C, this, c); }
    public Var div(Var o) { return tape.binary(Ops.DIV, this, o); }
    public Var div(double c) { return c == 1 ? this : tape.withConstant(Ops.DIV_C, this, c); }
    public Var neg() { return tape.unary(Ops.NEG, this); }
    /** Kotlin's name for {@link #neg}, so {@code -x} works on variables. */
    public Var unaryMinus() { return neg(); }
    /** {@code c - this}. */
    public Var rminus(double c) { return tape.withConstant(Ops.RSUB_C, this, c); }
    /** {@code c / this}. */
    public Var rdiv(double c) { return tape.withConstant(Ops.RDIV_C, this, c); }

    /** {@code this^e}; a negative base is allowed when the exponent's value is an integer. */
    public Var pow(Var e) { return tape.binary(Ops.POW, this, e); }

    /** {@code this^c}; {@code c = 2} is recorded as a square, {@code c = 1} as the variable itself. */
    public Var pow(double c) {
        if (c == 1) return this;
        if (c == 2) return square();
        return tape.withConstant(Ops.POW_C, this, c);
    }

    /** {@code c^this}. */
    public Var rpow(double c) { return tape.withConstant(Ops.RPOW_C, this, c); }

    public Var square() { return tape.unary(Ops.SQUARE, this); }
    public Var exp() { return tape.unary(Ops.EXP, this); }
    public Var log() { return tape.unary(Ops.LOG, this); }
    public Var log1p() { return tape.unary(Ops.LOG1P, this); }
    public Var expm1() { return tape.unary(Ops.EXPM1, this); }
    public Var sqrt() { return tape.unary(Ops.SQRT, this); }
    public Var sin() { return tape.unary(Ops.SIN, this); }
    public Var cos() { return tape.unary(Ops.COS, this); }
    public Var tan() { return tape.unary(Ops.TAN, this); }
    public Var tanh() { return tape.unary(Ops.TANH, this); }
    public Var sinh() { return tape.unary(Ops.SINH, this); }
    public Var cosh() { return tape.unary(Ops.COSH, this); }
    public Var asin() { return tape.unary(Ops.ASIN, this); }
    public Var acos() { return tape.unary(Ops.ACOS, this); }
    public Var atan() { return tape.unary(Ops.ATAN, this); }
    /** {@code |this|}; derivative 0 at 0 (mean of the one-sided derivatives). */
    public Var abs() { return tape.unary(Ops.ABS, this); }
    /** {@code signum(this)}; derivative 0 everywhere. */
    public Var signum() { return tape.unary(Ops.SIGN, this); }
    public Var sigmoid() { return tape.unary(Ops.SIGMOID, this); }
    /** {@code log(1 + e^this)}, evaluated without overflow. */
    public Var softplus() { return tape.unary(Ops.SOFTPLUS, this); }

    /** {@code atan2(this, x)}: the angle of the point {@code (x, this)}. */
    public Var atan2(Var x) { return tape.binary(Ops.ATAN2, this, x); }
    public Var atan2(double x) { return atan2(tape.constant(x)); }
    /** Minimum; at a tie each operand gets derivative 1/2. */
    public Var min(Var o) { return tape.binary(Ops.MIN, this, o); }
    public Var min(double c) { return min(tape.constant(c)); }
    /** Maximum; at a tie each operand gets derivative 1/2. */
    public Var max(Var o) { return tape.binary(Ops.MAX, this, o); }
    public Var max(double c) { return max(tape.constant(c)); }
    /** {@code sqrt(this² + o²)} without overflow; derivative 0 at the origin. */
    public Var hypot(Var o) { return tape.binary(Ops.HYPOT, this, o); }
    public Var hypot(double c) { return hypot(tape.constant(c)); }

    // ---------------------------------------------------------------- guarded comparisons

    /** {@code this > o}, kept as a guard (see the class comment). */
    public boolean gt(Var o) { return isGreaterThan(o).holds(); }
    public boolean gt(double c) { return isGreaterThan(c).holds(); }
    /** {@code this < o}, kept as a guard. */
    public boolean lt(Var o) { return isLessThan(o).holds(); }
    public boolean lt(double c) { return isLessThan(c).holds(); }
    /** {@code this >= o}, kept as a guard. */
    public boolean ge(Var o) { return isGreaterOrEqual(o).holds(); }
    public boolean ge(double c) { return isGreaterOrEqual(c).holds(); }
    /** {@code this <= o}, kept as a guard. */
    public boolean le(Var o) { return isLessOrEqual(o).holds(); }
    public boolean le(double c) { return isLessOrEqual(c).holds(); }

    // ---------------------------------------------------------------- conditions for select

    public Condition isGreaterThan(Var o) { return new Condition(Ops.CMP_GT, this, tape.own(o, "o", 0)); }
    public Condition isGreaterThan(double c) { return isGreaterThan(tape.constant(c)); }
    public Condition isGreaterOrEqual(Var o) { return new Condition(Ops.CMP_GE, this, tape.own(o, "o", 0)); }
    public Condition isGreaterOrEqual(double c) { return isGreaterOrEqual(tape.constant(c)); }
    public Condition isLessThan(Var o) { return tape.own(o, "o", 0).isGreaterThan(this); }
    public Condition isLessThan(double c) { return tape.constant(c).isGreaterThan(this); }
    public Condition isLessOrEqual(Var o) { return tape.own(o, "o", 0).isGreaterOrEqual(this); }
    public Condition isLessOrEqual(double c) { return tape.constant(c).isGreaterOrEqual(this); }

    @Override
    public String toString() {
        return "Var[slot " + slot + " = " + tape.value(slot) + "]";
    }
}
