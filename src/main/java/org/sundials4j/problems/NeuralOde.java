package org.sundials4j.problems;

import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarMatrix;
import org.sundials4j.tape.VarVector;

/**
 * The spiral of the neural ODE paper. Data: {@code u' = Aᵀ(u∘u∘u)}, A = [[-0.1, 2], [-2, -0.1]].
 * Model: {@code u' = W2 tanh(W1 (u∘u∘u) + b1) + b2} with hidden width H and
 * θ = [W1 (H×2 row-major), b1 (H), W2 (2×H row-major), b2 (2)], 5H + 2 parameters.
 * {@link #definition} records each layer as one block instruction; {@link #scalarDefinition} records
 * the same network scalar by scalar (for the benchmark comparing the two).
 */
public final class NeuralOde {
    public static final String NAME = "neural-ode";
    public static final int DEFAULT_HIDDEN = 50;
    public static final double[] Y0 = {2.0, 0.0};
    /** Tolerances of the data solve. */
    public static final double DATA_RTOL = 1e-10, DATA_ATOL = 1e-12;
    /** Not given by the problem set for the model solve: the project's choice. */
    public static final double RTOL = 1e-6, ATOL = 1e-8;

    private NeuralOde() {
    }

    public static int parameterCount(int hidden) {
        return 5 * hidden + 2;
    }

    /** θₖ = 0.1 sin(k + 1), k = 0-based. */
    public static double[] initialParameters(int hidden) {
        double[] theta = new double[parameterCount(hidden)];
        for (int k = 0; k < theta.length; k++) theta[k] = 0.1 * Math.sin(k + 1);
        return theta;
    }

    /** 30 equally spaced times on [0, 1.5], both ends included. */
    public static double[] outputTimes() {
        double[] t = new double[30];
        for (int i = 0; i < t.length; i++) t[i] = 1.5 * i / 29.0;
        return t;
    }

    /** The data-generating system (no parameters). */
    public static OdeDefinition truthDefinition() {
        return (tape, t, u, p) -> {
            Var c1 = u.get(0).pow(3), c2 = u.get(1).pow(3);
            return new Var[]{c1.times(-0.1).minus(c2.times(2.0)), c1.times(2.0).minus(c2.times(0.1))};
        };
    }

    /** The network with block instructions: two affine layers and one activation, 4 + 2 instructions. */
    public static OdeDefinition definition(int hidden) {
        checkHidden(hidden);
        return (tape, t, u, theta) -> {
            VarVector cubes = tape.vector(u.get(0).pow(3), u.get(1).pow(3));
            VarMatrix w1 = theta.slice(0, 2 * hidden).asMatrix(hidden, 2);
            VarVector b1 = theta.slice(2 * hidden, hidden);
            VarMatrix w2 = theta.slice(3 * hidden, 2 * hidden).asMatrix(2, hidden);
            VarVector b2 = theta.slice(5 * hidden, 2);
            return w2.timesPlus(w1.timesPlus(cubes, b1).tanh(), b2).toArray();
        };
    }

    /** The same network recorded one scalar operation at a time (about 8H instructions). */
    public static OdeDefinition scalarDefinition(int hidden) {
        checkHidden(hidden);
        return (tape, t, u, theta) -> {
            Var c1 = u.get(0).pow(3), c2 = u.get(1).pow(3);
            Var out1 = theta.get(5 * hidden), out2 = theta.get(5 * hidden + 1);
            for (int h = 0; h < hidden; h++) {
                Var pre = theta.get(2 * h).times(c1).plus(theta.get(2 * h + 1).times(c2)).plus(theta.get(2 * hidden + h));
                Var act = pre.tanh();
                out1 = out1.plus(theta.get(3 * hidden + h).times(act));
                out2 = out2.plus(theta.get(4 * hidden + h).times(act));
            }
            return new Var[]{out1, out2};
        };
    }

    public static Problem problem(int hidden) {
        return new Problem(NAME, initialParameters(hidden), Y0, outputTimes(), RTOL, new double[]{ATOL}, definition(hidden));
    }

    /** The data problem: same initial state and outputs, solved at the data tolerances. */
    public static Problem truthProblem() {
        return new Problem(NAME + "-data", new double[0], Y0, outputTimes(), DATA_RTOL, new double[]{DATA_ATOL},
                truthDefinition());
    }

    private static void checkHidden(int hidden) {
        if (hidden <= 0) throw new IllegalArgumentException("hidden = " + hidden + " must be positive");
    }
}
