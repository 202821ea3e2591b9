package org.sundials4j.ode;

/**
 * The value and gradient of a loss, the same for every {@link SensitivityMethod}. Gradient arrays
 * follow the selection of {@link SensitivityOptions}: entry {@code i} of {@link #params()} is
 * {@code dL/dp[parameterIndices()[i]]}. Immutable; accessors return copies.
 */
public final class Gradient {
    private final double loss;
    private final double[] dParams;
    private final double[] dInitialState;
    private final int[] parameterIndices;
    private final int[] initialStateIndices;
    private final SensitivityMethod method;
    private final Solution solution;
    private final SolverStatistics backward;
    private final int checkpoints;
    private final long checkpointBytes;
    private final long reverseSweeps;
    private final long backwardPairs;
    private final double[][][] trajectories;

    Gradient(double loss, double[] dParams, double[] dInitialState, int[] parameterIndices, int[] initialStateIndices,
             SensitivityMethod method, Solution solution, SolverStatistics backward, int checkpoints, long checkpointBytes,
             long reverseSweeps, long backwardPairs, double[][][] trajectories) {
        this.loss = loss;
        this.dParams = dParams;
        this.dInitialState = dInitialState;
        this.parameterIndices = parameterIndices;
        this.initialStateIndices = initialStateIndices;
        this.method = method;
        this.solution = solution;
        this.backward = backward;
        this.checkpoints = checkpoints;
        this.checkpointBytes = checkpointBytes;
        this.reverseSweeps = reverseSweeps;
        this.backwardPairs = backwardPairs;
        this.trajectories = trajectories;
    }

    /** The loss: output loss plus integral functional. */
    public double loss() { return loss; }
    /** {@code dL/dp} for the selected parameters. */
    public double[] params() { return dParams.clone(); }
    /** {@code dL/dy(t0)} for the selected initial states. */
    public double[] initialState() { return dInitialState.clone(); }
    public int[] parameterIndices() { return parameterIndices.clone(); }
    public int[] initialStateIndices() { return initialStateIndices.clone(); }
    /** The method actually used (AUTO resolved). */
    public SensitivityMethod method() { return method; }
    /** The forward solution at the output times, with the forward statistics. */
    public Solution solution() { return solution; }
    /** Statistics of the backward (adjoint) problem, or null for other methods. */
    public SolverStatistics backwardStatistics() { return backward; }
    /** Checkpoints stored by the adjoint forward pass (0 for other methods). */
    public int checkpoints() { return checkpoints; }
    /**
     * The state data the adjoint pass keeps, in bytes of doubles only: each checkpoint's Nordsieck
     * array ({@code qmax + 1} vectors of n doubles) and one checkpoint interval's interpolation data
     * ({@code checkpointSteps + 1} points of two vectors for Hermite, one for polynomial). It is a
     * lower bound of the memory held, not the process's growth: every stored vector also costs
     * about 0.55 KB of SUNDIALS bookkeeping (N_Vector header, operations table and content, 24 +
     * 448 + 24 bytes, plus allocator headers), and a checkpoint also stores its quadrature vectors
     * and a record. For small n that overhead dominates: at n = 3 a vector holds 24 bytes of data,
     * and 67,686 checkpoints reported 14 MB while the process grew by 476 MiB.
     */
    public long checkpointBytes() { return checkpointBytes; }
    /** Reverse tape sweeps made by the adjoint callbacks. */
    public long reverseSweeps() { return reverseSweeps; }
    /** Backward quadrature evaluations (each pairs with a state evaluation at the same point). */
    public long backwardPairs() { return backwardPairs; }
    /**
     * Forward sensitivities {@code dy_i(t_k)/dθ_s} as {@code [k][s][i]}, where {@code s} runs over the
     * selected parameters then the selected initial states; null unless requested in forward mode.
     */
    public double[][][] trajectories() {
        if (trajectories == null) return null;
        double[][][] c = new double[trajectories.length][][];
        for (int k = 0; k < c.length; k++) {
            c[k] = new double[trajectories[k].length][];
            for (int s = 0; s < c[k].length; s++) c[k][s] = trajectories[k][s].clone();
        }
        return c;
    }
}
