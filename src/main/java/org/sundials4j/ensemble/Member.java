package org.sundials4j.ensemble;

import java.io.Serializable;
import java.util.Objects;

/**
 * One member of an ensemble of solves: initial time and state, parameters and output times (a
 * virtual subject, one experiment, one start of a multi-start). Arrays are copied in and out; the
 * solver checks them (lengths, finite values, increasing times) when the member runs, so a bad member
 * fails alone.
 */
public record Member(double t0, double[] y0, double[] params, double[] times) implements Serializable {
    public Member {
        y0 = Objects.requireNonNull(y0, "y0").clone();
        params = Objects.requireNonNull(params, "params").clone();
        times = Objects.requireNonNull(times, "times").clone();
    }

    @Override public double[] y0() { return y0.clone(); }
    @Override public double[] params() { return params.clone(); }
    @Override public double[] times() { return times.clone(); }
}
