package org.sundials4j.tape;

import java.util.Arrays;
import org.sundials4j.ode.OutputLoss;

/**
 * An {@link OutputLoss} recorded on a tape: one reverse sweep gives {@code ∂L/∂y(t_k)} for every k
 * and {@code ∂L/∂p}. The tape's inputs are the observed states, row by row, then the parameters.
 * It is recorded on the first evaluation (when the number of outputs is known) and again if the
 * number of outputs or the output times change.
 *
 * <pre>{@code
 * OutputLoss sumOfSquares = TapeLoss.of((tape, times, y, p) -> {
 *     Var s = tape.constant(0);
 *     for (VarVector yk : y) s = s.plus(yk.dot(yk));
 *     return s;
 * });
 * }</pre>
 */
public final class TapeLoss implements OutputLoss {
    private final LossDefinition definition;
    private TapeFunction function;
    private double[] recordedTimes;
    private int recordedStates;
    private int recordedParams;
    private double[] x, grad;

    private TapeLoss(LossDefinition definition) {
        this.definition = definition;
    }

    public static TapeLoss of(LossDefinition definition) {
        if (definition == null) throw new IllegalArgumentException("definition is null");
        return new TapeLoss(definition);
    }

    /** A fresh instance with its own recording and work arrays (losses are per solver). */
    @Override
    public TapeLoss forSolver() {
        return new TapeLoss(definition);
    }

    @Override
    public double evaluate(double[] times, double[][] states, double[] params, double[][] dStates, double[] dParams) {
        int k = times.length, n = states[0].length, np = params.length;
        int inputs = k * n + np;
        if (x == null || x.length != inputs) {
            x = new double[inputs];
            grad = new double[inputs];
        }
        for (int j = 0; j < k; j++) System.arraycopy(states[j], 0, x, j * n, n);
        System.arraycopy(params, 0, x, k * n, np);
        if (function == null || recordedStates != n || recordedParams != np || !Arrays.equals(recordedTimes, times)) {
            double[] t = times.clone();
            function = TapeFunction.record(inputs, (tape, in) -> {
                VarVector[] ys = new VarVector[k];
                for (int j = 0; j < k; j++) ys[j] = in.slice(j * n, n);
                return new Var[] {definition.apply(tape, t, ys, in.slice(k * n, np))};
            }, x);
            recordedTimes = t;
            recordedStates = n;
            recordedParams = np;
        }
        double value = function.gradient(x, grad);
        for (int j = 0; j < k; j++) System.arraycopy(grad, j * n, dStates[j], 0, n);
        System.arraycopy(grad, k * n, dParams, 0, np);
        return value;
    }
}
