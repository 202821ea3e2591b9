package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverCancelledException;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * A forward-sensitivity gradient without events runs every output time in one native run, reading
 * {@code S(t_k)} there ({@code s4j_run_outputs_sens}). Checked against the closed form of a linear
 * two-compartment chain {@code y1' = -a y1, y2' = a y1 - b y2}: the states and all four sensitivities
 * (a, b, y1(0), y2(0)) at 200 outputs, the first at t0 (where S is S(t0): 0 for parameters, the unit
 * vector for initial states), and the loss gradient assembled from them; on the native replay and on
 * the Java path. A failure, a cancellation and a time limit in the middle of the outputs end in their
 * typed exceptions, and the same solver then answers the closed form again.
 */
class ForwardOutputRunTest {
    static final double A = 1.3, B = 0.4, Y10 = 2.0, Y20 = 0.5;
    static final double[] P = {A, B}, Y0 = {Y10, Y20};

    static TapeOdeModel chain() {
        return TapeOdeModel.record(2, 2, (tape, t, y, p) -> {
            Var flow = p.get(0).times(y.get(0));
            return new Var[] {flow.neg(), flow.minus(p.get(1).times(y.get(1)))};
        }, 0.0, Y0, P);
    }

    /** Row i: {@code [y_i, ∂y_i/∂a, ∂y_i/∂b, ∂y_i/∂y1(0), ∂y_i/∂y2(0)]} at t. */
    static double[][] exact(double t) {
        double ea = Math.exp(-A * t), eb = Math.exp(-B * t), d = B - A, e = ea - eb;
        double y1 = Y10 * ea, y2 = Y20 * eb + A * Y10 * e / d;
        return new double[][] {
            {y1, -t * Y10 * ea, 0, ea, 0},
            {y2, Y10 * e / d - A * Y10 * t * ea / d + A * Y10 * e / (d * d),
                -t * Y20 * eb + A * Y10 * t * eb / d - A * Y10 * e / (d * d), A * e / d, eb}};
    }

    /** L = Σ_k Σ_i y_i(t_k)²: its gradient is Σ_k Σ_i 2 y_i S_i, which needs S at every output. */
    static final OutputLoss SQUARES = (times, states, params, dStates, dParams) -> {
        double l = 0;
        for (int k = 0; k < times.length; k++)
            for (int i = 0; i < states[k].length; i++) {
                l += states[k][i] * states[k][i];
                dStates[k][i] = 2 * states[k][i];
            }
        return l;
    };

    static double[] grid(int m, double dt) {
        double[] t = new double[m];
        for (int k = 0; k < m; k++) t[k] = k * dt; // t[0] = t0
        return t;
    }

    static GradientSolver solver(SolverOptions o) {
        return new GradientSolver(chain(), SQUARES, null, o,
                SensitivityOptions.defaults().withMethod(SensitivityMethod.FORWARD).withTrajectories(true).withErrorControl(true));
    }

    static SolverOptions tight() {
        return SolverOptions.defaults().withTolerances(1e-11, 1e-13).withMaxSteps(1_000_000); // ~90 steps per unit of t
    }

    /** Checks states, sensitivities and gradient of {@code g} at {@code times} against the closed form. */
    static void checkClosedForm(Gradient g, double[] times, String what) {
        double[][][] s = g.trajectories();
        assertNotNull(s, what + ": trajectories kept");
        assertEquals(times.length, s.length, what);
        for (int k = 0; k < times.length; k++) {
            double[][] x = exact(times[k]);
            double[] y = g.solution().state(k);
            for (int i = 0; i < 2; i++) {
                assertEquals(x[i][0], y[i], 1e-8, what + ": y" + i + " at t = " + times[k]);
                for (int j = 0; j < 4; j++) {
                    double tol = times[k] == 0 ? 0 : 1e-7 * Math.max(1, Math.abs(x[i][1 + j]));
                    assertEquals(x[i][1 + j], s[k][j][i], tol, what + ": S[" + j + "]_" + i + " at t = " + times[k]);
                }
            }
        }
        checkGradient(exactGradient(times), g, what);
    }

