package org.sundials4j.tape;

/**
 * The instruction set of the tape: opcodes, their values and their local partial derivatives.
 *
 * <p>Opcodes are plain {@code int}s, not an enum, so the replay loop is a {@code tableswitch} over a
 * primitive (CppAD's {@code OpCode}, CasADi's {@code Operation}). Recording and replay both evaluate
 * scalar instructions through {@link #apply}, so a replayed value is bit-for-bit the recorded one and a
 * guard that held while recording holds again on replay at the same inputs.
 *
 * <p>Scalar instructions are stored as {@code {op, out, a, b}} plus a constant {@code c}; unary and
 * constant-operand instructions set {@code b = a} so that the replay loop reads both operands without
 * branching. Opcodes at or above {@link #FIRST_SPECIAL} (select and the block operations) keep extra
 * operands in the tape's auxiliary integer array.
 *
 * <p><b>Conventions at kinks</b> (all chosen to equal the central finite difference, i.e. the mean
 * of the one-sided derivatives): {@code abs'(0) = 0}; {@code min}/{@code max} at a tie give each operand
 * 1/2; {@code hypot} at the origin and {@code atan2} at the origin give 0; {@code sign} has derivative 0
 * everywhere. Domains: {@code pow(a, b)} with {@code a < 0} is defined for integer {@code b}; its
 * derivative in {@code a} is then finite, its derivative in {@code b} is NaN (no real derivative exists);
 * at {@code a = 0} the derivative in {@code b} is taken as 0. {@code log}, {@code sqrt} at 0 give infinite
 * derivatives, as the closed forms do.
 */
final class Ops {
    private Ops() {
    }

    // Binary: two variable operands.
    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, POW = 4, ATAN2 = 5, MIN = 6, MAX = 7, HYPOT = 8;
    static final int LAST_BINARY = HYPOT;
    // One variable operand and the instruction's constant c.
    static final int ADD_C = 9, RSUB_C = 10, MUL_C = 11, DIV_C = 12, RDIV_C = 13, POW_C = 14, RPOW_C = 15;
    // Unary.
    static final int NEG = 16, EXP = 17, LOG = 18, LOG1P = 19, EXPM1 = 20, SQRT = 21, SIN = 22, COS = 23,
            TAN = 24, TANH = 25, SINH = 26, COSH = 27, ASIN = 28, ACOS = 29, ATAN = 30, ABS = 31,
            SIGMOID = 32, SOFTPLUS = 33, SQUARE = 34, SIGN = 35;
    static final int LAST_SCALAR = SIGN;

    /** First opcode whose operands do not fit {@code {out, a, b, c}}. */
    static final int FIRST_SPECIAL = 64;
    /**
     * {@code out = cmp(l, r) ? t : f}; {@code a} points to aux {@code [l, r, t, f, k]}, {@code b} is the
     * comparison, {@code k} the switch (the distinct {@code (l, r)} pair) whose held branch replaces
     * the comparison when the replay holds branches.
     */
    static final int SELECT = 64;
    /** Copies scattered slots into a contiguous range; aux {@code [len, src...]}. */
    static final int PACK = 65;
    /** {@code out = Σ x_i y_i}; aux {@code [len, xStart, yStart]}. */
    static final int DOT = 66;
    /** {@code out = W x (+ bias)}, W row-major m×n; aux {@code [m, n, wStart, xStart, biasStart|-1, passiveW]}. */
    static final int MATVEC = 67;
    /** {@code out = Wᵀ x}, W row-major m×n, x of length m; aux as {@link #MATVEC} with no bias. */
    static final int MATVEC_T = 68;
    /** Element-wise unary opcode over a contiguous range; aux {@code [len, xStart, unaryOp]}. */
    static final int ACT = 69;

    /** Comparison codes of {@link #SELECT} and of guards. */
    static final int CMP_GT = 0, CMP_GE = 1;

    static boolean compare(int cmp, double l, double r) {
        return cmp == CMP_GT ? l > r : l >= r;
    }

    static boolean isUnary(int op) {
        return op >= NEG && op <= LAST_SCALAR;
    }

