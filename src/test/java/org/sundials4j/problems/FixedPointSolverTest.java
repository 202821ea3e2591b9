package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.NonlinearSolver;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Fixed-point iteration ({@link NonlinearSolver#fixedPoint}) against closed forms: the harmonic
 * oscillator {@code x' = v, v' = -w² x}, whose solution {@code x = x0 cos wt + (v0/w) sin wt} gives
 * the solve and the exact gradient of {@code L = x(T)} for the forward (every corrector) and adjoint
 * runs. The statistics prove no Jacobian or linear solve ran; a stiff problem fails with a typed error.
 */
class FixedPointSolverTest {
    private static final double W = 2.0, X0 = 1.0, V0 = 0.5, T = 3.0;

    private static TapeOdeModel oscillator() {
        return TapeOdeModel.record(2, 1, (tape, t, y, p) -> new Var[] {y.get(1), p.get(0).square().neg().times(y.get(0))},
                0.0, new double[] {X0, V0}, new double[] {W});
    }

    private static double exactX(double t) {
        return X0 * Math.cos(W * t) + V0 / W * Math.sin(W * t);
    }

    /** dx(T)/dw, dx(T)/dx0, dx(T)/dv0. */
    private static double[] exactGradient() {
        double c = Math.cos(W * T), s = Math.sin(W * T);
        return new double[] {-X0 * T * s + V0 * (T * c / W - s / (W * W)), c, s / W};
    }

    private static final OutputLoss X_AT_END = (times, states, params, dStates, dParams) -> {
        dStates[times.length - 1][0] = 1;
        return states[times.length - 1][0];
    };

    private static SolverOptions adamsFixedPoint(int m) {
        return SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(1e-10, 1e-12).withMaxSteps(100_000)
                .withNonlinearSolver(NonlinearSolver.fixedPoint(m));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3})
    void solveMatchesTheClosedFormWithoutJacobianOrLinearSolves(int m) {
        double[] times = {0.5, 1.0, 2.0, T};
        try (CvodesSolver s = new CvodesSolver(oscillator(), adamsFixedPoint(m))) {
            Solution sol = s.solve(new double[] {X0, V0}, new double[] {W}, times);
            for (int k = 0; k < times.length; k++) assertEquals(exactX(times[k]), sol.state(k)[0], 1e-7, "x at " + times[k]);
            assertEquals(NonlinearSolver.fixedPoint(m), s.nonlinearSolver());
            assertEquals(0, sol.statistics().jacobianEvals());
            assertEquals(0, sol.statistics().linearSolverSetups());
        }
        // the contrast: Newton on the same problem sets up its linear solver
        try (CvodesSolver s = new CvodesSolver(oscillator(), adamsFixedPoint(m).withNonlinearSolver(NonlinearSolver.newton()))) {
            assertTrue(s.solve(new double[] {X0, V0}, new double[] {W}, times).statistics().linearSolverSetups() > 0);
        }
    }

    @ParameterizedTest
    @EnumSource(SensitivityOptions.Corrector.class)
    void forwardSensitivitiesIterateToAFixedPointWithEveryCorrector(SensitivityOptions.Corrector corrector) {
        checkGradient(SensitivityOptions.defaults().withMethod(SensitivityMethod.FORWARD).withCorrector(corrector));
    }

    @Test
    void adjointBackwardProblemIteratesToAFixedPoint() {
        Gradient g = checkGradient(SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT)
                .withInterpolation(SensitivityOptions.Interpolation.POLYNOMIAL)
                .withBackwardTolerances(1e-10, 1e-12).withQuadratureTolerances(1e-10, 1e-12));
        assertEquals(0, g.backwardStatistics().jacobianEvals());
        assertEquals(0, g.backwardStatistics().linearSolverSetups());
    }

    private static Gradient checkGradient(SensitivityOptions so) {
        try (GradientSolver gs = new GradientSolver(oscillator(), X_AT_END, null, adamsFixedPoint(0), so)) {
            Gradient g = gs.gradient(0, new double[] {X0, V0}, new double[] {W}, new double[] {1.0, T});
            double[] exact = exactGradient();
            assertEquals(exactX(T), g.loss(), 1e-7);
            assertEquals(exact[0], g.params()[0], 1e-6 * Math.abs(exact[0]), "dx/dw");
            assertEquals(exact[1], g.initialState()[0], 1e-6, "dx/dx0");
            assertEquals(exact[2], g.initialState()[1], 1e-6, "dx/dv0");
            assertEquals(0, g.solution().statistics().linearSolverSetups());
            return g;
        }
    }

    @Test
    void autoIsFixedPointForAdamsAndNewtonForBdf() {
        assertEquals(NonlinearSolver.newton(), SolverOptions.defaults().nonlinearSolver());
        SolverOptions o = SolverOptions.defaults().withNonlinearSolver(NonlinearSolver.auto());
        try (CvodesSolver adams = new CvodesSolver(oscillator(), o.withMethod(Method.ADAMS));
             CvodesSolver bdf = new CvodesSolver(oscillator(), o)) {
            assertEquals(NonlinearSolver.fixedPoint(0), adams.nonlinearSolver());
            assertEquals(NonlinearSolver.newton(), bdf.nonlinearSolver());
        }
        assertThrows(IllegalArgumentException.class, () -> NonlinearSolver.fixedPoint(-1));
    }

    /** ROBER is stiff: fixed-point iteration cannot take the steps BDF with Newton takes, and says so. */
    @Test
    void stiffProblemFailsWithATypedError() {
        Problem rober = Rober.problem();
        SolverOptions o = SolverOptions.defaults().withRtol(rober.relativeTolerance()).withAtol(rober.absoluteTolerances())
                .withNonlinearSolver(NonlinearSolver.fixedPoint(0));
        try (CvodesSolver s = new CvodesSolver(rober.tapeModel(), o)) {
            SolverException e = assertThrows(SolverException.class,
                    () -> s.solve(rober.initialState(), rober.parameters(), rober.outputTimes()));
            assertTrue(e.flagName().startsWith("CV_"), e.getMessage());
        }
    }
}
