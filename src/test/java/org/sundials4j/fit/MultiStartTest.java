package org.sundials4j.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class MultiStartTest {
    @Test
    void latinHypercubeHasOneSampleInEveryStratum() {
        double[] lo = {0, -5, 10}, hi = {1, 5, 20};
        int k = 17;
        double[][] x = LatinHypercube.sample(k, lo, hi, 42);
        assertEquals(k, x.length);
        for (int i = 0; i < lo.length; i++) {
            boolean[] hit = new boolean[k];
            for (double[] p : x) {
                assertTrue(p[i] >= lo[i] && p[i] < hi[i]);
                int stratum = (int) Math.floor((p[i] - lo[i]) / (hi[i] - lo[i]) * k);
                assertFalse(hit[stratum], "two samples in stratum " + stratum + " of coordinate " + i);
                hit[stratum] = true;
            }
        }
        assertArrayEquals(x[3], LatinHypercube.sample(k, lo, hi, 42)[3], "same seed, same samples");
        assertThrows(IllegalArgumentException.class, () -> LatinHypercube.sample(3, new double[] {0}, new double[] {Double.POSITIVE_INFINITY}, 1));
    }

    /**
     * A tilted double well {@code (x² - 1)² + 0.3x} per coordinate: from x0 = (0.9, 0.9) the local search
     * stays in the shallow right-hand well; the global minimum is at x ≈ -1.0363 in each coordinate
     * (the root of {@code 4x³ - 4x + 0.3}).
     */
    @Test
    void samplesFindTheDeeperWell() {
        DifferentiableFunction f = (x, g) -> {
            double v = 0;
            for (int i = 0; i < x.length; i++) {
                double w = x[i] * x[i] - 1;
                v += w * w + 0.3 * x[i];
                g[i] = 4 * x[i] * w + 0.3;
            }
            return v;
        };
        OptimizerOptions o = OptimizerOptions.defaults().withGradientTolerance(1e-10);
        double[] lo = {-2, -2}, hi = {2, 2};
        OptimizationResult local = Lbfgsb.minimize(f, new double[] {0.9, 0.9}, lo, hi, o, null);
        assertTrue(local.x()[0] > 0, "the local run stays right");
        List<OptimizationResult> runs = MultiStart.minimize(f, new double[] {0.9, 0.9}, lo, hi, 8, 7, o, null);
        assertEquals(9, runs.size());
        double root = -1.0363; // refine by Newton on 4x³ - 4x + 0.3
        for (int k = 0; k < 50; k++) root -= (4 * root * root * root - 4 * root + 0.3) / (12 * root * root - 4);
        assertArrayEquals(new double[] {root, root}, runs.get(0).x(), 1e-8);
        for (int k = 1; k < runs.size(); k++) assertTrue(runs.get(k).value() >= runs.get(0).value());
    }
}
