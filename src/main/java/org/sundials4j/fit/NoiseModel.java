package org.sundials4j.fit;

import java.util.Arrays;

/**
 * The measurement noise, one σ per observable:
 * <ul>
 *   <li>{@link #gaussian}: {@code d = h + σε}, {@code -log p = ½((h - d)/σ)² + log σ + ½log 2π};</li>
 *   <li>{@link #logNormal}: {@code log d = log h + σε} (multiplicative noise, {@code h, d > 0}),
 *       {@code -log p = ½((log h - log d)/σ)² + log σ + log d + ½log 2π}.</li>
 * </ul>
 * The σ are known, or, after {@link #estimated()}, extra parameters of the fit (on a log scale,
 * starting from the given values).
 */
public final class NoiseModel {
    /** The distribution family. */
    public enum Kind { GAUSSIAN, LOG_NORMAL }

    private final Kind kind;
    private final double[] sigma;
    private final boolean estimated;

    private NoiseModel(Kind kind, double[] sigma, boolean estimated) {
        if (sigma.length == 0) throw new IllegalArgumentException("give one sigma per observable");
        for (int j = 0; j < sigma.length; j++)
            if (!(sigma[j] > 0) || Double.isInfinite(sigma[j]))
                throw new IllegalArgumentException("sigma[" + j + "] = " + sigma[j] + ", must be finite and > 0");
        this.kind = kind;
        this.sigma = sigma.clone();
        this.estimated = estimated;
    }

    /** Additive Gaussian noise with standard deviations {@code sigma} (one per observable). */
    public static NoiseModel gaussian(double... sigma) {
        return new NoiseModel(Kind.GAUSSIAN, sigma, false);
    }

    /** Log-normal (multiplicative) noise: {@code sigma} is the standard deviation of {@code log d}. */
    public static NoiseModel logNormal(double... sigma) {
        return new NoiseModel(Kind.LOG_NORMAL, sigma, false);
    }

    /** The same family with the σ estimated, starting from the values given. */
    public NoiseModel estimated() {
        return new NoiseModel(kind, sigma, true);
    }

    public Kind kind() { return kind; }
    public double[] sigma() { return sigma.clone(); }
    public boolean isEstimated() { return estimated; }
    public int observableCount() { return sigma.length; }

    @Override
    public String toString() {
        return kind + (estimated ? " (estimated σ from " : " (σ = ") + Arrays.toString(sigma) + ")";
    }
}
