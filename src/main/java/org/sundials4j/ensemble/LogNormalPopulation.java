package org.sundials4j.ensemble;

import java.io.Serializable;
import java.util.Objects;

/**
 * A virtual population with log-normal variability, the usual model of between-subject variability
 * in pharmacometrics: subject {@code i} has parameters {@code p_j = typical_j · exp(omega_j · z_ij)},
 * {@code z_ij} standard normal.
 *
 * <p>Subject {@code i}'s draws depend only on {@code (seed, i, j)} (SplitMix64 bits, Box–Muller with
 * {@link StrictMath}), so any thread or machine regenerates any subject without the population
 * being shipped, and gets the same bits.
 *
 * @param typical the typical (median) value of each parameter
 * @param omega   the standard deviation of {@code log p_j} (0 keeps a parameter fixed)
 */
public record LogNormalPopulation(double[] typical, double[] omega, long seed) implements Serializable {
    public LogNormalPopulation {
        typical = Objects.requireNonNull(typical, "typical").clone();
        omega = Objects.requireNonNull(omega, "omega").clone();
        if (omega.length != typical.length)
            throw new IllegalArgumentException("omega.length = " + omega.length + ", typical.length = " + typical.length);
        for (int j = 0; j < typical.length; j++) {
            if (!(typical[j] > 0) || typical[j] == Double.POSITIVE_INFINITY)
                throw new IllegalArgumentException("typical[" + j + "] = " + typical[j] + " is not positive and finite");
            if (!(omega[j] >= 0) || omega[j] == Double.POSITIVE_INFINITY)
                throw new IllegalArgumentException("omega[" + j + "] = " + omega[j] + " is not >= 0 and finite");
        }
    }

    @Override public double[] typical() { return typical.clone(); }
    @Override public double[] omega() { return omega.clone(); }

    /** Subject {@code index}'s parameters ({@code index >= 0}). */
    public double[] parameters(int index) {
        if (index < 0) throw new IllegalArgumentException("index = " + index + " < 0");
        double[] p = new double[typical.length];
        for (int j = 0; j < p.length; j++) p[j] = typical[j] * StrictMath.exp(omega[j] * standardNormal(index, j));
        return p;
    }

    /** A standard normal draw for {@code (seed, index, j)}: Box–Muller on two 53-bit uniforms. */
    double standardNormal(int index, int j) {
        long state = mix(mix(seed) ^ ((long) index << 20 | j));
        double u1 = ((mix(state) >>> 11) + 1) * 0x1.0p-53;           // (0, 1]: log stays finite
        double u2 = (mix(state + 0x9E3779B97F4A7C15L) >>> 11) * 0x1.0p-53;
        return StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
    }

    /** SplitMix64's finaliser (Steele, Lea, Flood 2014). */
    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
