package org.sundials4j.problems;

/**
 * The one relative-error measure for gradients, shared by the agreement tests and the benchmark's
 * answer checks so that "agrees to 1e-6" means the same in both.
 */
public final class GradientError {
    private GradientError() {}

    /**
     * max |a_i - ref_i| / max(|ref_i|, 1e-3 ‖ref‖∞): components a thousandth below the largest are
     * judged on that scale, since no method resolves them relatively better than the largest one.
     */
    public static double relative(double[] a, double[] ref) {
        double scale = 0;
        for (double v : ref) scale = Math.max(scale, Math.abs(v));
        double worst = 0;
        for (int i = 0; i < a.length; i++)
            worst = Math.max(worst, Math.abs(a[i] - ref[i]) / Math.max(Math.abs(ref[i]), 1e-3 * scale));
        return worst;
    }
}
