package org.sundials4j.ode;

/** The integrand {@code g = y_i} written by hand (no tape): a test fixture shared across packages. */
public final class StateIntegrand {
    private StateIntegrand() {
    }

    /** {@code g(t, y, p) = y[i]}, with {@code g_y = e_i} and {@code g_p = 0}. */
    public static Integrand of(int i) {
        return new Integrand() {
            @Override public double value(double t, double[] y, double[] p) { return y[i]; }
            @Override public double gradient(double t, double[] y, double[] p, double[] gy, double[] gp) {
                java.util.Arrays.fill(gy, 0);
                java.util.Arrays.fill(gp, 0);
                gy[i] = 1;
                return y[i];
            }
        };
    }
}
