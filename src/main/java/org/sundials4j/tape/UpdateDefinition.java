package org.sundials4j.tape;

/** An event's state update {@code y⁺ = h(t, y⁻, p)} written on the tape, for {@link TapeEvents}: one variable per state. */
@FunctionalInterface
public interface UpdateDefinition {
    Var[] apply(Tape tape, Var t, VarVector y, VarVector p);
}
