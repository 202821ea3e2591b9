package org.sundials4j.tape;

/** An event trigger {@code g(t, y, p)} written on the tape, for {@link TapeEvents}: the event fires where it crosses zero. */
@FunctionalInterface
public interface TriggerDefinition {
    Var apply(Tape tape, Var t, VarVector y, VarVector p);
}
