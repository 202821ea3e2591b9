package org.sundials4j.fit;

import org.sundials4j.tape.Tape;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * The observables {@code h(t, y, p)} of an estimation problem, written on the tape: what the instrument
 * measures, as a function of the states and the model parameters at an observation time {@code t}.
 * Returns one variable per observable, in the order of the data columns.
 */
@FunctionalInterface
public interface ObservableDefinition {
    Var[] observe(Tape tape, double t, VarVector y, VarVector p);

    /** Every state observed directly. */
    static ObservableDefinition states() {
        return (tape, t, y, p) -> y.toArray();
    }
}
