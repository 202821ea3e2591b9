package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.sundials4j.tape.FiniteDifferences.assertAllClose;
import static org.sundials4j.tape.FiniteDifferences.assertClose;
import static org.sundials4j.tape.FiniteDifferences.dot;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.sundials4j.tape.FiniteDifferences;
import org.sundials4j.tape.TapeOdeModel;

/**
 * On every problem of the set: JVP/VJP consistency {@code λᵀ(f_y v + f_p w) = (λᵀf_y) v + (λᵀf_p) w},
 * the VJP's {@code f} equals {@code rhs}, and the tape Jacobian (dense and CSC) equals central
 * differences of {@code rhs}, at a random point near the initial state.
 */
class ProblemProductsTest {

    static Stream<Problem> problems() {
        return Stream.concat(Problems.names().stream().map(Problems::byName),
                Stream.of(NeuralOde.problem(16), Brusselator2d.problem(8), NeuralOde.truthProblem()));
    }

    /** The initial state and parameters, perturbed so that zero states and symmetric grids are avoided. */
    private static double[][] randomPoint(Problem problem, Random rnd) {
        double[] y = problem.initialState(), p = problem.parameters();
        for (int i = 0; i < y.length; i++) y[i] += 0.1 * (Math.abs(y[i]) + 0.1) * (rnd.nextDouble() + 0.5);
        for (int i = 0; i < p.length; i++) p[i] *= 1 + 0.1 * rnd.nextGaussian();
        return new double[][]{y, p};
    }

    private static double[] gaussian(Random rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rnd.nextGaussian();
        return v;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void jvpAndVjpAreAdjoint(Problem problem) {
        Random rnd = new Random(problem.name().hashCode());
        TapeOdeModel model = problem.tapeModel();
        int n = problem.stateCount(), np = problem.parameterCount();
        for (int trial = 0; trial < 5; trial++) {
            double[][] at = randomPoint(problem, rnd);
            double t = rnd.nextDouble();
            double[] v = gaussian(rnd, n), w = gaussian(rnd, np), lambda = gaussian(rnd, n);
            double[] jv = new double[n], ly = new double[n], lp = new double[np], ydot = new double[n], f = new double[n];
            model.jvp(t, at[0], at[1], v, w, jv);
            model.vjp(t, at[0], at[1], lambda, ly, lp, ydot);
            double lhs = dot(lambda, jv), rhs = dot(ly, v) + dot(lp, w);
            assertClose(lhs, rhs, 1e-11, 1e-11 * (Math.abs(dot(ly, v)) + Math.abs(dot(lp, w))), problem + " λᵀ(Jv) vs (Jᵀλ)ᵀv");
            model.rhs(t, at[0], at[1], f);
            assertAllClose(f, ydot, 0, 0, problem + " vjp's f");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void jacobianMatchesCentralDifferences(Problem problem) {
        Random rnd = new Random(7 + problem.name().hashCode());
        TapeOdeModel model = problem.tapeModel();
        int n = problem.stateCount();
        double[][] at = randomPoint(problem, rnd);
        double[] fd = FiniteDifferences.jacobian((y, out) -> model.rhs(0.3, y, at[1], out), at[0], n);
        double[] dense = new double[n * n];
        model.jacobianDense(0.3, at[0], at[1], dense);
        double[] csc = new double[model.sparsity().nonZeros()];
        model.jacobianCsc(0.3, at[0], at[1], csc);
        double[] rowMajorFromDense = new double[n * n];
        double[] rowMajorFromCsc = new double[n * n];
        int[] colStart = model.sparsity().colStart(), rowIndex = model.sparsity().rowIndex();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) rowMajorFromDense[i * n + j] = dense[j * n + i];
            for (int k = colStart[j]; k < colStart[j + 1]; k++) rowMajorFromCsc[rowIndex[k] * n + j] = csc[k];
        }
        assertAllClose(fd, rowMajorFromDense, 1e-5, 1e-7, problem + " dense Jacobian vs FD");
        assertAllClose(rowMajorFromDense, rowMajorFromCsc, 0, 0, problem + " CSC vs dense");
        // the JVP is the Jacobian applied to v
        double[] v = gaussian(rnd, n), jv = new double[n], expected = new double[n];
        model.jvp(0.3, at[0], at[1], v, null, jv);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) expected[i] += rowMajorFromDense[i * n + j] * v[j];
        assertAllClose(expected, jv, 1e-12, 1e-12, problem + " jvp vs J v");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void parameterVjpMatchesCentralDifferences(Problem problem) {
        if (problem.parameterCount() == 0) return;
        Random rnd = new Random(11 + problem.name().hashCode());
        TapeOdeModel model = problem.tapeModel();
        int n = problem.stateCount(), np = problem.parameterCount();
        double[][] at = randomPoint(problem, rnd);
        double[] lambda = gaussian(rnd, n);
        double[] ly = new double[n], lp = new double[np];
        model.vjp(0.2, at[0], at[1], lambda, ly, lp, null);
        // fourth-order central differences of g(p) = λᵀ f(y, p), with the round-off bound as tolerance
        double[] f = new double[n];
        for (int k = 0; k < np; k++) {
            double[] p = at[1].clone();
            double h = 1e-3 * Math.max(Math.abs(p[k]), 1e-6);
            double[] g = new double[4];
            double[] steps = {-2 * h, -h, h, 2 * h};
            double magnitude = 0;
            for (int s = 0; s < 4; s++) {
                p[k] = at[1][k] + steps[s];
                model.rhs(0.2, at[0], p, f);
                g[s] = dot(lambda, f);
                for (int i = 0; i < n; i++) magnitude += Math.abs(lambda[i] * f[i]);
            }
            double fd = (g[0] - 8 * g[1] + 8 * g[2] - g[3]) / (12 * h);
            assertClose(fd, lp[k], 1e-6, 1e-14 * magnitude / h, problem + " λᵀf_p[" + k + "] vs FD");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problems")
    void metadataIsConsistent(Problem problem) {
        assertEquals(problem.stateCount(), problem.initialState().length);
        assertEquals(problem.stateCount(), problem.absoluteTolerances().length);
        double[] t = problem.outputTimes();
        for (int i = 1; i < t.length; i++) assertEquals(true, t[i] > t[i - 1], problem + " output times ascend at " + i);
        assertEquals(problem.stateCount(), problem.tapeModel().stateCount());
    }

    @org.junit.jupiter.api.Test
    void registryKnowsEveryProblemAndRejectsOthers() {
        assertEquals(List.of("rober", "pollu", "lotka-volterra", "advection-diffusion", "neural-ode", "brusselator-2d", "pk-dosing"),
                Problems.names());
        assertEquals(252, Problems.byName("neural-ode").parameterCount());
        assertEquals(2 * 16 * 16, Problems.byName("brusselator-2d").stateCount());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Problems.byName("robber"));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("robber"));
    }
}
