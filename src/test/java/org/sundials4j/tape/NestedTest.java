package org.sundials4j.tape;

import static org.sundials4j.tape.FiniteDifferences.assertAllClose;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Nested AD: Hamiltonian systems whose RHS is the recorded gradient of H. The references are the
 * analytic gradients written by hand; the tape's Jacobian (second derivatives of H) is checked against
 * central differences of those analytic gradients.
 */
class NestedTest {

    /** Canonical equations from the tape gradient of H: q' = ∂H/∂p, p' = -∂H/∂q; y = (q, p). */
    private static OdeDefinition hamiltonian(java.util.function.BiFunction<VarVector, VarVector, Var> h, int dof) {
        return (tape, t, y, params) -> {
            Var[] g = tape.gradient(h.apply(y, params), y);
            Var[] out = new Var[2 * dof];
            for (int i = 0; i < dof; i++) {
                out[i] = g[dof + i];
                out[dof + i] = g[i].neg();
            }
            return out;
        };
    }

    // ------------------------------------------------------------------------- pendulum

    /** H = p²/(2 m l²) + m g l (1 - cos q), params (m, g, l). */
    private static void pendulumField(double[] y, double[] par, double[] out) {
        double m = par[0], g = par[1], l = par[2];
        out[0] = y[1] / (m * l * l);
        out[1] = -m * g * l * Math.sin(y[0]);
    }

