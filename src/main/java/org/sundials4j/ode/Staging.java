package org.sundials4j.ode;

import java.nio.DoubleBuffer;

/**
 * Copies between the native staging buffers and Java arrays. JDK 17's bulk {@code get/put} carries
 * ~20 ns of fixed cost; for the few states of small models (ROBER: 3) element copies are faster,
 * and at that size the copy is on the hot path of every callback.
 */
final class Staging {
    private static final int ELEMENTWISE_MAX = 8;

    private Staging() {}

    static void read(DoubleBuffer from, double[] to) {
        if (to.length <= ELEMENTWISE_MAX) {
            for (int i = 0; i < to.length; i++) to[i] = from.get(i);
        } else {
            from.get(0, to);
        }
    }

    static void write(double[] from, DoubleBuffer to) {
        if (from.length <= ELEMENTWISE_MAX) {
            for (int i = 0; i < from.length; i++) to.put(i, from[i]);
        } else {
            to.put(0, from);
        }
    }
}
