package org.sundials4j.tape;

/**
 * Nested AD: reverse mode applied to the recording itself. Walking the instructions recorded so far
 * backwards, it records, on the same tape, the instructions that compute the adjoints. The gradient is
 * thus ordinary tape code, and the outer sweeps differentiate it again (second derivatives, the
 * Hessian-vector product of {@link TapeFunction#hessianVector}).
 *
 * <p>The local derivative rules mirror {@link Ops#partialA}, including the conventions at kinks: the
 * derivatives of {@code min}, {@code max} and {@code abs} are written with {@code sign}, which gives
 * 1/2 at ties and 0 at {@code abs(0)}; {@code hypot}, {@code atan2} and {@code pow} use a {@code select} for their zero conventions.
 * Only instructions between the requested inputs and {@code f} are visited, so the work is
 * proportional to that part of the tape.
 */
final class GradientEmitter {
    private final Tape tape;
    private Var[] adj;
    private boolean[] dep;
    private Var zero;

    GradientEmitter(Tape tape) {
        this.tape = tape;
    }

    /** Adjoints of {@code f} at the slots {@code wrt} (total derivatives), as new variables. */
    Var[] gradient(int f, int[] wrt) {
        int count = tape.instructionCount();
        int slots = tape.slotCount();
        zero = tape.constant(0);
        dep = new boolean[slots];
        for (int w : wrt) dep[w] = true;
        for (int k = 0; k < count; k++) markDependence(k);
        adj = new Var[slots];
        if (dep[f]) adj[f] = tape.constant(1);
        for (int k = count - 1; k >= 0; k--) backpropagate(k);
        Var[] grad = new Var[wrt.length];
        for (int i = 0; i < wrt.length; i++) grad[i] = adj[wrt[i]] == null ? zero : adj[wrt[i]];
        return grad;
    }

    private void markDependence(int k) {
        int op = tape.codeAt(4 * k), out = tape.codeAt(4 * k + 1), a = tape.codeAt(4 * k + 2), b = tape.codeAt(4 * k + 3);
        if (op < Ops.FIRST_SPECIAL) {
            dep[out] |= dep[a] || (op <= Ops.LAST_BINARY && dep[b]);
            return;
        }
        switch (op) {
            case Ops.SELECT -> dep[out] |= dep[tape.auxAt(a + 2)] || dep[tape.auxAt(a + 3)];
            case Ops.PACK -> {
                for (int i = 0; i < tape.auxAt(a); i++) dep[out + i] |= dep[tape.auxAt(a + 1 + i)];
            }
            case Ops.DOT -> {
                int len = tape.auxAt(a);
                dep[out] |= anyDependent(tape.auxAt(a + 1), len) || anyDependent(tape.auxAt(a + 2), len);
            }
            case Ops.MATVEC, Ops.MATVEC_T -> {
                int m = tape.auxAt(a), n = tape.auxAt(a + 1), bias = tape.auxAt(a + 4);
                int outLen = op == Ops.MATVEC ? m : n;
                boolean any = anyDependent(tape.auxAt(a + 2), m * n)
                        || anyDependent(tape.auxAt(a + 3), op == Ops.MATVEC ? n : m);
                for (int i = 0; i < outLen; i++) dep[out + i] |= any || (bias >= 0 && dep[bias + i]);
            }
            case Ops.ACT -> {
                int len = tape.auxAt(a), x = tape.auxAt(a + 1);
                for (int i = 0; i < len; i++) dep[out + i] |= dep[x + i];
            }
            default -> throw new IllegalStateException("unknown opcode " + op);
        }
    }

    private boolean anyDependent(int start, int len) {
        for (int i = start; i < start + len; i++) if (dep[i]) return true;
        return false;
    }

    private void accumulate(int slot, Var contribution) {
        if (!dep[slot] || contribution == null) return;
        adj[slot] = adj[slot] == null ? contribution : adj[slot].plus(contribution);
    }

    private Var at(int slot) {
        return new Var(tape, slot);
    }

