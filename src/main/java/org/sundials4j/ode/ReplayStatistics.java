package org.sundials4j.ode;

/**
 * Which path served a run's callbacks (RHS, Jacobian, sensitivity and adjoint products, integrand):
 * the native tape replay inside the solver, or the model's Java code. A tape model runs natively
 * unless the system property {@code sundials4j.replay=java} is set; single calls fall back to Java
 * when the replay cannot answer them (a flipped guard, a non-finite result), and the replay stays off
 * after a guard flipped until the next run uploads the new recording. Every 64th native callback
 * first polls Java without evaluating anything there (a heartbeat, not counted): Java is where
 * {@code cancel()}, {@code close()} from another thread, an interrupt or the time limit stop a run.
 *
 * @param available          whether the solver has a native replay (false for models written on
 *                           {@code double[]}, or with the property set to {@code java})
 * @param nativeEvaluations  callbacks the native replay answered
 * @param javaEvaluations    callbacks served in Java
 * @param javaReason         why the replay is off at the end of the run, or null when it is on (or
 *                           not available: see {@code available})
 * @param reverseSweeps      adjoint runs: reverse tape sweeps made for the backward products
 *                           ({@code fB} and {@code fQB}), on both paths; 0 otherwise
 * @param backwardPairs      adjoint runs: backward quadrature evaluations, each paired with the
 *                           state's at the same point; 0 otherwise
 * @param jitted             whether the native replay ran the recordings as machine code compiled at
 *                           upload (the default on x86-64 Linux) rather than through its interpreter:
 *                           false with the system property {@code sundials4j.replay.jit=off}, where the
 *                           compilation fell back (another platform, executable memory refused, a
 *                           recording too large), or without a native replay; see {@link #path()}
 */
public record ReplayStatistics(boolean available, long nativeEvaluations, long javaEvaluations, String javaReason,
                               long reverseSweeps, long backwardPairs, boolean jitted) {
    /** A run without backward pairs, on the interpreter. */
    public ReplayStatistics(boolean available, long nativeEvaluations, long javaEvaluations, String javaReason) {
        this(available, nativeEvaluations, javaEvaluations, javaReason, 0, 0, false);
    }

    /** The engine that ran the native evaluations: {@code native-jit}, {@code native-interpreter}, or {@code java}. */
    public String path() {
        return !available ? "java" : jitted ? "native-jit" : "native-interpreter";
    }

    /** No native replay: every callback went to Java. */
    static ReplayStatistics javaOnly(long javaEvaluations) {
        return new ReplayStatistics(false, 0, javaEvaluations, null);
    }

    /**
     * Reverse sweeps per backward pair: how many tape sweeps one backward step's {@code fB}/{@code fQB}
     * pair cost (CVODES calls {@code fB} once per Newton iteration and {@code fQB} once at the
     * corrected {@code λ}, which no {@code fB} shares); NaN for a run without backward pairs.
     */
    public double sweepsPerPair() {
        return backwardPairs == 0 ? Double.NaN : (double) reverseSweeps / backwardPairs;
    }

    /** These counts with an adjoint run's sweeps and pairs. */
    ReplayStatistics withAdjoint(long sweeps, long pairs) {
        return new ReplayStatistics(available, nativeEvaluations, javaEvaluations, javaReason, sweeps, pairs, jitted);
    }

    /** The share of callbacks the native replay answered (0 when there were none). */
    public double nativeShare() {
        long all = nativeEvaluations + javaEvaluations;
        return all == 0 ? 0 : (double) nativeEvaluations / all;
    }

    /** Counts of two runs (or two solvers of one run) together. */
    ReplayStatistics plus(ReplayStatistics o) {
        String reason = javaReason != null ? javaReason : o.javaReason;
        boolean compiled = available && o.available ? jitted && o.jitted : available ? jitted : o.jitted;
        return new ReplayStatistics(available || o.available, nativeEvaluations + o.nativeEvaluations,
                javaEvaluations + o.javaEvaluations, reason, reverseSweeps + o.reverseSweeps, backwardPairs + o.backwardPairs,
                compiled);
    }
}
