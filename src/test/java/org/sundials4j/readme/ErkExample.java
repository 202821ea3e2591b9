package org.sundials4j.readme;

import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.ErkTable;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;

/** README, "Choosing ERK, Adams or BDF": a solve and a gradient with Method.ERK. */
final class ErkExample {
    private ErkExample() {}

    record Result(Solution solution, Gradient gradient) {}

    static Result run(DifferentiableOdeModel model, OutputLoss loss, double[] y0, double[] p, double[] times) {
        Solution sol;
        Gradient g;
        // README:erk
        SolverOptions erk = SolverOptions.defaults().withMethod(Method.ERK).withTolerances(1e-8, 1e-10)
                .withErkTable(ErkTable.VERNER_7);   // the default; DORMAND_PRINCE_5, VERNER_6, VERNER_8, VERNER_9
        try (CvodesSolver s = new CvodesSolver(model, erk)) {
            sol = s.solve(y0, p, times);            // every output time ends a step
        }
        try (GradientSolver gs = new GradientSolver(model, loss, null, erk, SensitivityOptions.defaults())) {
            g = gs.gradient(0, y0, p, times);       // AUTO = forward sensitivities of the augmented system
        }
        // README:end
        return new Result(sol, g);
    }
}
