package org.sundials4j.bench.compare;

/**
 * One pure-Java integrator at fixed tolerances, seen the same way for Hipparchus and Commons Math:
 * states at output times, and states with forward sensitivities from the library's own
 * variational-equation machinery.
 */
interface Library {
    String name();

    /** States (all {@code rhs.dim} of them) at each output time; outputs at or before t0 get y0. */
    double[][] solve(TapeRhs rhs, double t0, double[] y0, double[] times, Budget budget);

    /**
     * States and sensitivities at each output time: {@code sens[k][i][s]} is dy_i(t_k)/dθ_s with
     * θ = [p, y0] (the quadrature state, if any, as row {@code n}).
     */
    Trajectory variational(TapeRhs rhs, double t0, double[] y0, double[] times, Budget budget);

    record Trajectory(double[][] states, double[][][] sens) {}
}
