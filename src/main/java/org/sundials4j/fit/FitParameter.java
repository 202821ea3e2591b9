package org.sundials4j.fit;

/**
 * One parameter of an estimation: its name, starting value and bounds (natural units), whether the
 * optimizer works on its logarithm (for positive rate constants spanning decades), and whether it is
 * fixed at its starting value. Immutable; {@code with…} copies.
 */
public record FitParameter(String name, double initial, double lower, double upper, boolean logScale, boolean fixed) {
    public FitParameter {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("parameter name is empty");
        if (!Double.isFinite(initial)) throw new IllegalArgumentException("parameter " + name + ": initial = " + initial);
        if (Double.isNaN(lower) || Double.isNaN(upper) || !(lower <= upper))
            throw new IllegalArgumentException("parameter " + name + ": bounds [" + lower + ", " + upper + "]");
        if (!fixed && (initial < lower || initial > upper))
            throw new IllegalArgumentException("parameter " + name + ": initial = " + initial + " outside [" + lower + ", " + upper + "]");
        if (logScale && !(initial > 0))
            throw new IllegalArgumentException("parameter " + name + ": log scale needs initial > 0, got " + initial);
        if (logScale && lower < 0)
            throw new IllegalArgumentException("parameter " + name + ": log scale needs lower >= 0, got " + lower);
    }

    /** A free, unbounded, linear-scale parameter. */
    public static FitParameter of(String name, double initial) {
        return new FitParameter(name, initial, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, false, false);
    }

    /** Estimated on a log scale (and bounded below by 0). */
    public FitParameter withLogScale() {
        return new FitParameter(name, initial, Math.max(lower, 0), upper, true, fixed);
    }

    public FitParameter withBounds(double lo, double hi) {
        return new FitParameter(name, initial, lo, hi, logScale, fixed);
    }

    /** Held at its initial value. */
    public FitParameter asFixed() {
        return new FitParameter(name, initial, lower, upper, logScale, true);
    }

    public FitParameter withInitial(double value) {
        return new FitParameter(name, value, lower, upper, logScale, fixed);
    }

    /** The optimizer's coordinate of a natural value. */
    double toTheta(double natural) {
        return logScale ? Math.log(natural) : natural;
    }

    double toNatural(double theta) {
        return logScale ? Math.exp(theta) : theta;
    }

    /** {@code dq/dθ} at {@code θ}. */
    double slope(double theta) {
        return logScale ? Math.exp(theta) : 1;
    }
}
