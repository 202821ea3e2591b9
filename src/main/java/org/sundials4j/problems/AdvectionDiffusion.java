package org.sundials4j.problems;

import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;

/**
 * Method-of-lines advection–diffusion on N = 50 cells, upwind advection, inflow {@code c₀ = 1}, outflow
 * {@code c_{N+1} = c_N}: {@code cᵢ' = D (c_{i+1} - 2cᵢ + c_{i-1})/h² - u (cᵢ - c_{i-1})/h}, θ = [D, u].
 * Its Jacobian is tridiagonal (the tape finds lower = upper bandwidth 1).
 */
public final class AdvectionDiffusion {
    public static final String NAME = "advection-diffusion";
    public static final int N = 50;
    public static final double[] PARAMETERS = {0.02, 0.5};
    /** Not given by the problem set: the project's choice for a mildly stiff banded problem. */
    public static final double RTOL = 1e-6, ATOL = 1e-8;

    private AdvectionDiffusion() {
    }

    /** {@code t = 0.1, 0.2, …, 1.0}. */
    public static double[] outputTimes() {
        double[] t = new double[10];
        for (int i = 0; i < t.length; i++) t[i] = (i + 1) / 10.0;
        return t;
    }

    public static OdeDefinition definition() {
        double h = 1.0 / (N + 1);
        return (tape, t, c, theta) -> {
            Var d = theta.get(0).div(h * h), u = theta.get(1).div(h);
            Var inflow = tape.constant(1.0);
            Var[] out = new Var[N];
            for (int i = 0; i < N; i++) {
                Var left = i == 0 ? inflow : c.get(i - 1);
                Var right = i == N - 1 ? c.get(N - 1) : c.get(i + 1);
                Var ci = c.get(i);
                Var diffusion = right.minus(ci.times(2)).plus(left);
                out[i] = d.times(diffusion).minus(u.times(ci.minus(left)));
            }
            return out;
        };
    }

    public static Problem problem() {
        return new Problem(NAME, PARAMETERS, new double[N], outputTimes(), RTOL, new double[]{ATOL}, definition());
    }
}
