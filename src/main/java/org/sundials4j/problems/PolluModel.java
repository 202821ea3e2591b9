package org.sundials4j.problems;

import org.sundials4j.ode.JacobianWriter;
import org.sundials4j.ode.OdeModel;

/**
 * POLLU written by hand on {@code double[]}: the right-hand side spelled out as in the problem set,
 * and the Jacobian assembled from each reaction's two partial derivatives ({@code ∂(k y_a y_b)/∂y_a =
 * k y_b}) and the stoichiometry of {@link Pollu}. Allocates nothing per call.
 */
public final class PolluModel implements OdeModel {
    private final double[] r = new double[25];
    private final double[] jac = new double[Pollu.STATES * Pollu.STATES];

    @Override
    public int stateCount() {
        return Pollu.STATES;
    }

    @Override
    public int parameterCount() {
        return Pollu.PARAMETERS.length;
    }

    @Override
    public OdeModel forSolver() {
        return new PolluModel();
    }

    @Override
    public void rhs(double t, double[] y, double[] k, double[] ydot) {
        double[] r = this.r;
        r[0] = k[0] * y[0];
        r[1] = k[1] * y[1] * y[3];
        r[2] = k[2] * y[4] * y[1];
        r[3] = k[3] * y[6];
        r[4] = k[4] * y[6];
        r[5] = k[5] * y[6] * y[5];
        r[6] = k[6] * y[8];
        r[7] = k[7] * y[8] * y[5];
        r[8] = k[8] * y[10] * y[1];
        r[9] = k[9] * y[10] * y[0];
        r[10] = k[10] * y[12];
        r[11] = k[11] * y[9] * y[1];
        r[12] = k[12] * y[13];
        r[13] = k[13] * y[0] * y[5];
        r[14] = k[14] * y[2];
        r[15] = k[15] * y[3];
        r[16] = k[16] * y[3];
        r[17] = k[17] * y[15];
        r[18] = k[18] * y[15];
        r[19] = k[19] * y[16] * y[5];
        r[20] = k[20] * y[18];
        r[21] = k[21] * y[18];
        r[22] = k[22] * y[0] * y[3];
        r[23] = k[23] * y[18] * y[0];
        r[24] = k[24] * y[19];
        ydot[0] = -r[0] - r[9] - r[13] - r[22] - r[23] + r[1] + r[2] + r[8] + r[10] + r[11] + r[21] + r[24];
        ydot[1] = -r[1] - r[2] - r[8] - r[11] + r[0] + r[20];
        ydot[2] = -r[14] + r[0] + r[16] + r[18] + r[21];
        ydot[3] = -r[1] - r[15] - r[16] - r[22] + r[14];
        ydot[4] = -r[2] + 2 * r[3] + r[5] + r[6] + r[12] + r[19];
        ydot[5] = -r[5] - r[7] - r[13] - r[19] + r[2] + 2 * r[17];
        ydot[6] = -r[3] - r[4] - r[5] + r[12];
        ydot[7] = r[3] + r[4] + r[5] + r[6];
        ydot[8] = -r[6] - r[7];
        ydot[9] = -r[11] + r[6] + r[8];
        ydot[10] = -r[8] - r[9] + r[7] + r[10];
        ydot[11] = r[8];
        ydot[12] = -r[10] + r[9];
        ydot[13] = -r[12] + r[11];
        ydot[14] = r[13];
        ydot[15] = -r[17] - r[18] + r[15];
        ydot[16] = -r[19];
        ydot[17] = r[19];
        ydot[18] = -r[20] - r[21] - r[23] + r[22] + r[24];
        ydot[19] = -r[24] + r[23];
    }

    @Override
    public boolean hasJacobian() {
        return true;
    }

    /** {@code J[i][c] = Σ_j S[i][j] ∂r_j/∂y_c}, accumulated densely, then the nonzeros written. */
    @Override
    public void jacobian(double t, double[] y, double[] k, JacobianWriter out) {
        int n = Pollu.STATES;
        java.util.Arrays.fill(jac, 0.0);
        for (int i = 0; i < n; i++) {
            for (int signed : Pollu.STOICHIOMETRY[i]) {
                int j = Math.abs(signed) - 1;
                double sign = Math.signum(signed);
                int[] s = Pollu.REACTANTS[j];
                if (s.length == 1) {
                    jac[i * n + s[0]] += sign * k[j];
                } else {
                    jac[i * n + s[0]] += sign * k[j] * y[s[1]];
                    jac[i * n + s[1]] += sign * k[j] * y[s[0]];
                }
            }
        }
        for (int i = 0; i < n; i++)
            for (int c = 0; c < n; c++)
                if (jac[i * n + c] != 0) out.set(i, c, jac[i * n + c]);
    }
}
