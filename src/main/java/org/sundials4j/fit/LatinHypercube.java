package org.sundials4j.fit;

import java.util.Random;

/**
 * Latin hypercube samples in a box: each coordinate's range is cut into {@code count} equal strata and
 * every stratum holds exactly one sample, the strata paired across coordinates by independent random
 * permutations. Spreads few starting points over every coordinate's whole range.
 */
public final class LatinHypercube {
    private LatinHypercube() {
    }

    /**
     * @param lower finite lower bounds
     * @param upper finite upper bounds, each above its lower bound
     * @param seed  the random seed (the same seed gives the same samples)
     * @return {@code count} points, each of the bounds' length
     */
    public static double[][] sample(int count, double[] lower, double[] upper, long seed) {
        if (count < 1) throw new IllegalArgumentException("count = " + count + ", must be >= 1");
        if (lower.length != upper.length)
            throw new IllegalArgumentException("lower.length = " + lower.length + " but upper.length = " + upper.length);
        for (int i = 0; i < lower.length; i++)
            if (!Double.isFinite(lower[i]) || !Double.isFinite(upper[i]) || !(lower[i] < upper[i]))
                throw new IllegalArgumentException("bounds of coordinate " + i + " are [" + lower[i] + ", " + upper[i]
                        + "]; Latin hypercube sampling needs finite lower < upper");
        Random rnd = new Random(seed);
        double[][] x = new double[count][lower.length];
        int[] perm = new int[count];
        for (int i = 0; i < lower.length; i++) {
            for (int k = 0; k < count; k++) perm[k] = k;
            for (int k = count - 1; k > 0; k--) { // Fisher-Yates
                int j = rnd.nextInt(k + 1), t = perm[k];
                perm[k] = perm[j];
                perm[j] = t;
            }
            double w = (upper[i] - lower[i]) / count;
            for (int k = 0; k < count; k++) x[k][i] = lower[i] + (perm[k] + rnd.nextDouble()) * w;
        }
        return x;
    }
}
