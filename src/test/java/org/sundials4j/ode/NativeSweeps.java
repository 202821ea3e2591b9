package org.sundials4j.ode;

/**
 * Test access to one recording's native sweeps: a solver over a model that hands over only the
 * recording (its callbacks are never called), whose replay runs single sweeps through the compiled
 * code or the interpreter ({@link NativeReplay#probe}). The JIT tests hold the two against each other
 * and against the Java replay.
 */
public final class NativeSweeps implements AutoCloseable {
    public static final int VALUES = 0, LINEARIZE = 1, TANGENT = 2, REVERSE = 3, JACOBIAN = 4;

    private final CvodesSolver solver;

    /** The native replay of {@code program}, a model of {@code n} states and {@code np} parameters. */
    public NativeSweeps(ReplayProgram program, int n, int np) {
        solver = new CvodesSolver(new RecordingOnly(program, n, np), SolverOptions.defaults());
        if (solver.replay == null) throw new IllegalStateException("no native replay (sundials4j.replay=java?)");
    }

    /** Whether the recording runs as compiled code. */
    public boolean jitted() {
        return solver.replayStatistics().jitted();
    }

    /**
     * One sweep at the inputs {@code x} ({@code t, y, p}): {@link #VALUES} every slot,
     * {@link #LINEARIZE} values then {@code pa} then {@code pb}, {@link #TANGENT} every slot's tangent
     * of the input direction {@code seed}, {@link #REVERSE} every slot's adjoint of the output adjoints
     * {@code seed}, {@link #JACOBIAN} the CSC values of {@code ∂f/∂y} by the recording's colouring; null
     * when {@code compiled} is asked and there is no compiled code.
     */
    public double[] sweep(int sweep, boolean compiled, boolean passiveFlag, double[] x, double[] seed) {
        return solver.replay.probe(sweep, compiled, passiveFlag, x, seed);
    }

    @Override
    public void close() {
        solver.close();
    }

    private record RecordingOnly(ReplayProgram program, int n, int np) implements OdeModel, ReplayProgram.Source {
        @Override
        public int stateCount() {
            return n;
        }

        @Override
        public int parameterCount() {
            return np;
        }

        @Override
        public void rhs(double t, double[] y, double[] p, double[] ydot) {
            throw new UnsupportedOperationException("only the recording's sweeps are run");
        }

        @Override
        public ReplayProgram replayProgram() {
            return program;
        }
    }
}
