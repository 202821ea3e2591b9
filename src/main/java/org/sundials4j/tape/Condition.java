package org.sundials4j.tape;

/**
 * A comparison between two variables, not yet decided. It becomes either a branch-free
 * {@link #select} (replays at any input without re-recording; both branches are recorded and the
 * derivative follows the chosen one) or, through {@link #holds()}, a guarded Java {@code boolean}.
 */
public final class Condition {
    private final int cmp;
    private final Var lhs;
    private final Var rhs;

    Condition(int cmp, Var lhs, Var rhs) {
        this.cmp = cmp;
        this.lhs = lhs;
        this.rhs = rhs;
    }

    /** {@code condition ? ifTrue : ifFalse}, decided again at every replay. */
    public Var select(Var ifTrue, Var ifFalse) {
        return lhs.tape.select(cmp, lhs.slot, rhs.slot, ifTrue, ifFalse);
    }

    /** {@link #select(Var, Var)} with constant branches. */
    public Var select(double ifTrue, double ifFalse) {
        return select(lhs.tape.constant(ifTrue), lhs.tape.constant(ifFalse));
    }

    /**
     * The outcome at the recording point, kept as a guard: if a later replay finds the opposite
     * outcome, the model is recorded again at that replay's inputs, so the tape never replays the
     * wrong branch.
     */
    public boolean holds() {
        return lhs.tape.guard(cmp, lhs.slot, rhs.slot);
    }

    int cmp() {
        return cmp;
    }

    Var lhs() {
        return lhs;
    }

    Var rhs() {
        return rhs;
    }
}