    @Test
    void pendulum() {
        OdeDefinition def = hamiltonian((y, par) -> {
            Var m = par.get(0), g = par.get(1), l = par.get(2), q = y.get(0), p = y.get(1);
            return p.square().div(m.times(l.square()).times(2)).plus(m.times(g).times(l).times(q.cos().rminus(1)));
        }, 1);
        double[] par = {1.3, 9.81, 0.7};
        TapeOdeModel model = TapeOdeModel.record(2, 3, def, 0, new double[]{0.1, 0}, par);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 10; trial++) {
            double[] y = {3 * rnd.nextGaussian(), rnd.nextGaussian()};
            checkAgainstAnalytic(model, y, par, NestedTest::pendulumField, "pendulum");
        }
    }

    // ------------------------------------------------------------------------- neural network

    private static final int WIDTH = 6, DOF = 2;

    /** H(x) = w2 · tanh(W1 x + b1), x = (q, p) ∈ R⁴; params [W1 (WIDTH×4), b1, w2]. */
    private static Var networkH(VarVector x, VarVector par) {
        int n = 2 * DOF;
        VarMatrix w1 = par.slice(0, WIDTH * n).asMatrix(WIDTH, n);
        VarVector b1 = par.slice(WIDTH * n, WIDTH), w2 = par.slice(WIDTH * n + WIDTH, WIDTH);
        return w1.timesPlus(x, b1).tanh().dot(w2);
    }

    /** Analytic ∇H = W1ᵀ (w2 ∘ (1 - tanh²(W1 x + b1))), turned into the canonical field. */
    private static void networkField(double[] x, double[] par, double[] out) {
        int n = 2 * DOF;
        double[] grad = new double[n];
        for (int k = 0; k < WIDTH; k++) {
            double z = par[WIDTH * n + k];
            for (int j = 0; j < n; j++) z += par[k * n + j] * x[j];
            double s = par[WIDTH * n + WIDTH + k] * (1 - Math.tanh(z) * Math.tanh(z));
            for (int j = 0; j < n; j++) grad[j] += par[k * n + j] * s;
        }
        for (int i = 0; i < DOF; i++) {
            out[i] = grad[DOF + i];
            out[DOF + i] = -grad[i];
        }
    }

    private static double[] networkParameters(Random rnd) {
        double[] par = new double[WIDTH * 4 + 2 * WIDTH];
        for (int i = 0; i < par.length; i++) par[i] = 0.7 * rnd.nextGaussian();
        return par;
    }

    @Test
    void neuralNetworkHamiltonian() {
        Random rnd = new Random(4);
        double[] par = networkParameters(rnd);
        TapeOdeModel model = TapeOdeModel.record(4, par.length, hamiltonian(NestedTest::networkH, DOF), 0, new double[4], par);
        for (int trial = 0; trial < 10; trial++) {
            double[] y = new double[4];
            for (int i = 0; i < 4; i++) y[i] = rnd.nextGaussian();
            checkAgainstAnalytic(model, y, par, NestedTest::networkField, "network");
        }
    }

    @Test
    void hessianVectorProductOfTheNetwork() {
        Random rnd = new Random(5);
        double[] par = networkParameters(rnd);
        // H as a function of x alone, with the weights as constants on the tape
        TapeFunction h = TapeFunction.record(4, (tape, x) -> new Var[]{networkH(x, tape.constants(par))}, new double[4]);
        for (int trial = 0; trial < 10; trial++) {
            double[] x = new double[4], v = new double[4];
            for (int i = 0; i < 4; i++) { x[i] = rnd.nextGaussian(); v[i] = rnd.nextGaussian(); }
            double[] hv = new double[4];
            h.hessianVector(x, v, hv);
            // reference: central differences of the analytic gradient along v
            double eps = 1e-6;
            double[] xp = x.clone(), xm = x.clone();
            for (int i = 0; i < 4; i++) { xp[i] += eps * v[i]; xm[i] -= eps * v[i]; }
            double[] gp = new double[4], gm = new double[4], expected = new double[4];
            gradientOfNetwork(xp, par, gp);
            gradientOfNetwork(xm, par, gm);
            for (int i = 0; i < 4; i++) expected[i] = (gp[i] - gm[i]) / (2 * eps);
            assertAllClose(expected, hv, 1e-6, 1e-8, "Hv");
            double[] grad = new double[4], reference = new double[4];
            h.gradient(x, grad);
            gradientOfNetwork(x, par, reference);
            assertAllClose(reference, grad, 1e-12, 1e-14, "gradient");
        }
    }

    /** ∇H recovered from the canonical field: (q', p') = (∂H/∂p, -∂H/∂q). */
    private static void gradientOfNetwork(double[] x, double[] par, double[] grad) {
        double[] field = new double[4];
        networkField(x, par, field);
        for (int i = 0; i < DOF; i++) {
            grad[i] = -field[DOF + i];
            grad[DOF + i] = field[i];
        }
    }

    // ------------------------------------------------------------------------- shared checks

    private interface Field {
        void eval(double[] y, double[] par, double[] out);
    }

    private static void checkAgainstAnalytic(TapeOdeModel model, double[] y, double[] par, Field field, String what) {
        int n = y.length;
        double[] f = new double[n], expected = new double[n];
        model.rhs(0, y, par, f);
        field.eval(y, par, expected);
        assertAllClose(expected, f, 1e-12, 1e-14, what + " rhs");
        double[] fd = FiniteDifferences.jacobian((yy, out) -> field.eval(yy, par, out), y, n);
        double[] dense = new double[n * n], rowMajor = new double[n * n];
        model.jacobianDense(0, y, par, dense);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) rowMajor[i * n + j] = dense[j * n + i];
        assertAllClose(fd, rowMajor, 1e-6, 1e-8, what + " Jacobian vs FD of the analytic field");
        // λᵀ f_p reaches through the nested gradient into the parameters
        double[] lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = 1.0 / (i + 1);
        double[] ly = new double[n], lp = new double[par.length];
        model.vjp(0, y, par, lambda, ly, lp, null);
        double[] fdP = FiniteDifferences.jacobian((pp, out) -> field.eval(y, pp, out), par, n);
        double[] expectedP = new double[par.length];
        for (int k = 0; k < par.length; k++) for (int i = 0; i < n; i++) expectedP[k] += lambda[i] * fdP[i * par.length + k];
        assertAllClose(expectedP, lp, 1e-6, 1e-8, what + " λᵀf_p vs FD");
    }
}
