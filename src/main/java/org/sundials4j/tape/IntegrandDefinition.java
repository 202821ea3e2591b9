package org.sundials4j.tape;

/** The integrand {@code g(t, y, p)} of an integral functional, written on the tape, for {@link TapeIntegrand}. */
@FunctionalInterface
public interface IntegrandDefinition {
    Var apply(Tape tape, Var t, VarVector y, VarVector p);
}