    /** dL/dθ of L = Σ_k Σ_i y_i(t_k)² from the closed form (θ = a, b, y1(0), y2(0)). */
    static double[] exactGradient(double[] times) {
        double[] g = new double[4];
        for (double t : times) {
            double[][] x = exact(t);
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 4; j++) g[j] += 2 * x[i][0] * x[i][1 + j];
        }
        return g;
    }

    /** The gradient [dL/dθ0, dL/dθ1, dL/dy0_0, dL/dy0_1] against {@code expected}, 1e-6 relative. */
    static void checkGradient(double[] expected, Gradient g, String what) {
        for (int j = 0; j < 4; j++) {
            double got = j < 2 ? g.params()[j] : g.initialState()[j - 2];
            assertEquals(expected[j], got, 1e-6 * Math.max(1, Math.abs(expected[j])), what + ": dL/dθ" + j);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void everyOutputsSensitivitiesMatchTheClosedForm(String path) {
        double[] times = grid(200, 0.05);
        ReplayPathsTest.onPath(path, () -> {
            try (GradientSolver gs = solver(tight())) {
                Gradient g = gs.gradient(0, Y0, P, times);
                if (path.equals("native")) assertTrue(gs.replayStatistics().nativeEvaluations() > 0, gs.replayStatistics().toString());
                else assertEquals(0, gs.replayStatistics().nativeEvaluations());
                checkClosedForm(g, times, path);
                // a reused solver, outputs not at t0 this time
                double[] later = {0.25, 1, 7.5};
                checkClosedForm(gs.gradient(0, Y0, P, later), later, path + " reused");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void aFailureBetweenOutputsIsTypedAndTheSolverStaysUsable(String path) {
        ReplayPathsTest.onPath(path, () -> {
            // 150 steps per output interval: enough for [0, 0.5] and [0.5, 1] (about 120 and 75), not for [1, 200]
            try (GradientSolver gs = solver(tight().withMaxSteps(150))) {
                SolverException e = assertThrows(SolverException.class, () -> gs.gradient(0, Y0, P, new double[] {0.5, 1, 200, 201}));
                assertEquals("CV_TOO_MUCH_WORK", e.flagName(), e.getMessage());
                assertEquals(SolverException.Phase.SENSITIVITY, e.phase(), e.getMessage());
                assertTrue(1 < e.time() && e.time() < 200, "reached " + e.time());
                double[] times = {0, 0.1, 0.3, 0.6};
                checkClosedForm(gs.gradient(0, Y0, P, times), times, path + " after the failure");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void aCancelInTheMiddleOfTheOutputsIsTypedAndTheSolverStaysUsable(String path) {
        double[] times = grid(200, 0.05);
        ReplayPathsTest.onPath(path, () -> {
            try (GradientSolver gs = solver(tight())) {
                // the listener is called from the callbacks (native: the heartbeat) while the outputs run
                gs.setListener((pass, t, steps) -> {
                    if (t > 2) gs.cancel();
                }, 0);
                SolverCancelledException e = assertThrows(SolverCancelledException.class, () -> gs.gradient(0, Y0, P, times));
                assertEquals(SolverCancelledException.Reason.CANCELLED, e.reason());
                assertTrue(2 < e.time() && e.time() < times[times.length - 1], "stopped at " + e.time());
                gs.setListener(null);
                checkClosedForm(gs.gradient(0, Y0, P, times), times, path + " after the cancel");
            }
            return null;
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"native", "java"})
    void aTimeLimitInTheMiddleOfTheOutputsIsTyped(String path) {
        // lotka-volterra's 200 outputs take thousands of evaluations; the clock is read at every 16th check
        Objective o = Objectives.lotkaVolterra();
        Problem p = o.problem();
        double tEnd = o.times()[o.times().length - 1];
        ReplayPathsTest.onPath(path, () -> {
            try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options().withTimeLimit(Duration.ofNanos(1)),
                    o.sensitivity().withMethod(SensitivityMethod.FORWARD))) {
                SolverCancelledException e = assertThrows(SolverCancelledException.class,
                        () -> gs.gradient(p.initialTime(), p.initialState(), p.parameters(), o.times()));
                assertEquals(SolverCancelledException.Reason.TIME_LIMIT, e.reason());
                assertEquals(SolverException.Phase.SENSITIVITY, e.phase(), e.getMessage());
                assertTrue(p.initialTime() < e.time() && e.time() < tEnd, "stopped at " + e.time());
            }
            return null;
        });
    }
}