    private void backpropagate(int k) {
        int op = tape.codeAt(4 * k), out = tape.codeAt(4 * k + 1), a = tape.codeAt(4 * k + 2), b = tape.codeAt(4 * k + 3);
        if (op <= Ops.LAST_BINARY) {
            Var g = adj[out];
            if (g != null) binaryAdjoint(op, g, a, b, out);
        } else if (op < Ops.FIRST_SPECIAL) {
            Var g = adj[out];
            if (g != null && dep[a]) accumulate(a, unaryAdjoint(op, g, at(a), at(out), tape.constantOf(k)));
        } else {
            specialAdjoint(op, out, a, b);
        }
    }

    private void binaryAdjoint(int op, Var g, int ia, int ib, int out) {
        Var a = at(ia), b = at(ib), r = at(out);
        boolean da = dep[ia], db = dep[ib];
        switch (op) {
            case Ops.ADD -> { accumulate(ia, g); accumulate(ib, g); }
            case Ops.SUB -> { accumulate(ia, g); if (db) accumulate(ib, g.neg()); }
            case Ops.MUL -> { if (da) accumulate(ia, g.times(b)); if (db) accumulate(ib, g.times(a)); }
            case Ops.DIV -> { if (da) accumulate(ia, g.div(b)); if (db) accumulate(ib, g.times(r).div(b).neg()); }
            case Ops.POW -> {
                // as Ops.partialB: 0 for a zero base (in b). In a, no select: it would cut the b-dependence
                // of b·a^(b-1) at b = 0 (whose b-derivative is 1/a); only 0^0 at a = b = 0 gives NaN.
                if (da) accumulate(ia, g.times(b.times(a.pow(b.minus(1)))));
                if (db) accumulate(ib, g.times(nonZero(a, r.times(a.log()))));
            }
            case Ops.ATAN2 -> {
                Var s = a.square().plus(b.square());
                if (da) accumulate(ia, g.times(nonZero(s, b.div(s))));
                if (db) accumulate(ib, g.times(nonZero(s, a.div(s).neg())));
            }
            case Ops.MIN, Ops.MAX -> {
                // ∂max/∂a = (1 + sign(a-b))/2, ∂min/∂a = (1 - sign(a-b))/2: 1/2 each at a tie
                Var half = a.minus(b).signum().times(op == Ops.MAX ? 0.5 : -0.5);
                if (da) accumulate(ia, g.times(half.plus(0.5)));
                if (db) accumulate(ib, g.times(half.rminus(0.5)));
            }
            case Ops.HYPOT -> {
                if (da) accumulate(ia, g.times(nonZero(r, a.div(r))));
                if (db) accumulate(ib, g.times(nonZero(r, b.div(r))));
            }
            default -> throw new IllegalStateException("not a binary opcode: " + op);
        }
    }

    /** {@code x != 0 ? value : 0}, branch-free (the unselected NaN never reaches a derivative). */
    private Var nonZero(Var x, Var value) {
        return x.abs().isGreaterThan(zero).select(value, zero);
    }

    /** {@code g · ∂op(a)/∂a} for unary and constant-operand instructions; null when it is zero. */
    private Var unaryAdjoint(int op, Var g, Var a, Var r, double c) {
        return switch (op) {
            case Ops.ADD_C -> g;
            case Ops.RSUB_C, Ops.NEG -> g.neg();
            case Ops.MUL_C -> g.times(c);
            case Ops.DIV_C -> g.div(c);
            case Ops.RDIV_C -> g.times(r).div(a).neg();
            case Ops.POW_C -> c == 0 ? null : g.times(a.pow(c - 1).times(c));
            case Ops.RPOW_C -> g.times(r).times(Math.log(c));
            case Ops.EXP -> g.times(r);
            case Ops.LOG -> g.div(a);
            case Ops.LOG1P -> g.div(a.plus(1));
            case Ops.EXPM1 -> g.times(r.plus(1));
            case Ops.SQRT -> g.times(0.5).div(r);
            case Ops.SIN -> g.times(a.cos());
            case Ops.COS -> g.times(a.sin()).neg();
            case Ops.TAN -> g.times(r.square().plus(1));
            case Ops.TANH -> g.times(r.square().rminus(1));
            case Ops.SINH -> g.times(a.cosh());
            case Ops.COSH -> g.times(a.sinh());
            case Ops.ASIN -> g.div(a.square().rminus(1).sqrt());
            case Ops.ACOS -> g.div(a.square().rminus(1).sqrt()).neg();
            case Ops.ATAN -> g.div(a.square().plus(1));
            case Ops.ABS -> g.times(a.signum());
            case Ops.SIGMOID -> g.times(r.times(r.rminus(1)));
            case Ops.SOFTPLUS -> g.times(a.sigmoid());
            case Ops.SQUARE -> g.times(a.times(2));
            case Ops.SIGN -> null;
            default -> throw new IllegalStateException("not a unary opcode: " + op);
        };
    }

