package org.sundials4j.bench.compare;

import java.util.function.IntConsumer;

/** Dense output at the requested times from a library's step handler, counting steps on the way. */
final class OutputCursor {
    private final double[] times;
    private final Budget budget;
    private int next;

    /** Outputs at or before t0 are the caller's (they equal y0). */
    OutputCursor(double[] times, double t0, Budget budget) {
        this.times = times;
        this.budget = budget;
        while (next < times.length && times[next] <= t0) next++;
    }

    /** One accepted step ending at {@code end}: hands each output index it covers to {@code record}. */
    void step(double end, IntConsumer record) {
        budget.step();
        while (next < times.length && times[next] <= end) record.accept(next++);
    }

    double time(int k) {
        return times[k];
    }
}
