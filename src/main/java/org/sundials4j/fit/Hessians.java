package org.sundials4j.fit;

/** Small dense linear algebra for Hessians: symmetrization and inversion by Cholesky. */
final class Hessians {
    private Hessians() {
    }

    static double[][] symmetrize(double[][] h) {
        int n = h.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) s[i][j] = 0.5 * (h[i][j] + h[j][i]);
        return s;
    }

    /**
     * The inverse of a symmetric positive definite matrix by Cholesky; throws
     * {@link IllegalStateException} naming the pivot when it is not positive definite.
     */
    static double[][] inverseSpd(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) d -= l[j][k] * l[j][k];
            if (!(d > 0))
                throw new IllegalStateException("the Hessian is not positive definite (Cholesky pivot " + j + " = " + d
                        + "): the parameters are not identifiable at this point, or it is not a minimum");
            l[j][j] = Math.sqrt(d);
            for (int i = j + 1; i < n; i++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                l[i][j] = s / l[j][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] x = new double[n];
            for (int i = 0; i < n; i++) { // L z = e_c
                double s = i == c ? 1 : 0;
                for (int k = 0; k < i; k++) s -= l[i][k] * x[k];
                x[i] = s / l[i][i];
            }
            for (int i = n - 1; i >= 0; i--) { // Lᵀ x = z
                double s = x[i];
                for (int k = i + 1; k < n; k++) s -= l[k][i] * x[k];
                x[i] = s / l[i][i];
            }
            for (int i = 0; i < n; i++) inv[i][c] = x[i];
        }
        return inv;
    }
}
