package org.sundials4j.ode;

/**
 * The semi-discrete 2-D advection-diffusion problem of SUNDIALS' cvsAdvDiff_ASAi_bnd, with the
 * example's arithmetic: u_t = u_xx + 0.5 u_x + u_yy on [0,2]x[0,1], MX x MY interior points stored
 * column by column in y (index (i-1)*MY + (j-1)), homogeneous Dirichlet boundaries. The system is
 * linear, so the products are the stencil and its transpose.
 */
final class AdvDiff2DFixture implements DifferentiableOdeModel {
    static final int MX = 40, MY = 20, NEQ = MX * MY;
    static final double XMAX = 2, YMAX = 1;
    final double dx = XMAX / (MX + 1), dy = YMAX / (MY + 1);
    final double hdcoef = 1.0 / (dx * dx), hacoef = 1.5 / (2.0 * dx), vdcoef = 1.0 / (dy * dy);

    static int idx(int i, int j) {
        return (j - 1) + (i - 1) * MY;
    }

    double[] initial() {
        double[] u = new double[NEQ];
        for (int j = 1; j <= MY; j++) {
            double y = j * dy;
            for (int i = 1; i <= MX; i++) {
                double x = i * dx;
                u[idx(i, j)] = x * (XMAX - x) * y * (YMAX - y) * Math.exp(5.0 * x * y);
            }
        }
        return u;
    }

    @Override public AdvDiff2DFixture forSolver() { return this; }
    @Override public int stateCount() { return NEQ; }
    @Override public boolean hasJacobian() { return true; }

    @Override
    public void rhs(double t, double[] u, double[] p, double[] du) {
        for (int j = 1; j <= MY; j++) {
            for (int i = 1; i <= MX; i++) {
                double uij = u[idx(i, j)];
                double udn = j == 1 ? 0 : u[idx(i, j - 1)];
                double uup = j == MY ? 0 : u[idx(i, j + 1)];
                double ult = i == 1 ? 0 : u[idx(i - 1, j)];
                double urt = i == MX ? 0 : u[idx(i + 1, j)];
                double hdiff = hdcoef * (ult - 2.0 * uij + urt);
                double hadv = hacoef * (urt - ult);
                double vdiff = vdcoef * (uup - 2.0 * uij + udn);
                du[idx(i, j)] = hdiff + hadv + vdiff;
            }
        }
    }

    @Override
    public void jacobian(double t, double[] u, double[] p, JacobianWriter jw) {
        for (int j = 1; j <= MY; j++) {
            for (int i = 1; i <= MX; i++) {
                int k = idx(i, j);
                jw.set(k, k, -2.0 * (vdcoef + hdcoef));
                if (i != 1) jw.set(k, idx(i - 1, j), hdcoef - hacoef);
                if (i != MX) jw.set(k, idx(i + 1, j), hdcoef + hacoef);
                if (j != 1) jw.set(k, idx(i, j - 1), vdcoef);
                if (j != MY) jw.set(k, idx(i, j + 1), vdcoef);
            }
        }
    }

    @Override
    public void jvp(double t, double[] u, double[] p, double[] v, double[] w, double[] out) {
        rhs(t, v, p, out); // linear and parameter-free: f_y v = f(v)
    }

    /** λᵀ f_y as the example's fB writes -(f_yᵀ λ) (without its -1 from the integrand), negated. */
    @Override
    public void vjp(double t, double[] u, double[] p, double[] l, double[] outY, double[] outP, double[] ydot) {
        for (int j = 1; j <= MY; j++) {
            for (int i = 1; i <= MX; i++) {
                double lij = l[idx(i, j)];
                double ldn = j == 1 ? 0 : l[idx(i, j - 1)];
                double lup = j == MY ? 0 : l[idx(i, j + 1)];
                double llt = i == 1 ? 0 : l[idx(i - 1, j)];
                double lrt = i == MX ? 0 : l[idx(i + 1, j)];
                double hdiffB = hdcoef * (-llt + 2.0 * lij - lrt);
                double hadvB = hacoef * (lrt - llt);
                double vdiffB = vdcoef * (-lup + 2.0 * lij - ldn);
                outY[idx(i, j)] = -(hdiffB + hadvB + vdiffB);
            }
        }
        if (ydot != null) rhs(t, u, p, ydot);
    }
}
