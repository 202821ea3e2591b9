package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;

/**
 * On every problem of the set: forward sensitivities, the checkpointed adjoint and central finite
 * differences give the same gradient, at tolerances tight enough for the comparison to mean
 * something. Error measure: max over components of |a - b| / max(|b|, 1e-3 ‖b‖∞) — components
 * under a thousandth of the largest are compared on that scale, as finite differences cannot
 * resolve them relatively.
 */
class GradientAgreementTest {

    /**
     * name, objective at tight tolerances, selected initial states (all when null), relative step
     * of the finite differences (0 = the default rtol^(1/5)). The solver's noise in the loss is far
     * above rtol·|L| on the two stiff reaction problems with a perturbed initial state, so they take
     * a larger step. A negative step marks brusselator-2d, where finite differences with respect to
     * one grid value stay noise-bound (they wander by about 5e-5 relative as the step goes from 1e-3
     * to 1e-1): there they check the parameters only, and forward and adjoint the initial states.
     */
    static Stream<Arguments> objectives() {
        return Stream.of(
                Arguments.of("rober", Objectives.rober().withTolerances(1e-10, 1e-14), null, 0.0),
                Arguments.of("pollu", Objectives.pollu().withTolerances(1e-12, 1e-16), null, 0.02),
                Arguments.of("lotka-volterra", Objectives.lotkaVolterra().withTolerances(1e-12, 1e-14), null, 0.0),
                Arguments.of("advection-diffusion", Objectives.advectionDiffusion().withTolerances(1e-10, 1e-13), new int[] {0, 24, 49}, 0.0),
                Arguments.of("neural-ode", Objectives.neuralOde(8).withTolerances(1e-10, 1e-12), null, 0.0),
                Arguments.of("brusselator-2d", Objectives.brusselator(8).withTolerances(1e-11, 1e-14), new int[] {0, 17, 100}, -1.0));
    }

    static Gradient gradient(Objective o, int[] states, SensitivityMethod m) {
        return gradient(o, states, m, 0);
    }

    static Gradient gradient(Objective o, int[] states, SensitivityMethod m, double fdStep) {
        SensitivityOptions so = o.sensitivity().withMethod(m).withFiniteDifferenceStep(fdStep);
        if (states != null) so = so.withInitialStates(states);
        Problem p = o.problem();
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), so)) {
            return gs.gradient(0, p.initialState(), p.parameters(), o.times());
        }
    }

    static double error(double[] a, double[] b) {
        return GradientError.relative(a, b);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void forwardAdjointAndFiniteDifferencesAgree(String name, Objective o, int[] states, double fdStep) {
        Gradient fwd = gradient(o, states, SensitivityMethod.FORWARD);
        Gradient adj = gradient(o, states, SensitivityMethod.ADJOINT);
        Gradient fd = fdStep >= 0 ? gradient(o, states, SensitivityMethod.FINITE_DIFFERENCE, fdStep)
                : gradient(o, new int[0], SensitivityMethod.FINITE_DIFFERENCE, 0);
        double fa = Math.max(error(adj.params(), fwd.params()), error(adj.initialState(), fwd.initialState()));
        double ff = error(fd.params(), fwd.params());
        if (fdStep >= 0) ff = Math.max(ff, error(fd.initialState(), fwd.initialState()));
        System.out.printf("AGREE %s loss %.10g fwd-adj %.2e fwd-fd %.2e%n", name, fwd.loss(), fa, ff);
        assertTrue(Math.abs(fwd.loss() - adj.loss()) <= 1e-8 * Math.abs(fwd.loss()), "loss forward vs adjoint");
        assertTrue(fa <= 1e-6, name + ": forward vs adjoint " + fa);
        assertTrue(ff <= 1e-6, name + ": forward vs finite differences " + ff);
    }
}
