package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Every linear solver on the same tridiagonal diffusion problem agrees with the dense one. */
class LinearSolversTest {
    static final int N = 40;
    static final double D = 0.1;
    static final double[] TIMES = {0.05, 0.1, 0.2, 0.5};

    static Stream<Arguments> solvers() {
        Diffusion1D m = new Diffusion1D(N, true);
        return Stream.of(
                Arguments.of("band", LinearSolver.band(1, 1), true),
                Arguments.of("band, difference quotients", LinearSolver.band(1, 1), false),
                Arguments.of("lapack band", LinearSolver.lapackBand(1, 1), true),
                Arguments.of("lapack dense", LinearSolver.lapackDense(), true),
                Arguments.of("klu", LinearSolver.klu(m.pattern()), true),
                Arguments.of("klu, pattern from model", LinearSolver.klu(), true),
                Arguments.of("gmres", LinearSolver.gmres(), false),
                Arguments.of("auto", LinearSolver.auto(), true));
    }

    static Solution solve(LinearSolver ls, boolean jacobian) {
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-9, 1e-12).withLinearSolver(ls).withMaxSteps(20_000);
        Diffusion1D m = new Diffusion1D(N, jacobian);
        try (CvodesSolver s = new CvodesSolver(m, o)) {
            return s.solve(m.initial(), new double[] {D}, TIMES);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solvers")
    void agreesWithDense(String name, LinearSolver ls, boolean jacobian) {
        Solution ref = solve(LinearSolver.dense(), true);
        Solution sol = solve(ls, jacobian);
        for (int k = 0; k < TIMES.length; k++)
            for (int i = 0; i < N; i++)
                assertEquals(ref.state(k)[i], sol.state(k)[i], 1e-7, name + ": u" + i + " at t = " + TIMES[k]);
    }

    @Test
    void denseMatchesTheSeparableSolution() {
        Solution ref = solve(LinearSolver.dense(), true);
        double h = 1.0 / (N + 1);
        // eigenvalue of the discrete Laplacian for sin(pi x): -4/h^2 sin^2(pi h / 2)
        double lambda = -4 * D / (h * h) * Math.pow(Math.sin(Math.PI * h / 2), 2);
        for (int k = 0; k < TIMES.length; k++)
            for (int i = 0; i < N; i++) {
                double exact = Math.exp(lambda * TIMES[k]) * Math.sin(Math.PI * (i + 1) * h);
                assertEquals(exact, ref.state(k)[i], 1e-7, "u" + i + " at t = " + TIMES[k]);
            }
    }

    @Test
    void autoPicksBandForATridiagonalPattern() {
        try (CvodesSolver s = new CvodesSolver(new Diffusion1D(N, true), SolverOptions.defaults().withLinearSolver(LinearSolver.auto()))) {
            assertEquals(LinearSolver.Kind.BAND, s.linearSolver().kind());
            assertEquals(1, s.linearSolver().upperBandwidth());
            assertEquals(1, s.linearSolver().lowerBandwidth());
        }
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), SolverOptions.defaults().withLinearSolver(LinearSolver.auto()))) {
            assertTrue(s.linearSolver().kind() == LinearSolver.Kind.DENSE, "no pattern known: dense");
        }
    }
}
