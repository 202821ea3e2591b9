package org.sundials4j.ode;

/**
 * u_t = D u_xx on (0, 1), u = 0 at both ends, n interior points: a tridiagonal test problem whose
 * solution from u(x,0) = sin(pi x) is exp(-D pi^2 t) sin(pi x) up to the discretisation error.
 */
final class Diffusion1D implements OdeModel {
    final int n;
    final boolean withJacobian;

    Diffusion1D(int n, boolean withJacobian) {
        this.n = n;
        this.withJacobian = withJacobian;
    }

    double h() { return 1.0 / (n + 1); }

    double[] initial() {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) u[i] = Math.sin(Math.PI * (i + 1) * h());
        return u;
    }

    @Override public int stateCount() { return n; }
    @Override public int parameterCount() { return 1; }

    @Override
    public void rhs(double t, double[] u, double[] p, double[] du) {
        double c = p[0] / (h() * h());
        for (int i = 0; i < n; i++) {
            double left = i > 0 ? u[i - 1] : 0, right = i < n - 1 ? u[i + 1] : 0;
            du[i] = c * (left - 2 * u[i] + right);
        }
    }

    @Override public boolean hasJacobian() { return withJacobian; }

    @Override
    public void jacobian(double t, double[] u, double[] p, JacobianWriter j) {
        double c = p[0] / (h() * h());
        for (int i = 0; i < n; i++) {
            if (i > 0) j.set(i, i - 1, c);
            j.set(i, i, -2 * c);
            if (i < n - 1) j.set(i, i + 1, c);
        }
    }

    SparsityPattern pattern() {
        return SparsityPattern.of(n, (i, k) -> Math.abs(i - k) <= 1);
    }

    @Override
    public SparsityPattern sparsity() {
        return pattern();
    }
}