    /**
     * The value of a scalar instruction. Arithmetic is handled here and everything else in
     * {@link #applyFunction}, which keeps this method small enough for the JIT to inline into the
     * replay loop (a call costs about as much as an addition; it is noise next to {@code Math.exp}).
     */
    static double apply(int op, double a, double b, double c) {
        switch (op) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case ADD_C: return a + c;
            case RSUB_C: return c - a;
            case MUL_C: return a * c;
            case DIV_C: return a / c;
            case RDIV_C: return c / a;
            case NEG: return -a;
            case SQUARE: return a * a;
            default: return applyFunction(op, a, b, c);
        }
    }

    private static double applyFunction(int op, double a, double b, double c) {
        switch (op) {
            case POW: return Math.pow(a, b);
            case ATAN2: return Math.atan2(a, b);
            case MIN: return Math.min(a, b);
            case MAX: return Math.max(a, b);
            case HYPOT: return Math.hypot(a, b);
            case POW_C: return Math.pow(a, c);
            case RPOW_C: return Math.pow(c, a);
            case EXP: return Math.exp(a);
            case LOG: return Math.log(a);
            case LOG1P: return Math.log1p(a);
            case EXPM1: return Math.expm1(a);
            case SQRT: return Math.sqrt(a);
            case SIN: return Math.sin(a);
            case COS: return Math.cos(a);
            case TAN: return Math.tan(a);
            case TANH: return Math.tanh(a);
            case SINH: return Math.sinh(a);
            case COSH: return Math.cosh(a);
            case ASIN: return Math.asin(a);
            case ACOS: return Math.acos(a);
            case ATAN: return Math.atan(a);
            case ABS: return Math.abs(a);
            case SIGMOID: return sigmoid(a);
            case SOFTPLUS: return Math.max(a, 0.0) + Math.log1p(Math.exp(-Math.abs(a)));
            case SIGN: return Math.signum(a);
            default: throw new IllegalStateException("not a scalar opcode: " + op);
        }
    }

    /**
     * Value and local partials of a scalar instruction in one dispatch, into {@code v[out]},
     * {@code pa[out]} and {@code pb[out]} ({@code pb} only for binary opcodes). The arithmetic cases
     * repeat the expressions of {@link #apply}, {@link #partialA} and {@link #partialB} (so results are
     * bit-for-bit theirs); every other opcode goes through those three.
     */
    static void linearize(int op, double a, double b, double c, double[] v, double[] pa, double[] pb, int out) {
        switch (op) {
            case ADD: v[out] = a + b; pa[out] = 1.0; pb[out] = 1.0; return;
            case SUB: v[out] = a - b; pa[out] = 1.0; pb[out] = -1.0; return;
            case MUL: v[out] = a * b; pa[out] = b; pb[out] = a; return;
            case ADD_C: v[out] = a + c; pa[out] = 1.0; return;
            case MUL_C: v[out] = a * c; pa[out] = c; return;
            case NEG: v[out] = -a; pa[out] = -1.0; return;
            default: {
                double r = apply(op, a, b, c);
                v[out] = r;
                pa[out] = partialA(op, a, b, c, r);
                if (op <= LAST_BINARY) pb[out] = partialB(op, a, b, r);
            }
        }
    }

    /** {@code ∂out/∂a} of a scalar instruction whose value is {@code r}; split like {@link #apply}. */
    static double partialA(int op, double a, double b, double c, double r) {
        switch (op) {
            case ADD: case SUB: case ADD_C: return 1.0;
            case MUL: return b;
            case DIV: return 1.0 / b;
            case RSUB_C: case NEG: return -1.0;
            case MUL_C: return c;
            case DIV_C: return 1.0 / c;
            case RDIV_C: return -r / a;
            case SQUARE: return 2.0 * a;
            case EXP: return r;
            case TANH: return 1.0 - r * r;
            case SIGMOID: return r * (1.0 - r);
            default: return partialOfFunction(op, a, b, c, r);
        }
    }

    private static double partialOfFunction(int op, double a, double b, double c, double r) {
        switch (op) {
            case POW: return b == 0 ? 0.0 : b * Math.pow(a, b - 1);
            case ATAN2: { double s = a * a + b * b; return s == 0 ? 0.0 : b / s; }
            case MIN: return a < b ? 1.0 : a > b ? 0.0 : 0.5;
            case MAX: return a > b ? 1.0 : a < b ? 0.0 : 0.5;
            case HYPOT: return r == 0 ? 0.0 : a / r;
            case POW_C: return c == 0 ? 0.0 : c * Math.pow(a, c - 1);
            case RPOW_C: return r * Math.log(c);
            case LOG: return 1.0 / a;
            case LOG1P: return 1.0 / (1.0 + a);
            case EXPM1: return r + 1.0;
            case SQRT: return 0.5 / r;
            case SIN: return Math.cos(a);
            case COS: return -Math.sin(a);
            case TAN: return 1.0 + r * r;
            case SINH: return Math.cosh(a);
            case COSH: return Math.sinh(a);
            case ASIN: return 1.0 / Math.sqrt(1.0 - a * a);
            case ACOS: return -1.0 / Math.sqrt(1.0 - a * a);
            case ATAN: return 1.0 / (1.0 + a * a);
            case ABS: return Math.signum(a);
            case SOFTPLUS: return sigmoid(a);
            case SIGN: return 0.0;
            default: throw new IllegalStateException("not a scalar opcode: " + op);
        }
    }

    /** {@code ∂out/∂b} of a binary instruction ({@code op <= LAST_BINARY}) whose value is {@code r}. */
    static double partialB(int op, double a, double b, double r) {
        switch (op) {
            case ADD: return 1.0;
            case SUB: return -1.0;
            case MUL: return a;
            case DIV: return -r / b;
            case POW: return a == 0 ? 0.0 : r * Math.log(a);
            case ATAN2: { double s = a * a + b * b; return s == 0 ? 0.0 : -a / s; }
            case MIN: return b < a ? 1.0 : b > a ? 0.0 : 0.5;
            case MAX: return b > a ? 1.0 : b < a ? 0.0 : 0.5;
            case HYPOT: return r == 0 ? 0.0 : b / r;
            default: throw new IllegalStateException("not a binary opcode: " + op);
        }
    }

    /** Logistic function, evaluated without overflow for large |a|. */
    static double sigmoid(double a) {
        if (a >= 0) return 1.0 / (1.0 + Math.exp(-a));
        double e = Math.exp(a);
        return e / (1.0 + e);
    }

    /** Human-readable name, for error messages and {@link Program#toString()}. */
    static String name(int op) {
        String[] scalar = {"add", "sub", "mul", "div", "pow", "atan2", "min", "max", "hypot",
                "add_c", "rsub_c", "mul_c", "div_c", "rdiv_c", "pow_c", "rpow_c",
                "neg", "exp", "log", "log1p", "expm1", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh",
                "asin", "acos", "atan", "abs", "sigmoid", "softplus", "square", "sign"};
        if (op >= 0 && op <= LAST_SCALAR) return scalar[op];
        String[] special = {"select", "pack", "dot", "matvec", "matvec_t", "act"};
        int s = op - FIRST_SPECIAL;
        return s >= 0 && s < special.length ? special[s] : "op" + op;
    }
}
