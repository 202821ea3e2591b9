package org.sundials4j.tape;

/**
 * A loss of the observed states written on the tape, for {@link TapeLoss}: {@code states[k]} is
 * {@code y(t_k)}, {@code times[k]} its (constant) time, {@code p} the parameters. Any coupling
 * between output times is allowed; data enter as constants.
 */
@FunctionalInterface
public interface LossDefinition {
    Var apply(Tape tape, double[] times, VarVector[] states, VarVector p);
}
