package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CallbackException;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.OutputLoss;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/** Gradients through nested AD, a very long run, and every way a gradient computation can fail. */
class SensitivityScenariosTest {

    /** Pendulum from its Hamiltonian H = p²/(2ml²) + mgl(1 - cos q): the RHS is the tape gradient of H. */
    static TapeOdeModel pendulum(double[] par) {
        OdeDefinition def = (tape, t, y, p) -> {
            Var m = p.get(0), g = p.get(1), l = p.get(2), q = y.get(0), mom = y.get(1);
            Var h = mom.square().div(m.times(l.square()).times(2)).plus(m.times(g).times(l).times(q.cos().rminus(1)));
            Var[] grad = tape.gradient(h, y);
            return new Var[] {grad[1], grad[0].neg()};
        };
        return TapeOdeModel.record(2, 3, def, 0, new double[] {1.0, 0}, par);
    }

    static final OutputLoss SUM_OF_SQUARES = TapeLoss.of((tape, times, y, p) -> {
        Var s = tape.constant(0);
        for (VarVector yk : y) s = s.plus(yk.dot(yk));
        return s;
    });

    static double[] grid(double t1, int m) {
        double[] t = new double[m];
        for (int k = 0; k < m; k++) t[k] = t1 * (k + 1) / m;
        return t;
    }

    static Gradient gradient(DifferentiableOdeModel model, SolverOptions o, SensitivityMethod method, double[] y0, double[] p,
                             double[] times) {
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(method).withBackwardTolerances(o.rtol(), 1e-12)
                .withQuadratureTolerances(o.rtol(), 1e-12);
        try (GradientSolver gs = new GradientSolver(model, SUM_OF_SQUARES, null, o, so)) {
            return gs.gradient(0, y0, p, times);
        }
    }

