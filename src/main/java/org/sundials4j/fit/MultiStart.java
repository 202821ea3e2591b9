package org.sundials4j.fit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs {@link Lbfgsb} from the given start and from Latin hypercube samples of the box, and keeps every
 * run. Local minimizers find the basin they start in; several spread starts find the best of several.
 */
public final class MultiStart {
    private MultiStart() {
    }

    /**
     * @param x0      the first start (may be null: samples only)
     * @param samples number of Latin hypercube starts (the bounds must be finite)
     * @return all runs, best (lowest finite value) first
     */
    public static List<OptimizationResult> minimize(DifferentiableFunction f, double[] x0, double[] lower, double[] upper,
                                                    int samples, long seed, OptimizerOptions options,
                                                    OptimizationListener listener) {
        if (samples < 0) throw new IllegalArgumentException("samples = " + samples + ", must be >= 0");
        if (x0 == null && samples == 0) throw new IllegalArgumentException("no start: x0 is null and samples = 0");
        List<double[]> starts = new ArrayList<>();
        if (x0 != null) starts.add(x0);
        if (samples > 0) starts.addAll(List.of(LatinHypercube.sample(samples, lower, upper, seed)));
        List<OptimizationResult> runs = new ArrayList<>();
        for (double[] start : starts) runs.add(Lbfgsb.minimize(f, start, lower, upper, options, listener));
        runs.sort(Comparator.comparingDouble(r -> Double.isFinite(r.value()) ? r.value() : Double.POSITIVE_INFINITY));
        return runs;
    }
}
