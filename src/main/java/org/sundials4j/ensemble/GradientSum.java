package org.sundials4j.ensemble;

import java.util.Arrays;
import org.sundials4j.ode.Gradient;

/**
 * A sum of {@link Gradient}s: the total loss and the total gradient over the members, in the
 * selection of the members' {@link org.sundials4j.ode.SensitivityOptions}. {@link #pack} lays one
 * gradient out as the vector an ensemble sums, {@code [loss, dL/dp…, dL/dy0…]}; {@link #unpack}
 * reads a summed vector back.
 */
public record GradientSum(double loss, double[] params, double[] initialState, int members) {
    public GradientSum {
        params = params.clone();
        initialState = initialState.clone();
    }

    @Override public double[] params() { return params.clone(); }
    @Override public double[] initialState() { return initialState.clone(); }

    /** {@code [loss, dL/dp (selected), dL/dy0 (selected)]}. */
    public static double[] pack(Gradient g) {
        double[] p = g.params(), y = g.initialState();
        double[] v = new double[1 + p.length + y.length];
        v[0] = g.loss();
        System.arraycopy(p, 0, v, 1, p.length);
        System.arraycopy(y, 0, v, 1 + p.length, y.length);
        return v;
    }

    /**
     * Reads a vector laid out by {@link #pack}: {@code paramCount} selected parameters, then
     * {@code stateCount} selected initial states. A null vector (no member succeeded) reads as zero.
     */
    public static GradientSum unpack(double[] packed, int paramCount, int stateCount, int members) {
        if (paramCount < 0 || stateCount < 0)
            throw new IllegalArgumentException("paramCount = " + paramCount + ", stateCount = " + stateCount + ": negative");
        if (packed == null) return new GradientSum(0, new double[paramCount], new double[stateCount], 0);
        if (packed.length != 1 + paramCount + stateCount)
            throw new IllegalArgumentException("a vector of length " + packed.length + " is not [loss, " + paramCount
                    + " parameters, " + stateCount + " initial states]");
        return new GradientSum(packed[0], Arrays.copyOfRange(packed, 1, 1 + paramCount),
                Arrays.copyOfRange(packed, 1 + paramCount, packed.length), members);
    }
}
