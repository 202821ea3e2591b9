package org.sundials4j.tape;

/** A function {@code R^n → R^m} written against the tape's types, for {@link TapeFunction}. */
@FunctionalInterface
public interface FunctionDefinition {
    Var[] apply(Tape tape, VarVector x);
}
