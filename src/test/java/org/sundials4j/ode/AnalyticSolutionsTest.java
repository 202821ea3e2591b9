package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Problems with closed-form solutions, solved with both methods. */
class AnalyticSolutionsTest {

    /** y' = -k y, y(0) = y0 (one parameter k, three decoupled states with different y0). */
    static final class Decay implements OdeModel {
        @Override public int stateCount() { return 3; }
        @Override public int parameterCount() { return 1; }
        @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
            for (int i = 0; i < 3; i++) ydot[i] = -p[0] * y[i];
        }
    }

    /** x' = v, v' = -w^2 x: x = cos(w t), v = -w sin(w t) from (1, 0). */
    static final class Oscillator implements OdeModel {
        @Override public int stateCount() { return 2; }
        @Override public int parameterCount() { return 1; }
        @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
            ydot[0] = y[1];
            ydot[1] = -p[0] * p[0] * y[0];
        }
        @Override public boolean hasJacobian() { return true; }
        @Override public void jacobian(double t, double[] y, double[] p, JacobianWriter j) {
            j.set(0, 1, 1);
            j.set(1, 0, -p[0] * p[0]);
        }
    }

    static double[] grid(double t1, int m) {
        double[] t = new double[m];
        for (int k = 0; k < m; k++) t[k] = t1 * (k + 1) / m;
        return t;
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void exponentialDecay(Method method) {
        double k = 1.7;
        double[] y0 = {1, -2, 1e-3};
        double[] times = grid(5, 25);
        SolverOptions o = SolverOptions.defaults().withMethod(method).withTolerances(1e-10, 1e-14);
        try (CvodesSolver s = new CvodesSolver(new Decay(), o)) {
            Solution sol = s.solve(y0, new double[] {k}, times);
            for (int j = 0; j < times.length; j++)
                for (int i = 0; i < 3; i++) {
                    double exact = y0[i] * Math.exp(-k * times[j]);
                    assertEquals(exact, sol.state(j)[i], 1e-8 * Math.abs(y0[i]) + 1e-13, "y" + i + " at t = " + times[j]);
                }
        }
    }

    @ParameterizedTest
    @EnumSource(Method.class)
    void harmonicOscillator(Method method) {
        double w = 2 * Math.PI;
        double[] times = grid(10, 200); // ten periods
        SolverOptions o = SolverOptions.defaults().withMethod(method).withTolerances(1e-11, 1e-12).withMaxSteps(100_000);
        try (CvodesSolver s = new CvodesSolver(new Oscillator(), o)) {
            Solution sol = s.solve(new double[] {1, 0}, new double[] {w}, times);
            double worst = 0;
            for (int j = 0; j < times.length; j++) {
                worst = Math.max(worst, Math.abs(sol.state(j)[0] - Math.cos(w * times[j])));
                worst = Math.max(worst, Math.abs(sol.state(j)[1] + w * Math.sin(w * times[j])) / w);
            }
            assertTrue(worst < 1e-7, "max error over ten periods " + worst);
        }
    }
}
