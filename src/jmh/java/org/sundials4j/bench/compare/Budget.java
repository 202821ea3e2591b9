package org.sundials4j.bench.compare;

/**
 * The cost a pure-Java contender may spend on one run: a wall-clock deadline and a cap on RHS
 * evaluations. Explicit methods on stiff problems would otherwise run for hours; stopping them here
 * lets the report say how far they got instead of dropping them.
 */
final class Budget {
    static final String TIME_LIMIT = "time limit";
    private static final String CAP = " RHS evaluations (cap ";

    private final long deadline;
    private final long maxEvaluations;
    private long evaluations;
    private long steps;

    Budget(double seconds, long maxEvaluations) {
        this.deadline = System.nanoTime() + (long) (seconds * 1e9);
        this.maxEvaluations = maxEvaluations;
    }

    /** Counts one RHS evaluation; throws once the run is over budget. */
    void evaluation() {
        evaluations++;
        if (evaluations > maxEvaluations) throw new Exceeded(evaluations + CAP + maxEvaluations + ")");
        // nanoTime every call would cost more than a small RHS itself.
        if ((evaluations & 255) == 0 && System.nanoTime() > deadline) throw new Exceeded(TIME_LIMIT);
    }

    void step() {
        steps++;
    }

    /** Whether a run's failure is this budget running out (rather than the integrator giving up). */
    static boolean exceeded(String failure) {
        return failure != null && (failure.equals(TIME_LIMIT) || failure.contains(CAP));
    }

    long evaluations() { return evaluations; }
    long steps() { return steps; }

    /** Raised inside a library's integration loop to abandon the run; carries no stack trace. */
    static final class Exceeded extends RuntimeException {
        Exceeded(String why) {
            super(why, null, false, false);
        }
    }
}