    @Test
    void hamiltonianGradientMatchesFiniteDifferences() {
        double[] par = {1.3, 9.81, 0.7}, y0 = {1.0, 0.0};
        TapeOdeModel model = pendulum(par);
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-11, 1e-12).withMethod(Method.ADAMS).withMaxSteps(100_000);
        double[] times = grid(5, 20);
        Gradient fd = gradient(model, o, SensitivityMethod.FINITE_DIFFERENCE, y0, par, times);
        Gradient fwd = gradient(model, o, SensitivityMethod.FORWARD, y0, par, times);
        Gradient adj = gradient(model, o, SensitivityMethod.ADJOINT, y0, par, times);
        // forward and adjoint share no code path beyond the tape's first derivatives of the recorded gradient
        double fa = Math.max(GradientAgreementTest.error(adj.params(), fwd.params()),
                GradientAgreementTest.error(adj.initialState(), fwd.initialState()));
        assertTrue(fa <= 1e-7, "adjoint vs forward: " + fa);
        double ff = Math.max(GradientAgreementTest.error(fd.params(), fwd.params()),
                GradientAgreementTest.error(fd.initialState(), fwd.initialState()));
        // finite differences of a 5-time-unit pendulum orbit in (m, g, l) reach about 3e-6 here
        assertTrue(ff <= 1e-5, "forward vs finite differences: " + ff);
    }

    static long rssKiB() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        throw new IllegalStateException("no VmRSS");
    }

    /** 25 uncoupled oscillators over 2000 periods: more than 100,000 steps forward. */
    @Test
    void longAdjointRunHasBoundedMemoryAndTheCheckpointsItReports() throws IOException {
        int n = 50, nd = 500;
        TapeOdeModel model = TapeOdeModel.record(n, 1, (tape, t, y, p) -> {
            Var[] out = new Var[n];
            for (int i = 0; i < n; i += 2) {
                out[i] = y.get(i + 1);
                out[i + 1] = y.get(i).times(p.get(0).square()).times(1.0 + i / 100.0).neg();
            }
            return out;
        }, 0, new double[n], new double[] {1});
        double[] y0 = new double[n];
        for (int i = 0; i < n; i += 2) y0[i] = 1;
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-9, 1e-11).withMaxSteps(10_000_000);
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT).withCheckpointSteps(nd)
                .withInitialStates();
        double t1 = 2 * Math.PI * 2000;
        long before = rssKiB();
        try (GradientSolver gs = new GradientSolver(model, SUM_OF_SQUARES, null, o, so)) {
            Gradient g = gs.gradient(0, y0, new double[] {1}, new double[] {t1});
            long steps = g.solution().statistics().steps();
            assertTrue(steps >= 100_000, "forward steps " + steps);
            // CVODES stores a checkpoint every nd steps (and one at t0)
            assertEquals((double) steps / nd, g.checkpoints(), 2.0, "checkpoints for " + steps + " steps");
            long expectedBytes = g.checkpoints() * 6L * n * 8 + (nd + 1L) * 2 * n * 8;
            assertEquals(expectedBytes, g.checkpointBytes(), "reported checkpoint memory");
            assertTrue(Double.isFinite(g.params()[0]));
            long grown = rssKiB() - before;
            // checkpoints take ~1 MiB here; storing every step's interpolation data would take ~100x more
            assertTrue(grown < 64 * 1024, "RSS grew by " + grown + " KiB");
        }
    }

    static Gradient roberGradient(OutputLoss loss, SensitivityOptions so, DifferentiableOdeModel model) {
        Objective o = Objectives.rober();
        try (GradientSolver gs = new GradientSolver(model, loss, null, o.options(), so)) {
            return gs.gradient(0, Rober.Y0, Rober.PARAMETERS, new double[] {1, 10});
        }
    }

    @Test
    void aLossThatThrowsIsALossPhaseCallbackException() {
        OutputLoss bad = (t, y, p, dy, dp) -> {
            throw new IllegalStateException("no data for this run");
        };
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT}) {
            CallbackException e = assertThrows(CallbackException.class,
                    () -> roberGradient(bad, SensitivityOptions.defaults().withMethod(m), Rober.problem().tapeModel()));
            assertEquals(SolverException.Phase.LOSS, e.phase());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertTrue(e.getMessage().contains("no data for this run"), e.getMessage());
        }
    }

    @Test
    void aLossReturningNaNIsReported() {
        OutputLoss nan = (t, y, p, dy, dp) -> Double.NaN;
        CallbackException e = assertThrows(CallbackException.class,
                () -> roberGradient(nan, SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT), Rober.problem().tapeModel()));
        assertEquals(SolverException.Phase.LOSS, e.phase());
        assertNull(e.getCause());
        assertTrue(e.getMessage().contains("the loss returned NaN"), e.getMessage());
    }

    @Test
    void aFailedBackwardSolveNamesThePhaseTheFlagAndTheTime() {
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT).withBackwardMaxSteps(3);
        SolverException e = assertThrows(SolverException.class, () -> roberGradient(SUM_OF_SQUARES, so, Rober.problem().tapeModel()));
        assertEquals(SolverException.Phase.BACKWARD, e.phase());
        assertEquals("CV_TOO_MUCH_WORK", e.flagName());
        assertEquals("CVodeB", e.function());
        assertTrue(e.time() > 0 && e.time() < 10, "time reached " + e.time());
    }

    @Test
    void aThrowingAdjointProductIsABackwardCallbackFailure() {
        TapeOdeModel good = Rober.problem().tapeModel();
        DifferentiableOdeModel failing = new DelegatingModel(good) {
            @Override public void vjp(double t, double[] y, double[] p, double[] l, double[] oy, double[] op, double[] yd) {
                throw new ArithmeticException("vjp broke at t = " + t);
            }
        };
        CallbackException e = assertThrows(CallbackException.class,
                () -> roberGradient(SUM_OF_SQUARES, SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT), failing));
        assertEquals(SolverException.Phase.BACKWARD, e.phase());
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertTrue(e.getMessage().contains("the adjoint RHS (model VJP)"), e.getMessage());
    }

    /** Forwards everything to a model; tests override one product to make it fail. */
    static class DelegatingModel implements DifferentiableOdeModel {
        final DifferentiableOdeModel d;
        DelegatingModel(DifferentiableOdeModel d) { this.d = d.forSolver(); }
        @Override public int stateCount() { return d.stateCount(); }
        @Override public int parameterCount() { return d.parameterCount(); }
        @Override public void rhs(double t, double[] y, double[] p, double[] ydot) { d.rhs(t, y, p, ydot); }
        @Override public boolean hasJacobian() { return d.hasJacobian(); }
        @Override public void jacobian(double t, double[] y, double[] p, org.sundials4j.ode.JacobianWriter w) { d.jacobian(t, y, p, w); }
        @Override public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) { d.jvp(t, y, p, v, w, out); }
        @Override public void vjp(double t, double[] y, double[] p, double[] l, double[] oy, double[] op, double[] yd) { d.vjp(t, y, p, l, oy, op, yd); }
        @Override public DifferentiableOdeModel forSolver() { return this; }
    }
}
