package org.sundials4j.tape;

/**
 * The sweeps over a {@link Program}: loops over flat arrays with a {@code switch}, allocating nothing.
 * All state lives in caller-supplied arrays indexed by slot, so one program can be replayed by many
 * threads at once, each with its own arrays.
 *
 * <p>Derivatives use a linearised tape: {@link #linearize} stores each scalar instruction's local
 * partials ({@code pa}, {@code pb}, indexed by output slot) once per point; {@link #tangent} and
 * {@link #reverse} then only multiply and add, without re-evaluating transcendental functions. That
 * makes each extra Jacobian colour (a tangent sweep) cheap. Both sweeps skip zero operands, so an
 * infinite local partial (e.g. {@code sqrt} at 0) whose operand does not depend on the seeded
 * direction contributes 0 rather than NaN, and the unselected branch of a {@code select} never leaks
 * NaN into adjoints.
 *
 * <p><b>Held branches.</b> Every sweep takes a branch vector {@code held}: null decides each select
 * by its comparison, as recorded; otherwise select {@code k}'s switch takes the branch
 * {@code held[k]} (true: the comparison's "true" side, {@code lhs > rhs}) whatever the values. A
 * piecewise ODE is replayed that way between two switches, so that every evaluation of one segment
 * (also those CVODES makes beyond a switch before locating it) follows one smooth branch.
 */
final class Replay {
    private Replay() {
    }

    /** Forward sweep: {@code v} holds the inputs and constants on entry, every slot on return. */
    static void values(Program p, double[] v, boolean[] held) {
        final int[] code = p.code;
        final double[] cst = p.cst;
        final int n = p.instructionCount;
        for (int k = 0, q = 0; k < n; k++, q += 4) {
            int op = code[q];
            if (op < Ops.FIRST_SPECIAL) v[code[q + 1]] = Ops.apply(op, v[code[q + 2]], v[code[q + 3]], cst[k]);
            else specialValues(p.aux, op, code[q + 1], code[q + 2], code[q + 3], v, held);
        }
    }

    private static void specialValues(int[] aux, int op, int out, int ptr, int b, double[] v, boolean[] held) {
        switch (op) {
            case Ops.SELECT:
                select(aux, ptr, b, v, v, out, held);
                break;
            case Ops.PACK:
                pack(aux, ptr, v, out);
                break;
            case Ops.DOT: {
                int len = aux[ptr], x = aux[ptr + 1], y = aux[ptr + 2];
                double acc = 0;
                for (int i = 0; i < len; i++) acc += v[x + i] * v[y + i];
                v[out] = acc;
                break;
            }
            case Ops.MATVEC:
            case Ops.MATVEC_T:
                matvecValues(op == Ops.MATVEC_T, aux[ptr], aux[ptr + 1], v, aux[ptr + 2], aux[ptr + 3], aux[ptr + 4], out);
                break;
            case Ops.ACT: {
                int len = aux[ptr], x = aux[ptr + 1], f = aux[ptr + 2];
                for (int i = 0; i < len; i++) v[out + i] = Ops.apply(f, v[x + i], 0, 0);
                break;
            }
            default:
                throw new IllegalStateException("unknown opcode " + op);
        }
    }

    /** {@code x[out] = cmp(v[l], v[r]) ? x[t] : x[f]}: values (x = v) and tangents (x = dot) alike. */
    private static void select(int[] aux, int ptr, int cmp, double[] v, double[] x, int out, boolean[] held) {
        x[out] = x[branch(aux, ptr, cmp, v, held)];
    }

    /** The slot a select passes on: its true or false operand, by comparison or by the held branch. */
    static int branch(int[] aux, int ptr, int cmp, double[] v, boolean[] held) {
        boolean side = held == null ? Ops.compare(cmp, v[aux[ptr]], v[aux[ptr + 1]]) : held[aux[ptr + 4]];
        return side ? aux[ptr + 2] : aux[ptr + 3];
    }

    /** Gathers {@code x[src_i]} into {@code x[out + i]}: values and tangents alike. */
    private static void pack(int[] aux, int ptr, double[] x, int out) {
        int len = aux[ptr];
        for (int i = 0; i < len; i++) x[out + i] = x[aux[ptr + 1 + i]];
    }

    /**
     * {@code out = W x + bias} or {@code out = Wᵀ x} over slots of {@code v}; W is m×n row-major at
     * {@code w}; {@code bias < 0} means none. Also used for tangents and adjoints (with other arrays).
     */
    static void matvecValues(boolean transposed, int m, int n, double[] v, int w, int x, int bias, int out) {
        matvec(transposed, m, n, v, w, v, x, bias < 0 ? null : v, bias, v, out, false);
    }

