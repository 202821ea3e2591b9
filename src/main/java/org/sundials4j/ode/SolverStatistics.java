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

    /**
     * Counters of two runs summed (segments between events, restarts of a backward problem):
     * counts add up, the initial step is the first run's, order, last step and time the second's.
     * {@code a} may be null (nothing before {@code b}).
     */
    static SolverStatistics sum(SolverStatistics a, SolverStatistics b) {
        if (a == null) return b;
        return new SolverStatistics(a.steps() + b.steps(), a.rhsEvals() + b.rhsEvals(),
                a.linearSolverRhsEvals() + b.linearSolverRhsEvals(), a.jacobianEvals() + b.jacobianEvals(),
                a.linearSolverSetups() + b.linearSolverSetups(), a.errorTestFailures() + b.errorTestFailures(),
                a.nonlinearIterations() + b.nonlinearIterations(), a.convergenceFailures() + b.convergenceFailures(),
                b.lastOrder(), b.lastStep(), a.initialStep(), b.currentTime());
    }
}
