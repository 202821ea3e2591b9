package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientListener;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverCancelledException;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;

/**
 * The adjoint's backward pass runs each interval between output times (restart, CVodeB, the reads of
 * λ and μ, the counters) in one native run ({@code s4j_run_backward}). Checked on the linear chain of
 * {@link ForwardOutputRunTest} against its closed form: the gradient of a loss over 200 outputs (the
 * first at t0), so 199 intervals each restarted with the jump {@code λ += ∂L/∂y(t_k)}; on the native
 * replay and the Java path. A backward failure and a cancel in the middle of the pass end in their
 * typed exceptions, naming the phase, call and time, and the same solver then answers the closed form.
 */
class AdjointIntervalsTest {
    static GradientSolver solver(SolverOptions o, SensitivityOptions so) {
        return new GradientSolver(ForwardOutputRunTest.chain(), ForwardOutputRunTest.SQUARES, null, o, so);
    }

    static SensitivityOptions adjoint() {
        return SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT).withBackwardTolerances(1e-11, 1e-13)
                .withQuadratureTolerances(1e-11, 1e-13).withBackwardMaxSteps(1_000_000);
    }

    static void checkGradient(Gradient g, double[] times, String what) {
        ForwardOutputRunTest.checkGradient(ForwardOutputRunTest.exactGradient(times), g, what);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void theGradientThrough199IntervalsMatchesTheClosedForm(String path) {
        double[] times = ForwardOutputRunTest.grid(200, 0.05);
        ReplayPathsTest.onPath(path, () -> {
            try (GradientSolver gs = solver(ForwardOutputRunTest.tight(), adjoint())) {
                checkGradient(gs.gradient(0, ForwardOutputRunTest.Y0, ForwardOutputRunTest.P, times), times, path);
                double[] later = {0.25, 1, 7.5};
                checkGradient(gs.gradient(0, ForwardOutputRunTest.Y0, ForwardOutputRunTest.P, later), later, path + " reused");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void aBackwardFailureMidPassIsTypedAndTheSolverStaysUsable(String path) {
        // 100 backward steps per interval: enough for the two short intervals at the end, not for [0, 10]
        // (about 600 in all; the backward problem's steps stay short while λ carries y's scale)
        double[] failing = {0, 10, 10.1, 10.2};
        ReplayPathsTest.onPath(path, () -> {
            try (GradientSolver gs = solver(ForwardOutputRunTest.tight(), adjoint().withBackwardMaxSteps(100))) {
                SolverException e = assertThrows(SolverException.class,
                        () -> gs.gradient(0, ForwardOutputRunTest.Y0, ForwardOutputRunTest.P, failing));
                assertEquals(SolverException.Phase.BACKWARD, e.phase(), e.getMessage());
                assertEquals("CV_TOO_MUCH_WORK", e.flagName(), e.getMessage());
                assertEquals("CVodeB", e.function(), e.getMessage());
                assertTrue(0 < e.time() && e.time() < 10, "reached " + e.time());
                double[] times = {0, 0.1, 0.3, 0.6};
                checkGradient(gs.gradient(0, ForwardOutputRunTest.Y0, ForwardOutputRunTest.P, times), times, path + " after the failure");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void aCancelInTheBackwardPassIsTypedAndTheSolverStaysUsable(String path) {
        double[] times = ForwardOutputRunTest.grid(200, 0.05);
        ReplayPathsTest.onPath(path, () -> {
            try (GradientSolver gs = solver(ForwardOutputRunTest.tight(), adjoint())) {
                gs.setListener((pass, t, steps) -> {
                    if (pass == GradientListener.Pass.BACKWARD && t < 5) gs.cancel();
                }, 0);
                SolverCancelledException e = assertThrows(SolverCancelledException.class,
                        () -> gs.gradient(0, ForwardOutputRunTest.Y0, ForwardOutputRunTest.P, times));
                assertEquals(SolverCancelledException.Reason.CANCELLED, e.reason());
                assertEquals(SolverException.Phase.BACKWARD, e.phase(), e.getMessage());
                assertTrue(0 < e.time() && e.time() < 5, "stopped at " + e.time());
                gs.setListener(null);
                checkGradient(gs.gradient(0, ForwardOutputRunTest.Y0, ForwardOutputRunTest.P, times), times, path + " after the cancel");
            }
            return null;
        });
    }
}