    /**
     * {@code dst[out..] (+)= W x (+ bias)} or {@code Wᵀ x}, with W read from {@code wa}, x from
     * {@code xa}, bias from {@code ba}; {@code accumulate} adds instead of assigning.
     */
    static void matvec(boolean transposed, int m, int n, double[] wa, int w, double[] xa, int x,
                       double[] ba, int bias, double[] dst, int out, boolean accumulate) {
        if (!transposed) {
            for (int i = 0; i < m; i++) {
                double acc = ba == null ? 0.0 : ba[bias + i];
                int row = w + i * n;
                for (int j = 0; j < n; j++) acc += wa[row + j] * xa[x + j];
                dst[out + i] = accumulate ? dst[out + i] + acc : acc;
            }
        } else {
            if (!accumulate) for (int j = 0; j < n; j++) dst[out + j] = 0.0;
            for (int i = 0; i < m; i++) {
                double xi = xa[x + i];
                if (xi == 0) continue;
                int row = w + i * n;
                for (int j = 0; j < n; j++) dst[out + j] += wa[row + j] * xi;
            }
        }
    }

    /**
     * Forward sweep that also stores the local partials of every scalar (and element-wise)
     * instruction, in one pass: the operands are loaded once for both.
     */
    static void linearize(Program p, double[] v, double[] pa, double[] pb, boolean[] held) {
        final int[] code = p.code;
        final double[] cst = p.cst;
        final int n = p.instructionCount;
        for (int k = 0, q = 0; k < n; k++, q += 4) {
            int op = code[q], out = code[q + 1];
            if (op < Ops.FIRST_SPECIAL) {
                Ops.linearize(op, v[code[q + 2]], v[code[q + 3]], cst[k], v, pa, pb, out);
            } else {
                int ptr = code[q + 2];
                specialValues(p.aux, op, out, ptr, code[q + 3], v, held);
                if (op == Ops.ACT) {
                    int len = p.aux[ptr], x = p.aux[ptr + 1], f = p.aux[ptr + 2];
                    for (int i = 0; i < len; i++) pa[out + i] = Ops.partialA(f, v[x + i], 0, 0, v[out + i]);
                }
            }
        }
    }

    /**
     * Forward (tangent) sweep: {@code dot} holds input tangents on entry, every slot's tangent on
     * return. With {@code passiveZero} the tangents of passive inputs are promised to be zero, so the
     * {@code Ẇ x} term of block products over passive matrices is skipped.
     */
    static void tangent(Program p, double[] v, double[] pa, double[] pb, double[] dot, boolean passiveZero, boolean[] held) {
        final int[] code = p.code;
        final int n = p.instructionCount;
        for (int q = 0; q < 4 * n; q += 4) {
            int op = code[q], out = code[q + 1];
            if (op < Ops.FIRST_SPECIAL) {
                double da = dot[code[q + 2]];
                double t = da == 0 ? 0.0 : pa[out] * da;
                if (op <= Ops.LAST_BINARY) {
                    double db = dot[code[q + 3]];
                    if (db != 0) t += pb[out] * db;
                }
                dot[out] = t;
            } else {
                specialTangent(p.aux, op, out, code[q + 2], code[q + 3], v, pa, dot, passiveZero, held);
            }
        }
    }

    private static void specialTangent(int[] aux, int op, int out, int ptr, int b, double[] v, double[] pa,
                                       double[] dot, boolean passiveZero, boolean[] held) {
        switch (op) {
            case Ops.SELECT:
                select(aux, ptr, b, v, dot, out, held);
                break;
            case Ops.PACK:
                pack(aux, ptr, dot, out);
                break;
            case Ops.DOT: {
                int len = aux[ptr], x = aux[ptr + 1], y = aux[ptr + 2];
                double acc = 0;
                for (int i = 0; i < len; i++) acc += dot[x + i] * v[y + i] + v[x + i] * dot[y + i];
                dot[out] = acc;
                break;
            }
            case Ops.MATVEC:
            case Ops.MATVEC_T: {
                boolean tr = op == Ops.MATVEC_T;
                int m = aux[ptr], n = aux[ptr + 1], w = aux[ptr + 2], x = aux[ptr + 3], bias = aux[ptr + 4];
                // d(W x + b) = W ẋ + Ẇ x + ḃ
                matvec(tr, m, n, v, w, dot, x, bias < 0 ? null : dot, bias, dot, out, false);
                if (!(passiveZero && aux[ptr + 5] == 1))
                    matvec(tr, m, n, dot, w, v, x, null, -1, dot, out, true);
                break;
            }
            case Ops.ACT: {
                int len = aux[ptr], x = aux[ptr + 1];
                for (int i = 0; i < len; i++) {
                    double d = dot[x + i];
                    dot[out + i] = d == 0 ? 0.0 : pa[out + i] * d;
                }
                break;
            }
            default:
                throw new IllegalStateException("unknown opcode " + op);
        }
    }

