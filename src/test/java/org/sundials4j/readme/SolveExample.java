package org.sundials4j.readme;

// README:solve
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.ode.SolverStatistics;

// README:end

/** README, "Using the library": ROBER with a hand-written right-hand side. */
final class SolveExample {
    private SolveExample() {}

    record Result(double[] y40, SolverStatistics statistics) {}

    static Result run() {
        Result result;
        // README:solve
        OdeModel rober = new OdeModel() {
            public int stateCount() { return 3; }
            public int parameterCount() { return 3; }
            public void rhs(double t, double[] y, double[] p, double[] ydot) {
                ydot[0] = -p[0] * y[0] + p[1] * y[1] * y[2];
                ydot[2] = p[2] * y[1] * y[1];
                ydot[1] = -ydot[0] - ydot[2];
            }
            // optional: hasJacobian() + jacobian(t, y, p, JacobianWriter); otherwise difference quotients
        };
        SolverOptions opts = SolverOptions.defaults()          // BDF, rtol 1e-6, atol 1e-10, dense
                .withRtol(1e-4).withAtol(new double[] {1e-8, 1e-14, 1e-6})
                .withLinearSolver(LinearSolver.dense());      // band(mu, ml), lapackDense(), lapackBand(mu, ml),
                                                              // klu(pattern), gmres(), auto()
        try (CvodesSolver solver = new CvodesSolver(rober, opts)) {
            Solution s = solver.solve(new double[] {1, 0, 0}, new double[] {0.04, 1e4, 3e7},
                                      new double[] {0.4, 4, 40});
            double[] y40 = s.state(2);
            SolverStatistics st = s.statistics();             // steps, RHS/Jacobian evals, failures, order, step
            // README:end
            result = new Result(y40, st);
            // README:solve
        }
        // README:end
        return result;
    }
}
