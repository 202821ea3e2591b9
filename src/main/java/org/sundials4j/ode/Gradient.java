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
    private final long checkpointHeapBytes;
    private final long interpolationHeapBytes;
    private final double[] paramsError;
    private final double[] initialStateError;

    Gradient(double loss, double[] dParams, double[] dInitialState, int[] parameterIndices, int[] initialStateIndices,
             SensitivityMethod method, Solution solution, SolverStatistics backward, int checkpoints, long checkpointBytes,
             long reverseSweeps, long backwardPairs, double[][][] trajectories) {
        this(loss, dParams, dInitialState, parameterIndices, initialStateIndices, method, solution, backward, checkpoints,
                checkpointBytes, reverseSweeps, backwardPairs, trajectories, 0, 0, null, null);
    }

    private Gradient(double loss, double[] dParams, double[] dInitialState, int[] parameterIndices, int[] initialStateIndices,
                     SensitivityMethod method, Solution solution, SolverStatistics backward, int checkpoints, long checkpointBytes,
                     long reverseSweeps, long backwardPairs, double[][][] trajectories, long checkpointHeapBytes,
                     long interpolationHeapBytes, double[] paramsError, double[] initialStateError) {
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
        this.checkpointHeapBytes = checkpointHeapBytes;
        this.interpolationHeapBytes = interpolationHeapBytes;
        this.paramsError = paramsError;
        this.initialStateError = initialStateError;
    }

    /** This gradient with the heap its adjoint pass holds (see {@link #adjointHeapBytes()}). */
    Gradient withAdjointHeap(long checkpointHeap, long interpolationHeap) {
        return new Gradient(loss, dParams, dInitialState, parameterIndices, initialStateIndices, method, solution, backward, checkpoints,
                checkpointBytes, reverseSweeps, backwardPairs, trajectories, checkpointHeap, interpolationHeap, paramsError,
                initialStateError);
    }

    /** This gradient with error estimates for its entries (see {@link #paramsError()}). */
    Gradient withErrorEstimate(double[] paramsError, double[] initialStateError) {
        return new Gradient(loss, dParams, dInitialState, parameterIndices, initialStateIndices, method, solution, backward, checkpoints,
                checkpointBytes, reverseSweeps, backwardPairs, trajectories, checkpointHeapBytes, interpolationHeapBytes, paramsError,
                initialStateError);
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
     * The state doubles the adjoint pass keeps, and nothing else: each checkpoint's Nordsieck array
     * counted as {@code qmax + 1} vectors of n doubles, and one checkpoint interval's interpolation
     * data ({@code checkpointSteps + 1} points of two vectors for Hermite, one for polynomial). A
     * lower bound of the memory held, kept for compatibility: what is really held is
     * {@link #adjointHeapBytes()}, which counts every stored vector's SUNDIALS bookkeeping (about
     * 0.55 KB each: vector, operations table, content, allocator headers), the quadrature vectors and
     * the records. At n = 3 the two differ by more than 30×.
     */
    public long checkpointBytes() { return checkpointBytes; }

    /**
     * The C heap CVODES' adjoint storage holds after this run's forward pass, in bytes as glibc counts
     * them: {@link #checkpointHeapBytes()} plus {@link #interpolationHeapBytes()}. Computed from
     * CVODES' own checkpoint list (every checkpoint's order) and from real clones of the vectors it
     * stores, with their N_Vector overhead; {@code GradientMemoryTest} checks it against glibc's
     * mallinfo2 within 10%. For an adjoint run through events it is the largest segment's. 0 for
     * other methods.
     */
    public long adjointHeapBytes() { return checkpointHeapBytes + interpolationHeapBytes; }
    /**
     * The C heap the checkpoints hold: per checkpoint its record and its Nordsieck vectors (order
     * q + 1 of the states, one more while q is below the maximum order, as many of the quadratures
     * when those are in the error test). Grows with the run's length / {@code checkpointSteps}.
     */
    public long checkpointHeapBytes() { return checkpointHeapBytes; }
    /**
     * The C heap the interpolation data points hold: {@code checkpointSteps + 1} points of two
     * vectors (Hermite) or one (polynomial), each with two records; fixed by the options, made by
     * the first adjoint run of a solver.
     */
    public long interpolationHeapBytes() { return interpolationHeapBytes; }

    /**
     * Estimated absolute errors of {@link #params()}, entry by entry, or null unless
     * {@link SensitivityOptions#withErrorEstimate} asked for them. See there for how and at what cost.
     */
    public double[] paramsError() { return paramsError == null ? null : paramsError.clone(); }
    /** Estimated absolute errors of {@link #initialState()}, or null unless requested (as {@link #paramsError()}). */
    public double[] initialStateError() { return initialStateError == null ? null : initialStateError.clone(); }
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