    /**
     * Reverse (adjoint) sweep: {@code bar} holds output adjoints on entry (zero elsewhere) and
     * accumulates every slot's adjoint. With {@code skipPassive} adjoints of passive matrices in block
     * products are not formed (only state adjoints are wanted, as for a Jacobian row).
     */
    static void reverse(Program p, double[] v, double[] pa, double[] pb, double[] bar, boolean skipPassive, boolean[] held) {
        final int[] code = p.code;
        for (int q = 4 * p.instructionCount - 4; q >= 0; q -= 4) {
            int op = code[q], out = code[q + 1];
            if (op < Ops.FIRST_SPECIAL) {
                double g = bar[out];
                if (g == 0) continue;
                // Unary and constant-operand instructions have b = a and pb = 0 (never written), so the
                // second update adds ±0 to an adjoint that is never -0 (adjoints start at +0 and are
                // only summed): a no-op for finite g that spares a branch on the opcode.
                bar[code[q + 2]] += pa[out] * g;
                bar[code[q + 3]] += pb[out] * g;
            } else {
                specialReverse(p.aux, op, out, code[q + 2], code[q + 3], v, pa, bar, skipPassive, held);
            }
        }
    }

    private static void specialReverse(int[] aux, int op, int out, int ptr, int b, double[] v, double[] pa,
                                       double[] bar, boolean skipPassive, boolean[] held) {
        switch (op) {
            case Ops.SELECT: {
                double g = bar[out];
                if (g != 0) bar[branch(aux, ptr, b, v, held)] += g;
                break;
            }
            case Ops.PACK: {
                int len = aux[ptr];
                for (int i = 0; i < len; i++) bar[aux[ptr + 1 + i]] += bar[out + i];
                break;
            }
            case Ops.DOT: {
                double g = bar[out];
                if (g == 0) break;
                int len = aux[ptr], x = aux[ptr + 1], y = aux[ptr + 2];
                for (int i = 0; i < len; i++) {
                    bar[x + i] += g * v[y + i];
                    bar[y + i] += g * v[x + i];
                }
                break;
            }
            case Ops.MATVEC:
            case Ops.MATVEC_T: {
                boolean tr = op == Ops.MATVEC_T;
                int m = aux[ptr], n = aux[ptr + 1], w = aux[ptr + 2], x = aux[ptr + 3], bias = aux[ptr + 4];
                // y = W x: x̄ += Wᵀ ȳ; y = Wᵀ x: x̄ += W ȳ
                matvec(!tr, m, n, v, w, bar, out, null, -1, bar, x, true);
                if (bias >= 0) for (int i = 0; i < m; i++) bar[bias + i] += bar[out + i];
                if (!(skipPassive && aux[ptr + 5] == 1)) matrixAdjoint(tr, m, n, v, x, bar, out, w);
                break;
            }
            case Ops.ACT: {
                int len = aux[ptr], x = aux[ptr + 1];
                for (int i = 0; i < len; i++) {
                    double g = bar[out + i];
                    if (g != 0) bar[x + i] += pa[out + i] * g;
                }
                break;
            }
            default:
                throw new IllegalStateException("unknown opcode " + op);
        }
    }

    /** {@code W̄ += ȳ xᵀ} for {@code y = W x}, or {@code W̄ += x ȳᵀ} for {@code y = Wᵀ x}. */
    private static void matrixAdjoint(boolean transposed, int m, int n, double[] v, int x, double[] bar, int out, int w) {
        for (int i = 0; i < m; i++) {
            int row = w + i * n;
            if (!transposed) {
                double gi = bar[out + i];
                if (gi == 0) continue;
                for (int j = 0; j < n; j++) bar[row + j] += gi * v[x + j];
            } else {
                double xi = v[x + i];
                if (xi == 0) continue;
                for (int j = 0; j < n; j++) bar[row + j] += xi * bar[out + j];
            }
        }
    }
}
