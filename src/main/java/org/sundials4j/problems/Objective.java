package org.sundials4j.problems;

import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeOdeModel;

/**
 * A problem of the set together with its scalar loss, as {@code shared/PROBLEMS.md} defines it:
 * what a gradient run needs. {@code loss} and {@code integrand} may each be null (not both).
 *
 * @param problem   the problem (model, parameters, y0)
 * @param times     output times of the loss (for an integral functional, its last entry is T)
 * @param options   forward solver settings of the gradient run
 * @param sensitivity adjoint/forward settings the problem set prescribes (method left to the caller)
 */
public record Objective(Problem problem, double[] times, OutputLoss loss, Integrand integrand, SolverOptions options,
                        SensitivityOptions sensitivity) {

    public String name() {
        return problem.name();
    }

    /** The model to differentiate, events included ({@link Problem#model()}). */
    public DifferentiableOdeModel model() {
        return problem.model();
    }

    /** The right-hand side alone ({@link Problem#tapeModel()}), for integrators that take no events. */
    public TapeOdeModel tapeModel() {
        return problem.tapeModel();
    }

    /** The same objective with every tolerance (forward, backward, quadrature) set to (rtol, atol). */
    public Objective withTolerances(double rtol, double atol) {
        return new Objective(problem, times, loss, integrand, options.withRtol(rtol).withAtol(atol),
                sensitivity.withBackwardTolerances(rtol, atol).withQuadratureTolerances(rtol, atol));
    }
}
