package org.sundials4j.ode;

/**
 * CVODES' counters after a solve, as {@code CVodeGetIntegratorStats} and friends report them.
 *
 * @param steps              internal steps taken
 * @param rhsEvals           RHS evaluations by the integrator
 * @param linearSolverRhsEvals RHS evaluations for difference-quotient Jacobians
 * @param jacobianEvals      Jacobian evaluations
 * @param linearSolverSetups Newton matrix setups
 * @param errorTestFailures  local error test failures
 * @param nonlinearIterations nonlinear (Newton) iterations
 * @param convergenceFailures nonlinear convergence failures
 * @param lastOrder          method order of the last step
 * @param lastStep           size of the last step
 * @param initialStep        size of the first step actually used
 * @param currentTime        internal time reached (may lie beyond the last output)
 */
public record SolverStatistics(long steps, long rhsEvals, long linearSolverRhsEvals, long jacobianEvals,
                               long linearSolverSetups, long errorTestFailures, long nonlinearIterations,
                               long convergenceFailures, int lastOrder, double lastStep, double initialStep,
                               double currentTime) {
}
