package org.sundials4j.problems;

import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;

/**
 * ROBER, Robertson's stiff chemical kinetics, as in SUNDIALS' {@code cvsRoberts_dns}:
 * {@code y1' = -p1 y1 + p2 y2 y3, y2' = p1 y1 - p2 y2 y3 - p3 y2², y3' = p3 y2²}.
 */
public final class Rober {
    public static final String NAME = "rober";
    public static final double[] PARAMETERS = {0.04, 1e4, 3e7};
    public static final double[] Y0 = {1, 0, 0};
    public static final double RTOL = 1e-4;
    public static final double[] ATOL = {1e-8, 1e-14, 1e-6};

    /** Settings of the gradient run ({@code cvsRoberts_ASAi_dns}): G = ∫₀^T y3 dt. */
    public static final double GRADIENT_FINAL_TIME = 4e7, GRADIENT_SHORT_FINAL_TIME = 50;
    public static final double GRADIENT_RTOL = 1e-6;
    public static final double[] GRADIENT_ATOL = {1e-8, 1e-14, 1e-6};
    public static final double ADJOINT_ATOL = 1e-8, QUADRATURE_ATOL = 1e-6;
    public static final int STEPS_BETWEEN_CHECKPOINTS = 150;

    private Rober() {
    }

    /** Output times {@code 0.4·10^k}, k = 0..11. */
    public static double[] outputTimes() {
        double[] t = new double[12];
        for (int k = 0; k < t.length; k++) t[k] = 0.4 * Math.pow(10, k);
        return t;
    }

    public static OdeDefinition definition() {
        return (tape, t, y, p) -> {
            Var y1 = y.get(0), y2 = y.get(1), y3 = y.get(2);
            Var forward = p.get(0).times(y1);
            Var back = p.get(1).times(y2).times(y3);
            Var dimer = p.get(2).times(y2.square());
            return new Var[]{back.minus(forward), forward.minus(back).minus(dimer), dimer};
        };
    }

    public static Problem problem() {
        return new Problem(NAME, PARAMETERS, Y0, outputTimes(), RTOL, ATOL, definition());
    }
}
