package org.sundials4j.tape;

/** Element-wise functions that {@link VarVector#apply} records as one block instruction. */
public enum Activation {
    TANH(Ops.TANH), SIGMOID(Ops.SIGMOID), SOFTPLUS(Ops.SOFTPLUS), EXP(Ops.EXP), LOG(Ops.LOG),
    SIN(Ops.SIN), COS(Ops.COS), SQUARE(Ops.SQUARE), ABS(Ops.ABS), NEG(Ops.NEG);

    final int op;

    Activation(int op) {
        this.op = op;
    }
}
