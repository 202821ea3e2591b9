package org.sundials4j.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link TreeSum} against the definition of its order, written here as the textbook recursion
 * (split at the largest power of two below the length; a failed member is absent), for random sizes,
 * failures, arrival orders and partitions merged in random groupings; and against the exact sum
 * (BigDecimal) within the error bound of pairwise summation.
 */
class TreeSumProperties {

    /** Σ over [lo, hi) with the split at lo + the largest power of two below hi - lo; null if all failed. */
    static double[] pairwise(double[][] v, int lo, int hi) {
        if (hi - lo == 1) return v[lo] == null ? null : v[lo].clone();
        int half = Integer.highestOneBit(hi - lo - 1);
        double[] a = pairwise(v, lo, lo + half), b = pairwise(v, lo + half, hi);
        if (a == null) return b;
        if (b == null) return a;
        for (int i = 0; i < a.length; i++) a[i] += b[i];
        return a;
    }

    static double[][] values(Random rnd, int size, int dim, double failureRate) {
        double[][] v = new double[size][];
        for (int i = 0; i < size; i++) {
            if (rnd.nextDouble() < failureRate) continue;
            v[i] = new double[dim];
            // mixed signs and magnitudes, so a different grouping gives different bits
            for (int k = 0; k < dim; k++) v[i][k] = rnd.nextGaussian() * Math.pow(10, rnd.nextInt(12) - 6);
        }
        return v;
    }

    @Property(tries = 300)
    void anyArrivalOrderAndMergeGroupingGivesTheRecursionsBits(@ForAll @IntRange(min = 1, max = 700) int size,
                                                               @ForAll @IntRange(min = 1, max = 9) int parts,
                                                               @ForAll long seed) {
        Random rnd = new Random(seed);
        double[][] v = values(rnd, size, 3, rnd.nextBoolean() ? 0 : 0.2);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) order.add(i);
        Collections.shuffle(order, rnd);
        List<TreeSum> partial = new ArrayList<>();
        for (int p = 0; p < parts; p++) partial.add(new TreeSum(size));
        for (int i : order) {
            TreeSum t = partial.get(rnd.nextInt(parts));
            if (v[i] == null) t.skip(i);
            else t.add(i, v[i]);
        }
        // merge in a random binary grouping, as a tree aggregation across machines might
        while (partial.size() > 1) {
            TreeSum a = partial.remove(rnd.nextInt(partial.size()));
            TreeSum b = partial.remove(rnd.nextInt(partial.size()));
            TreeSum c = rnd.nextBoolean() ? a : new TreeSum(size);
            if (c != a) c.merge(a);
            c.merge(b);
            partial.add(rnd.nextBoolean() ? roundTrip(c) : c);
        }
        TreeSum total = partial.get(0);
        double[] expected = pairwise(v, 0, size);
        double[] got = total.result();
        if (expected == null) assertNull(got);
        else assertArrayEquals(expected, got, 0.0); // exact: same grouping, same bits
        int succeeded = 0;
        for (double[] x : v) if (x != null) succeeded++;
        assertEquals(succeeded, total.summed());
        assertEquals(size, total.covered());
    }

    @Property(tries = 100)
    void withinThePairwiseErrorBoundOfTheExactSum(@ForAll @IntRange(min = 2, max = 5000) int size, @ForAll long seed) {
        Random rnd = new Random(seed);
        double[][] v = values(rnd, size, 1, 0);
        TreeSum t = new TreeSum(size);
        for (int i = size - 1; i >= 0; i--) t.add(i, v[i]);
        BigDecimal exact = BigDecimal.ZERO;
        double absSum = 0;
        for (double[] x : v) {
            exact = exact.add(new BigDecimal(x[0]));
            absSum += Math.abs(x[0]);
        }
        // |computed - exact| <= gamma_h Σ|x_i| with h = ceil(log2 n) levels of additions (Higham, §4.2)
        int h = 32 - Integer.numberOfLeadingZeros(size - 1);
        double u = 0x1.0p-53, gamma = h * u / (1 - h * u);
        double err = new BigDecimal(t.result()[0]).subtract(exact).abs().round(MathContext.DECIMAL64).doubleValue();
        assertTrue(err <= gamma * absSum * (1 + 1e-12), "error " + err + " above bound " + gamma * absSum);
    }

    @Test
    void theGroupingMattersSoItMustBeFixed() {
        // left to right: ((1e16 + 1) - 1e16) + 1 = 1; the tree: (1e16 + 1) + (-1e16 + 1) = 1e16 - 1e16 = 0
        double[][] v = {{1e16}, {1}, {-1e16}, {1}};
        TreeSum t = new TreeSum(4);
        for (int i = 0; i < 4; i++) t.add(i, v[i]);
        double leftToRight = ((1e16 + 1) - 1e16) + 1;
        assertEquals(0.0, t.result()[0], 0.0);
        assertEquals(pairwise(v, 0, 4)[0], t.result()[0], 0.0);
        assertFalse(leftToRight == t.result()[0], "this input must show that grouping changes the answer");
    }

    @Test
    void allFailedOrEmptyGivesNull() {
        TreeSum t = new TreeSum(3);
        for (int i = 0; i < 3; i++) t.skip(i);
        assertNull(t.result());
        assertEquals(0, t.summed());
        assertNull(new TreeSum(0).result());
    }

    @Test
    void misuseIsRefusedWithTheIndexNamed() {
        TreeSum t = new TreeSum(5);
        t.add(1, new double[] {1, 2});
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.add(1, new double[] {1, 2})).getMessage().contains("1"));
        assertThrows(IllegalArgumentException.class, () -> t.skip(1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.add(5, new double[2])).getMessage().contains("5"));
        assertThrows(IllegalArgumentException.class, () -> t.add(-1, new double[2]));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> t.add(2, new double[3])).getMessage().contains("length 3"));
        assertThrows(IllegalArgumentException.class, () -> t.add(2, null));
        assertTrue(assertThrows(IllegalStateException.class, t::result).getMessage().contains("1 of 5"));
        // a member absorbed into a parent, given again through a merge
        t.add(0, new double[2]);
        TreeSum again = new TreeSum(5);
        again.add(0, new double[2]);
        assertThrows(IllegalArgumentException.class, () -> t.merge(again));
        assertThrows(IllegalArgumentException.class, () -> t.merge(new TreeSum(6)));
        assertThrows(IllegalArgumentException.class, () -> new TreeSum(-1));
    }

    @Test
    void addingCopiesTheVector() {
        double[] x = {1, 2};
        TreeSum t = new TreeSum(1);
        t.add(0, x);
        x[0] = 99;
        assertArrayEquals(new double[] {1, 2}, t.result(), 0.0);
    }

    private static TreeSum roundTrip(TreeSum t) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(t);
            }
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (TreeSum) in.readObject();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
