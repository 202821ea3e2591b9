package org.sundials4j.tape;

/**
 * A right-hand side {@code f(t, y, p)} written once against the tape's types. It is run while
 * recording only (once, and again when a guard flips), never per solver step, so it may allocate and
 * use any Java control flow; comparisons that decide a branch must go through {@link Var#gt} and
 * friends (guarded) or {@link Condition#select} (branch-free).
 */
@FunctionalInterface
public interface OdeDefinition {
    /** Returns {@code ydot}, one variable per state. */
    Var[] rhs(Tape tape, Var t, VarVector y, VarVector p);
}
