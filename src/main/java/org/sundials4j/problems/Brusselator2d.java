package org.sundials4j.problems;

import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Var;

/**
 * Brusselator reaction–diffusion on an N×N periodic grid, {@code x_i = i/(N-1)}, h = 1/(N-1):
 * {@code u' = B + u²v - (A+1)u + α Δu, v' = A u - u²v + α Δv}, (A, B, α) = (3.4, 1, 10).
 *
 * <p>State layout: grid point {@code (i, j)} (x index i, y index j) is {@code k = j N + i}; its u is
 * state {@code 2k} and its v state {@code 2k + 1}, so each point's pair is adjacent.
 */
public final class Brusselator2d {
    public static final String NAME = "brusselator-2d";
    /** Not fixed by the problem set (sizes 8, 16, 32 are run): the default of the CLI. */
    public static final int DEFAULT_GRID = 16;
    public static final double[] PARAMETERS = {3.4, 1.0, 10.0};
    public static final double FINAL_TIME = 1.0;
    /** Not given by the problem set: the project's choice. */
    public static final double RTOL = 1e-6, ATOL = 1e-8;

    private Brusselator2d() {
    }

    /** Index of u at grid point (i, j), periodic in both directions; v is the next index. */
    public static int uIndex(int n, int i, int j) {
        int ii = Math.floorMod(i, n), jj = Math.floorMod(j, n);
        return 2 * (jj * n + ii);
    }

    public static double[] initialState(int n) {
        checkGrid(n);
        double h = 1.0 / (n - 1);
        double[] y = new double[2 * n * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < n; i++) {
                double x = i * h, yy = j * h;
                y[uIndex(n, i, j)] = 22 * Math.pow(yy * (1 - yy), 1.5);
                y[uIndex(n, i, j) + 1] = 27 * Math.pow(x * (1 - x), 1.5);
            }
        return y;
    }

    public static OdeDefinition definition(int n) {
        checkGrid(n);
        double invH2 = (n - 1.0) * (n - 1.0);
        return (tape, t, y, p) -> {
            Var a = p.get(0), b = p.get(1), alpha = p.get(2).times(invH2);
            Var aPlus1 = a.plus(1);
            Var[] out = new Var[2 * n * n];
            for (int j = 0; j < n; j++)
                for (int i = 0; i < n; i++) {
                    int k = uIndex(n, i, j);
                    Var u = y.get(k), v = y.get(k + 1);
                    Var u2v = u.square().times(v);
                    out[k] = b.plus(u2v).minus(aPlus1.times(u)).plus(alpha.times(laplacian(y, n, i, j, 0)));
                    out[k + 1] = a.times(u).minus(u2v).plus(alpha.times(laplacian(y, n, i, j, 1)));
                }
            return out;
        };
    }

    /** The 5-point sum {@code Σ neighbours - 4 centre} of species {@code s} (0 = u, 1 = v), without 1/h². */
    private static Var laplacian(org.sundials4j.tape.VarVector y, int n, int i, int j, int s) {
        Var centre = y.get(uIndex(n, i, j) + s);
        return y.get(uIndex(n, i + 1, j) + s).plus(y.get(uIndex(n, i - 1, j) + s))
                .plus(y.get(uIndex(n, i, j + 1) + s)).plus(y.get(uIndex(n, i, j - 1) + s))
                .minus(centre.times(4));
    }

    /** Output times: the loss is at t = 1 only. */
    public static double[] outputTimes() {
        return new double[]{FINAL_TIME};
    }

    public static Problem problem(int n) {
        return new Problem(NAME, PARAMETERS, initialState(n), outputTimes(), RTOL, new double[]{ATOL}, definition(n));
    }

    private static void checkGrid(int n) {
        if (n < 3) throw new IllegalArgumentException("n = " + n + " must be at least 3 for a 5-point periodic stencil");
    }
}
