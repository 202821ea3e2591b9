package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BiConsumer;

/** Independent references for the tape tests: central differences and tolerant comparisons. */
public final class FiniteDifferences {
    private FiniteDifferences() {
    }

    /** Central-difference Jacobian (row-major m × n) of {@code f: x ↦ out}, step relative to |x_j|. */
    public static double[] jacobian(BiConsumer<double[], double[]> f, double[] x, int m) {
        int n = x.length;
        double[] jac = new double[m * n];
        double[] plus = new double[m], minus = new double[m];
        for (int j = 0; j < n; j++) {
            double h = 1e-6 * Math.max(1.0, Math.abs(x[j]));
            double[] xp = x.clone(), xm = x.clone();
            xp[j] += h;
            xm[j] -= h;
            f.accept(xp, plus);
            f.accept(xm, minus);
            for (int i = 0; i < m; i++) jac[i * n + j] = (plus[i] - minus[i]) / (xp[j] - xm[j]);
        }
        return jac;
    }

    /** Central difference of a scalar function with a step relative to |x|. */
    public static double derivative(java.util.function.DoubleUnaryOperator f, double x) {
        double h = 1e-6 * Math.max(Math.abs(x), 1e-3);
        double xp = x + h, xm = x - h;
        return (f.applyAsDouble(xp) - f.applyAsDouble(xm)) / (xp - xm);
    }

    /** |a - b| <= rel·max(|a|, |b|) + abs, with a message naming what is compared. */
    public static void assertClose(double expected, double actual, double rel, double abs, String what) {
        double tol = rel * Math.max(Math.abs(expected), Math.abs(actual)) + abs;
        assertTrue(Math.abs(expected - actual) <= tol || (Double.isNaN(expected) && Double.isNaN(actual)),
                () -> what + ": expected " + expected + ", got " + actual + " (tolerance " + tol + ")");
    }

    public static void assertAllClose(double[] expected, double[] actual, double rel, double abs, String what) {
        assertTrue(expected.length == actual.length, what + ": lengths " + expected.length + " vs " + actual.length);
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++)
            assertClose(expected[i], actual[i], rel, abs + rel * 1e-3 * scale, what + "[" + i + "]");
    }

    public static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
