package org.sundials4j.readme;

// README:gradient
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Integrand;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

// README:end

/**
 * README, "Gradients of a loss": a loss and an integral on the tape ROBER of {@link TapeModelExample},
 * with the options of {@link SolveExample}.
 */
final class GradientExample {
    private GradientExample() {}

    static Gradient run(TapeOdeModel rober, SolverOptions opts, SensitivityMethod method) {
        // README:gradient
        double[] y0 = {1, 0, 0}, p = {0.04, 1e4, 3e7}, times = {0.4, 4, 40};
        OutputLoss loss = TapeLoss.of((tape, ts, ys, q) -> {           // L(y(t_1), ..., y(t_K), p)
            Var s = tape.constant(0);
            for (VarVector yk : ys) s = s.plus(yk.dot(yk));
            return s;
        });
        Integrand g = TapeIntegrand.of(3, 3, (tape, t, y, q) -> y.get(2)); // G = ∫ g(t, y, p) dt (optional)
        SensitivityOptions sens = SensitivityOptions.defaults()
                .withMethod(SensitivityMethod.ADJOINT);   // FORWARD, ADJOINT, AUTO (default), FINITE_DIFFERENCE

        // README:end
        sens = sens.withMethod(method);
        Gradient result;
        // README:gradient
        try (GradientSolver gs = new GradientSolver(rober, loss, g, opts, sens)) {
            Gradient grad = gs.gradient(0, y0, p, times);
            double value = grad.loss();
            double[] dLdp = grad.params(), dLdy0 = grad.initialState();
            // README:end
            result = grad;
            // README:gradient
        }
        // README:end
        return result;
    }
}
