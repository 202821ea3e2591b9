package org.sundials4j.problems;

import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;

/** Predator–prey: {@code x' = p1 x + p2 x y, y' = p3 y + p4 x y}; non-stiff. */
public final class LotkaVolterra {
    public static final String NAME = "lotka-volterra";
    public static final double[] PARAMETERS = {2.0 / 3.0, -4.0 / 3.0, -1.0, 1.0};
    public static final double[] Y0 = {0.1, 0.2};
    /** Not given by the problem set: the project's choice for a non-stiff two-state problem. */
    public static final double RTOL = 1e-8, ATOL = 1e-10;

    private LotkaVolterra() {
    }

    /** {@code t = 0, 0.1, …, 19.9} (200 points), computed as {@code i / 10} to avoid drift. */
    public static double[] outputTimes() {
        double[] t = new double[200];
        for (int i = 0; i < t.length; i++) t[i] = i / 10.0;
        return t;
    }

    public static OdeDefinition definition() {
        return (tape, t, s, p) -> {
            Var x = s.get(0), y = s.get(1), xy = x.times(y);
            return new Var[]{p.get(0).times(x).plus(p.get(1).times(xy)), p.get(2).times(y).plus(p.get(3).times(xy))};
        };
    }

    public static Problem problem() {
        return new Problem(NAME, PARAMETERS, Y0, outputTimes(), RTOL, new double[]{ATOL}, definition());
    }
}