    private void specialAdjoint(int op, int out, int ptr, int b) {
        switch (op) {
            case Ops.SELECT -> {
                Var g = adj[out];
                if (g == null) return;
                Condition cond = new Condition(b, at(tape.auxAt(ptr)), at(tape.auxAt(ptr + 1)));
                accumulate(tape.auxAt(ptr + 2), cond.select(g, zero));
                accumulate(tape.auxAt(ptr + 3), cond.select(zero, g));
            }
            case Ops.PACK -> {
                for (int i = 0; i < tape.auxAt(ptr); i++) accumulate(tape.auxAt(ptr + 1 + i), adj[out + i]);
            }
            case Ops.DOT -> {
                Var g = adj[out];
                if (g == null) return;
                int len = tape.auxAt(ptr), x = tape.auxAt(ptr + 1), y = tape.auxAt(ptr + 2);
                for (int i = 0; i < len; i++) {
                    if (dep[x + i]) accumulate(x + i, g.times(at(y + i)));
                    if (dep[y + i]) accumulate(y + i, g.times(at(x + i)));
                }
            }
            case Ops.MATVEC, Ops.MATVEC_T -> matvecAdjoint(op == Ops.MATVEC_T, out, ptr);
            case Ops.ACT -> {
                int len = tape.auxAt(ptr), x = tape.auxAt(ptr + 1), f = tape.auxAt(ptr + 2);
                for (int i = 0; i < len; i++) {
                    Var g = adj[out + i];
                    if (g != null && dep[x + i]) accumulate(x + i, unaryAdjoint(f, g, at(x + i), at(out + i), 0));
                }
            }
            default -> throw new IllegalStateException("unknown opcode " + op);
        }
    }

    /** y = W x + bias: x̄ += Wᵀ ȳ (one block instruction), W̄ += ȳ xᵀ; y = Wᵀ x: x̄ += W ȳ, W̄ += x ȳᵀ. */
    private void matvecAdjoint(boolean transposed, int out, int ptr) {
        int m = tape.auxAt(ptr), n = tape.auxAt(ptr + 1), w = tape.auxAt(ptr + 2), x = tape.auxAt(ptr + 3);
        int bias = tape.auxAt(ptr + 4);
        int outLen = transposed ? n : m, xLen = transposed ? m : n;
        Var[] g = new Var[outLen];
        boolean any = false;
        for (int i = 0; i < outLen; i++) {
            g[i] = adj[out + i] == null ? zero : adj[out + i];
            any |= adj[out + i] != null;
        }
        if (!any) return;
        VarMatrix matrix = new VarVector(tape, w, m * n).asMatrix(m, n);
        if (anyDependent(x, xLen)) {
            VarVector gv = tape.vector(g);
            VarVector xbar = transposed ? matrix.times(gv) : matrix.transposeTimes(gv);
            for (int j = 0; j < xLen; j++) accumulate(x + j, xbar.get(j));
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
                if (dep[w + i * n + j]) {
                    Var gi = transposed ? g[j] : g[i];
                    Var xj = at(transposed ? x + i : x + j);
                    accumulate(w + i * n + j, gi.times(xj));
                }
        if (bias >= 0) for (int i = 0; i < m; i++) accumulate(bias + i, adj[out + i]);
    }
}
