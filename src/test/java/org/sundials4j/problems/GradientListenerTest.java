package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sundials4j.ode.CallbackException;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientListener;
import org.sundials4j.ode.GradientListener.Pass;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.ReplayStatistics;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SolverException;

/**
 * Progress of gradients ({@link GradientSolver#setListener}): in both modes, on the native replay path
 * and the Java path, the forward pass reports times going up from t0 to T, the adjoint's backward pass
 * times going down from T to t0, with reports inside the passes (not only at their ends), step counts
 * that end at CVODES' own statistics, and a gradient bit for bit the one computed without a listener.
 */
class GradientListenerTest {
    record Report(Pass pass, double t, long steps) {}

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (String problem : List.of(Rober.NAME, Pollu.NAME))
            for (String path : List.of("native", "java"))
                for (SensitivityMethod m : List.of(SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT))
                    a.add(Arguments.of(problem, path, m));
        return a.stream();
    }

    private static GradientSolver solver(Objective o, SensitivityMethod m) {
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity().withMethod(m));
    }

    private static Gradient gradient(GradientSolver gs, Objective o) {
        Problem p = o.problem();
        return gs.gradient(p.initialTime(), p.initialState(), p.parameters(), o.times());
    }

    record Runs(Gradient plain, Gradient listened, List<Report> reports, ReplayStatistics path) {}

    private static Runs runs(String problem, String path, SensitivityMethod m) {
        Objective o = Objectives.byName(problem);
        return ReplayPathsTest.onPath(path, () -> {
            Gradient plain;
            try (GradientSolver gs = solver(o, m)) {
                plain = gradient(gs, o);
            }
            List<Report> reports = new ArrayList<>();
            try (GradientSolver gs = solver(o, m)) {
                gs.setListener((pass, t, steps) -> reports.add(new Report(pass, t, steps)), 0);
                Gradient g = gradient(gs, o);
                return new Runs(plain, g, reports, gs.replayStatistics());
            }
        });
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void passesReportMonotoneTimesAndTheGradientKeepsItsBits(String problem, String path, SensitivityMethod m) {
        Objective o = Objectives.byName(problem);
        double t0 = o.problem().initialTime(), tEnd = o.times()[o.times().length - 1];
        Runs r = runs(problem, path, m);
        if (path.equals("native")) assertTrue(r.path().nativeEvaluations() > 0, "the native path served: " + r.path());
        else assertEquals(0, r.path().nativeEvaluations(), "the Java path served: " + r.path());

        assertEquals(r.plain().loss(), r.listened().loss());
        assertArrayEquals(r.plain().params(), r.listened().params(), "dL/dp bit for bit with a listener");
        assertArrayEquals(r.plain().initialState(), r.listened().initialState(), "dL/dy0 bit for bit with a listener");

        List<Report> fwd = r.reports().stream().filter(x -> x.pass() == Pass.FORWARD).toList();
        List<Report> bwd = r.reports().stream().filter(x -> x.pass() == Pass.BACKWARD).toList();
        assertEquals(fwd, r.reports().subList(0, fwd.size()), "the forward pass comes first");
        checkPass(fwd, t0, tEnd, o.times(), "forward", true);
        assertEquals(r.listened().solution().statistics().steps(), fwd.get(fwd.size() - 1).steps(),
                "the forward pass ends at CVODES' step count");
        if (m == SensitivityMethod.FORWARD) {
            assertTrue(bwd.isEmpty(), "forward sensitivities have no backward pass");
            return;
        }
        checkPass(bwd, tEnd, t0, o.times(), "backward", true);
        assertEquals(r.listened().backwardStatistics().steps(), bwd.get(bwd.size() - 1).steps(),
                "the backward pass ends at the sum of CVODES' backward step counts");
    }

    /**
     * pk-dosing's doses are events (served in Java: the replay does not take event models): the forward
     * pass restarts CVODES at each dose, so its step count starts again there, and the adjoint's backward
     * pass replays each segment forward, which reports nothing; times stay monotone in both passes.
     */
    @ParameterizedTest(name = "pk-dosing {0}")
    @MethodSource("methods")
    void throughEventsTheTimesStayMonotone(SensitivityMethod m) {
        Objective o = Objectives.byName(PkDosing.NAME);
        double t0 = o.problem().initialTime(), tEnd = o.times()[o.times().length - 1];
        Runs r = runs(PkDosing.NAME, "native", m);
        assertArrayEquals(r.plain().params(), r.listened().params(), "dL/dp bit for bit with a listener");
        List<Report> fwd = r.reports().stream().filter(x -> x.pass() == Pass.FORWARD).toList();
        List<Report> bwd = r.reports().stream().filter(x -> x.pass() == Pass.BACKWARD).toList();
        assertEquals(fwd, r.reports().subList(0, fwd.size()), "the forward pass comes first");
        checkPass(fwd, t0, tEnd, o.times(), "forward", false);
        if (m == SensitivityMethod.ADJOINT) {
            checkPass(bwd, tEnd, t0, o.times(), "backward", true);
            assertEquals(r.listened().backwardStatistics().steps(), bwd.get(bwd.size() - 1).steps(),
                    "the backward pass ends at the sum of CVODES' backward step counts");
        } else {
            assertTrue(bwd.isEmpty());
        }
    }

    static Stream<SensitivityMethod> methods() {
        return Stream.of(SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT);
    }

    /** Starts at {@code from}, ends at {@code to}, monotone towards {@code to}, steps never down, reports between outputs. */
    private static void checkPass(List<Report> pass, double from, double to, double[] outputs, String name, boolean steps) {
        assertTrue(pass.size() >= 2, name + ": " + pass);
        assertEquals(from, pass.get(0).t(), name + " starts at its first time");
        assertEquals(to, pass.get(pass.size() - 1).t(), name + " ends at its last time");
        double sign = Math.signum(to - from);
        int inside = 0;
        for (int k = 0; k < pass.size(); k++) {
            Report x = pass.get(k);
            assertTrue(x.t() >= Math.min(from, to) && x.t() <= Math.max(from, to), name + " report in range: " + x);
            if (k > 0) {
                assertTrue(sign * (x.t() - pass.get(k - 1).t()) >= 0, name + " time monotone at " + k + ": " + pass.get(k - 1) + " then " + x);
                if (steps) assertTrue(x.steps() >= pass.get(k - 1).steps(), name + " steps never decrease at " + k);
            }
            boolean atOutput = x.t() == from;
            for (double t : outputs) atOutput |= x.t() == t;
            if (!atOutput) inside++;
        }
        assertTrue(inside > 0, name + ": the throttled reports inside the intervals came (interval 0): " + pass);
    }

    @Test
    void aListenerThatThrowsInsideThePassEndsInACallbackExceptionAndTheSolverStaysUsable() {
        Objective o = Objectives.byName(Pollu.NAME);
        for (String path : List.of("native", "java")) {
            ReplayPathsTest.onPath(path, () -> {
                try (GradientSolver gs = solver(o, SensitivityMethod.ADJOINT)) {
                    Gradient reference = gradient(gs, o);
                    IllegalStateException boom = new IllegalStateException("stop here");
                    double tEnd = o.times()[o.times().length - 1];
                    // the first backward report after the start comes from a callback (native: the heartbeat)
                    gs.setListener((pass, t, steps) -> {
                        if (pass == Pass.BACKWARD && t < tEnd) throw boom;
                    }, 0);
                    CallbackException e = assertThrows(CallbackException.class, () -> gradient(gs, o), path);
                    assertSame(boom, rootOrSelf(e, boom), path + ": the listener's exception is the cause: " + e);
                    assertEquals(SolverException.Phase.BACKWARD, e.phase(), path + ": " + e);
                    gs.setListener(null);
                    Gradient again = gradient(gs, o);
                    assertArrayEquals(reference.params(), again.params(), path + ": the solver stays usable, same bits");
                    assertArrayEquals(reference.initialState(), again.initialState(), path);
                }
                return null;
            });
        }
    }

    @Test
    void aListenerThatThrowsAtThePassStartEndsInACallbackException() {
        Objective o = Objectives.byName(Rober.NAME);
        try (GradientSolver gs = solver(o, SensitivityMethod.FORWARD)) {
            Gradient reference = gradient(gs, o);
            ArithmeticException boom = new ArithmeticException("no");
            gs.setListener((pass, t, steps) -> {
                throw boom;
            });
            CallbackException e = assertThrows(CallbackException.class, () -> gradient(gs, o));
            assertSame(boom, e.getCause());
            assertEquals(SolverException.Phase.FORWARD, e.phase());
            assertEquals("LISTENER_FAILED", e.flagName());
            gs.setListener(null);
            assertArrayEquals(reference.params(), gradient(gs, o).params(), "the solver stays usable");
        }
    }

    @Test
    void theErrorEstimatesSecondGradientReportsNothing() {
        Objective o = Objectives.byName(Rober.NAME);
        List<Report> reports = new ArrayList<>();
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(),
                o.sensitivity().withMethod(SensitivityMethod.ADJOINT).withErrorEstimate(true))) {
            gs.setListener((pass, t, steps) -> reports.add(new Report(pass, t, steps)), 0);
            gradient(gs, o);
        }
        int changes = 0;
        for (int k = 1; k < reports.size(); k++) if (reports.get(k).pass() != reports.get(k - 1).pass()) changes++;
        assertEquals(Pass.FORWARD, reports.get(0).pass());
        assertEquals(1, changes, "one forward pass, then one backward pass: " + reports);
        assertEquals(0.0, reports.get(reports.size() - 1).t(), "ending at t0");
    }

    @Test
    void aNegativeIntervalIsRefused() {
        Objective o = Objectives.byName(Rober.NAME);
        try (GradientSolver gs = solver(o, SensitivityMethod.ADJOINT)) {
            GradientListener l = (pass, t, steps) -> { };
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gs.setListener(l, -1));
            assertTrue(e.getMessage().contains("intervalNanos = -1"), e.getMessage());
        }
    }

    private static Throwable rootOrSelf(Throwable e, Throwable wanted) {
        for (Throwable c = e; c != null; c = c.getCause()) if (c == wanted) return c;
        return e;
    }
}
