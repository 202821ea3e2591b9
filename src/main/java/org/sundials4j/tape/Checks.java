package org.sundials4j.tape;

/** Argument checks whose messages name the argument and the offending value. */
final class Checks {
    private Checks() {
    }

    static void length(double[] a, String name, int expected) {
        if (a == null) throw new IllegalArgumentException(name + " is null, expected length " + expected);
        if (a.length != expected)
            throw new IllegalArgumentException(name + ".length = " + a.length + ", expected " + expected);
    }

    /** Like {@link #length} but null is allowed (meaning zeros / not wanted). */
    static void lengthOrNull(double[] a, String name, int expected) {
        if (a != null) length(a, name, expected);
    }

    static void finite(double[] a, String name) {
        for (int i = 0; i < a.length; i++)
            if (!Double.isFinite(a[i]))
                throw new IllegalArgumentException(name + "[" + i + "] = " + a[i] + " is not finite");
    }

    static int positive(int n, String name) {
        if (n <= 0) throw new IllegalArgumentException(name + " = " + n + " must be positive");
        return n;
    }

    static int nonNegative(int n, String name) {
        if (n < 0) throw new IllegalArgumentException(name + " = " + n + " must not be negative");
        return n;
    }
}
