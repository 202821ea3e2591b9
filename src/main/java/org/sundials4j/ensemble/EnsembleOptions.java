package org.sundials4j.ensemble;

/**
 * Settings of an {@link Ensemble}: how many worker threads, and whether one member's failure stops
 * the rest. Immutable; every {@code with…} returns a new value and validates its argument.
 *
 * @param threads  worker threads, each with its own worker (solver); default: the available processors
 * @param failFast stop handing out members at the first failure and throw {@link EnsembleException}
 *                 (default false: every member runs and failures are reported per member)
 */
public record EnsembleOptions(int threads, boolean failFast) {

    /** The largest thread count accepted: far beyond any core count, it only guards against mistakes. */
    public static final int MAX_THREADS = 4096;

    public EnsembleOptions {
        if (threads < 1 || threads > MAX_THREADS)
            throw new IllegalArgumentException("threads = " + threads + " is outside [1, " + MAX_THREADS + "]");
    }

    /** One thread per available processor, failures reported per member. */
    public static EnsembleOptions defaults() {
        return new EnsembleOptions(Runtime.getRuntime().availableProcessors(), false);
    }

    public EnsembleOptions withThreads(int threads) {
        return new EnsembleOptions(threads, failFast);
    }

    public EnsembleOptions withFailFast(boolean failFast) {
        return new EnsembleOptions(threads, failFast);
    }
}
