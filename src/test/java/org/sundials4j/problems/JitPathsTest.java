package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sundials4j.ode.NativeSweeps;
import org.sundials4j.ode.ReplayProgram;
import org.sundials4j.ode.ReplayStatistics;
import org.sundials4j.tape.TapeOdeModel;

/**
 * The native replay's compiled code (the default) against its interpreter
 * ({@code sundials4j.replay.jit=off}) and the Java replay on every problem of the set. The compiled
 * sweeps repeat the interpreter's operations in its order and call its own functions for everything
 * else (libm included), so every problem, neural-ode's tanh too, must come out bit for bit the same:
 * the same steps, states and gradients on both native paths. The statistics say which engine ran.
 * Single sweeps of each problem's recording (its RHS, JVP, VJP and Jacobian by its colouring, at the
 * initial point and a perturbed one) are held against the interpreter's and, for the arithmetic
 * models, against the Java replay's ({@link TapeOdeModel#rhs}, {@link TapeOdeModel#jvp},
 * {@link TapeOdeModel#vjp}, {@link TapeOdeModel#jacobianDense}).
 */
class JitPathsTest {

    static <T> T withJit(String value, Supplier<T> body) {
        String before = System.getProperty("sundials4j.replay.jit");
        System.setProperty("sundials4j.replay.jit", value);
        try {
            return ReplayPathsTest.onPath("native", body);
        } finally {
            if (before == null) System.clearProperty("sundials4j.replay.jit");
            else System.setProperty("sundials4j.replay.jit", before);
        }
    }

    static Stream<Arguments> objectives() {
        return ReplayPathsTest.objectives();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void compiledAndInterpretedReplaysGiveTheSameSolvesAndGradients(String name, Objective o, boolean arithmeticOnly) {
        ReplayPathsTest.Run jit = withJit("on", () -> ReplayPathsTest.run(o));
        ReplayPathsTest.Run interpreted = withJit("off", () -> ReplayPathsTest.run(o));
        for (ReplayStatistics s : new ReplayStatistics[] {jit.solvePath(), jit.adjointPath()}) {
            assertTrue(s.jitted() && s.javaEvaluations() == 0 && s.nativeEvaluations() > 0, s.toString());
            assertEquals("native-jit", s.path());
        }
        for (ReplayStatistics s : new ReplayStatistics[] {interpreted.solvePath(), interpreted.adjointPath()}) {
            assertTrue(!s.jitted() && s.javaEvaluations() == 0 && s.nativeEvaluations() > 0, s.toString());
            assertEquals("native-interpreter", s.path());
        }
        assertEquals(interpreted.solve().statistics().steps(), jit.solve().statistics().steps(), "steps");
        assertEquals(interpreted.solve().statistics().rhsEvals(), jit.solve().statistics().rhsEvals(), "RHS evaluations");
        for (int k = 0; k < o.times().length; k++) {
            assertArrayEquals(interpreted.solve().state(k), jit.solve().state(k), 0.0, "state at output " + k);
        }
        assertArrayEquals(interpreted.forward().params(), jit.forward().params(), 0.0, "forward dL/dp");
        assertArrayEquals(interpreted.forward().initialState(), jit.forward().initialState(), 0.0, "forward dL/dy0");
        assertArrayEquals(interpreted.adjoint().params(), jit.adjoint().params(), 0.0, "adjoint dL/dp");
        assertArrayEquals(interpreted.adjoint().initialState(), jit.adjoint().initialState(), 0.0, "adjoint dL/dy0");
        assertEquals(interpreted.adjoint().backwardStatistics().steps(), jit.adjoint().backwardStatistics().steps(), "backward steps");
        assertEquals(interpreted.adjoint().reverseSweeps(), jit.adjoint().reverseSweeps(), "reverse sweeps");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objectives")
    void compiledSweepsOfEachRecordingGiveTheInterpretersAndJavasAnswers(String name, Objective o, boolean arithmeticOnly) {
        TapeOdeModel m = (TapeOdeModel) o.model().forSolver();
        int n = m.stateCount(), np = m.parameterCount();
        Problem p = o.problem();
        double[] y0 = p.initialState(), params = p.parameters();
        double[] later = new double[n];
        for (int i = 0; i < n; i++) later[i] = y0[i] * (1 + 0.01 * (i % 7)) + 1e-3 * (i % 5);
        try (NativeSweeps s = withJit("on", () -> new NativeSweeps(m.replayProgram(), n, np))) {
            assertTrue(s.jitted());
            for (double[] y : new double[][] {y0, later}) {
                double t = 0.3;
                double[] x = new double[1 + n + np], dir = new double[1 + n + np], lambda = new double[n];
                x[0] = t;
                System.arraycopy(y, 0, x, 1, n);
                System.arraycopy(params, 0, x, 1 + n, np);
                for (int i = 0; i < n + np; i++) dir[1 + i] = i % 3 == 0 ? 0 : Math.sin(i + 1.0);
                for (int i = 0; i < n; i++) lambda[i] = i % 4 == 1 ? 0 : Math.cos(i + 2.0);
                double[][] compiled = new double[4][];
                for (int sweep = 0; sweep < 4; sweep++) {
                    for (boolean flag : new boolean[] {false, true}) {
                        double[] seed = sweep == NativeSweeps.TANGENT ? dir : lambda;
                        double[] c = s.sweep(sweep, true, flag, x, seed);
                        assertArrayEquals(s.sweep(sweep, false, flag, x, seed), c, 0.0, name + " sweep " + sweep);
                        if (!flag) compiled[sweep] = c;
                    }
                }
                double[] csc = s.sweep(NativeSweeps.JACOBIAN, true, false, x, null);
                assertTrue(csc != null && csc.length > 0, name + ": no native Jacobian");
                assertArrayEquals(s.sweep(NativeSweeps.JACOBIAN, false, false, x, null), csc, 0.0, name + " f_y");
                if (!arithmeticOnly) continue;
                ReplayProgram.Jacobian js = m.replayProgram().jacobian();
                double[] dense = new double[n * n];
                m.jacobianDense(t, y, params, dense);
                for (int col = 0; col < n; col++) {
                    for (int e = js.colStart()[col]; e < js.colStart()[col + 1]; e++) {
                        assertEquals(dense[col * n + js.rowIndex()[e]], csc[e], 0.0, name + " f_y entry (" + js.rowIndex()[e] + ", " + col + ")");
                    }
                }
                int[] outputs = m.replayProgram().outputs();
                double[] ydot = new double[n], jvp = new double[n], outY = new double[n], outP = new double[np];
                m.rhs(t, y, params, ydot);
                double[] v = java.util.Arrays.copyOfRange(dir, 1, 1 + n), w = java.util.Arrays.copyOfRange(dir, 1 + n, 1 + n + np);
                m.jvp(t, y, params, v, w, jvp);
                m.vjp(t, y, params, lambda, outY, outP, null);
                for (int i = 0; i < n; i++) {
                    assertEquals(ydot[i], compiled[NativeSweeps.VALUES][outputs[i]], 0.0, name + " f_" + i);
                    assertEquals(jvp[i], compiled[NativeSweeps.TANGENT][outputs[i]], 0.0, name + " jvp_" + i);
                    assertEquals(outY[i], compiled[NativeSweeps.REVERSE][1 + i], 0.0, name + " vjp_y " + i);
                }
                for (int j = 0; j < np; j++) assertEquals(outP[j], compiled[NativeSweeps.REVERSE][1 + n + j], 0.0, name + " vjp_p " + j);
            }
        }
    }
}
