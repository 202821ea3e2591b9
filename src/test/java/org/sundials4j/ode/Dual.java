package org.sundials4j.ode;

/**
 * Forward-mode dual numbers with a gradient of fixed length, for differentiating closed-form
 * reference solutions exactly (no step size): an independent check of the solver's sensitivities.
 */
public final class Dual {
    public final double v;
    public final double[] d;

    public Dual(double v, double[] d) {
        this.v = v;
        this.d = d;
    }

    /** A constant in a space of {@code dim} directions. */
    public static Dual constant(double v, int dim) {
        return new Dual(v, new double[dim]);
    }

    /** The variable number {@code index} of {@code dim}. */
    public static Dual variable(double v, int index, int dim) {
        double[] d = new double[dim];
        d[index] = 1;
        return new Dual(v, d);
    }

    private Dual with(double value, double a, Dual o, double b) {
        double[] r = new double[d.length];
        for (int i = 0; i < r.length; i++) r[i] = a * d[i] + (o == null ? 0 : b * o.d[i]);
        return new Dual(value, r);
    }

    public Dual plus(Dual o) { return with(v + o.v, 1, o, 1); }
    public Dual plus(double c) { return with(v + c, 1, null, 0); }
    public Dual minus(Dual o) { return with(v - o.v, 1, o, -1); }
    public Dual minus(double c) { return with(v - c, 1, null, 0); }
    public Dual times(Dual o) { return with(v * o.v, o.v, o, v); }
    public Dual times(double c) { return with(v * c, c, null, 0); }
    public Dual div(Dual o) { return with(v / o.v, 1 / o.v, o, -v / (o.v * o.v)); }
    public Dual div(double c) { return with(v / c, 1 / c, null, 0); }
    public Dual neg() { return with(-v, -1, null, 0); }
    public Dual square() { return times(this); }

    public Dual sqrt() {
        double s = Math.sqrt(v);
        return with(s, 0.5 / s, null, 0);
    }

    public Dual exp() {
        double e = Math.exp(v);
        return with(e, e, null, 0);
    }

    /** The same value with derivative {@code newD}. */
    public Dual withGradient(double[] newD) {
        return new Dual(v, newD.clone());
    }
}
