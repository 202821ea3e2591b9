package org.sundials4j.ode;

/**
 * The integrand {@code g(t, y, p)} of an integral functional {@code G = ∫ g dt} over
 * {@code [t0, last output time]}, with its gradient.
 */
public interface Integrand {
    double value(double t, double[] y, double[] p);

    /** Returns {@code g} and writes {@code gy = ∂g/∂y}, {@code gp = ∂g/∂p} (overwritten, not added). */
    double gradient(double t, double[] y, double[] p, double[] gy, double[] gp);

    /** The instance a solver should use (override if the integrand keeps scratch state). */
    default Integrand forSolver() {
        return this;
    }
}
