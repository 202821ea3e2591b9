package org.sundials4j.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.ode.BouncingBallTest;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.PkDosing;
import org.sundials4j.problems.PkDosingTest;
import org.sundials4j.tape.LossDefinition;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Hessian-vector products through events ({@link TangentEvents}): scheduled doses whose amount depends
 * on a parameter, a state-triggered rescue dose whose threshold depends on a parameter, bounces whose
 * update depends on a parameter, and a trigger and an update that depend on time itself (the
 * {@code g_t} and {@code h_t} terms). References: the Hessians of the closed forms of pk-dosing and the
 * bouncing ball (central differences of their dual-number gradients, no ODE solver involved), and
 * central differences of the exact first-order gradient.
 */
class SecondOrderEventsTest {
    static final SolverOptions TIGHT = SolverOptions.defaults().withTolerances(1e-12, 1e-14).withMaxSteps(200_000);

    static SensitivityOptions sens(SensitivityMethod m) {
        return SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-12, 1e-14).withQuadratureTolerances(1e-12, 1e-14);
    }

    /** The problem set's pk-dosing loss {@code Σ (A_c(t_k)/V - d_k)²}. */
    static final LossDefinition PK_LOSS = (tape, times, states, p) -> {
        Var s = tape.constant(0);
        for (int k = 0; k < times.length; k++) s = s.plus(states[k].get(1).div(p.get(2)).minus(PkDosing.DATA[k]).square());
        return s;
    };

    /** {@code H} by central differences of a gradient (step {@code 1e-4·|p_j|}), column j from the gradients at p ± h e_j. */
    interface GradientAt {
        double[] at(double[] p);
    }

    static double[][] hessianByDifferences(GradientAt g, double[] p) {
        int n = p.length;
        double[][] h = new double[n][n];
        for (int j = 0; j < n; j++) {
            double step = 1e-4 * Math.abs(p[j]);
            double[] a = p.clone(), b = p.clone();
            a[j] += step;
            b[j] -= step;
            double[] ga = g.at(a), gb = g.at(b);
            for (int i = 0; i < n; i++) h[i][j] = (ga[i] - gb[i]) / (2 * step);
        }
        return h;
    }

    static void assertHessian(double[][] expected, double[][] actual, double rel, String what) {
        double scale = 0;
        for (double[] row : expected) for (double x : row) scale = Math.max(scale, Math.abs(x));
        for (int i = 0; i < expected.length; i++)
            for (int j = 0; j < expected.length; j++)
                assertEquals(expected[i][j], actual[i][j], rel * scale, what + " H[" + i + "][" + j + "]");
    }

    /**
     * pk-dosing with all four parameters: F scales the scheduled doses and the rescue dose, V the rescue
     * threshold (C = A_c/V crosses c_min), ka and CL move the rescue times. The exact Hessian, by both
     * methods, against the closed form's.
     */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void pkDosingHessianMatchesTheClosedForm(SensitivityMethod method) {
        double[] p = PkDosing.PARAMETERS;
        double[][] reference = hessianByDifferences(q -> {
            double[] d = new PkDosingTest.Closed(q).loss.d;
            return new double[] {d[0], d[1], d[2], d[3]};
        }, p);
        try (SecondOrderAdjoint h = new SecondOrderAdjoint(2, 4, PkDosing.definition(), PkDosing.events(), PK_LOSS, null, TIGHT,
                sens(method), 0, PkDosing.Y0, p)) {
            double[][] hess = new double[4][];
            for (int j = 0; j < 4; j++) {
                double[] e = new double[4];
                e[j] = 1;
                SecondOrderAdjoint.Product pr = h.apply(0, PkDosing.Y0, p, PkDosing.OUTPUT_TIMES, e);
                hess[j] = pr.hv();
                double exact = new PkDosingTest.Closed(p).loss.d[j];
                assertEquals(exact, pr.directionalDerivative(), 1e-7 * Math.abs(exact), "∇L·e_" + j + " is the gradient");
            }
            assertHessian(reference, hess, 1e-6, method.toString());
            // the two rescue events are what make it hard: without the event-time terms H is far off
            assertTrue(Math.abs(reference[0][1]) > 1e-3 * Math.abs(reference[1][1]), "ka-CL coupling is not negligible");
        }
    }

    /** Bounces with a parameter-dependent update {@code v ← -e v}: the Hessian of h(T)² + v(T)² in (g, e). */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void bouncingBallHessianMatchesTheClosedForm(SensitivityMethod method) {
        double t = BouncingBallTest.T;
        double[] p = {BouncingBallTest.G, BouncingBallTest.E}, y0 = {BouncingBallTest.H0, BouncingBallTest.V0};
        double[][] reference = hessianByDifferences(q -> {
            BouncingBallTest.Closed c = new BouncingBallTest.Closed(t, q[0], q[1]);
            return new double[] {2 * c.h.v * c.h.d[0] + 2 * c.v.v * c.v.d[0], 2 * c.h.v * c.h.d[1] + 2 * c.v.v * c.v.d[1]};
        }, p);
        OdeDefinition free = (tape, time, y, q) -> new Var[] {y.get(1), q.get(0).neg()};
        List<Event> bounce = List.of(TapeEvents.whenZero("bounce", 2, 2, (tape, time, y, q) -> y.get(0), Event.Direction.DOWN,
                (tape, time, y, q) -> new Var[] {y.get(0), q.get(1).times(y.get(1)).neg()}));
        LossDefinition loss = (tape, times, states, q) -> states[times.length - 1].dot(states[times.length - 1]);
        SolverOptions adams = SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(1e-12, 1e-13);
        try (SecondOrderAdjoint h = new SecondOrderAdjoint(2, 2, free, bounce, loss, null, adams, sens(method), 0, y0, p)) {
            assertHessian(reference, h.hessian(0, y0, p, new double[] {2, t}), 1e-6, method.toString());
        }
    }

    /**
     * A rescue that fires below a threshold rising with time and doses more the later it comes:
     * {@code g = C - c_min (1 + 0.01 t)}, {@code h = A_gut + F·50·(1 + 0.02 t)}, so {@code g_t} and {@code h_t}
     * enter {@code dτ} and the jump of {@code s}. H v in a mixed direction against central differences of
     * the exact (forward-sensitivity) gradient.
     */
    @Test
    void timeDependentTriggerAndUpdateMatchCentralDifferencesOfTheGradient() {
        double[] p = PkDosing.PARAMETERS, v = {0.3, -0.5, 0.02, 0.9};
        List<Event> events = List.of(
                TapeEvents.at("dose", PkDosing.DOSE_TIMES, 2, 4, (tape, t, y, q) -> new Var[] {y.get(0).plus(q.get(3).times(PkDosing.DOSE)), y.get(1)}),
                TapeEvents.whenZero("rescue", 2, 4, (tape, t, y, q) -> y.get(1).div(q.get(2)).minus(t.times(0.01).plus(1).times(PkDosing.C_MIN)),
                        Event.Direction.DOWN,
                        (tape, t, y, q) -> new Var[] {y.get(0).plus(q.get(3).times(t.times(0.02).plus(1)).times(PkDosing.RESCUE_DOSE)), y.get(1)}));
        double[] hv;
        try (SecondOrderAdjoint h = new SecondOrderAdjoint(2, 4, PkDosing.definition(), events, PK_LOSS, null, TIGHT,
                sens(SensitivityMethod.ADJOINT), 0, PkDosing.Y0, p)) {
            hv = h.apply(0, PkDosing.Y0, p, PkDosing.OUTPUT_TIMES, v).hv();
        }
        TapeOdeModel model = TapeOdeModel.record(2, 4, PkDosing.definition(), 0, PkDosing.Y0, p);
        try (GradientSolver gs = new GradientSolver(EventModel.of(model, events), TapeLoss.of(PK_LOSS).forSolver(), null, TIGHT,
                sens(SensitivityMethod.FORWARD))) {
            double step = 1e-5;
            double[] a = p.clone(), b = p.clone();
            for (int j = 0; j < 4; j++) {
                a[j] += step * v[j];
                b[j] -= step * v[j];
            }
            double[] ga = gs.gradient(0, PkDosing.Y0, a, PkDosing.OUTPUT_TIMES).params(), gb = gs.gradient(0, PkDosing.Y0, b, PkDosing.OUTPUT_TIMES).params();
            assertTrue(gs.gradient(0, PkDosing.Y0, p, PkDosing.OUTPUT_TIMES).solution().events().stream()
                    .filter(r -> r.name().equals("rescue")).count() >= 2, "rescues fire");
            double scale = 0;
            for (int j = 0; j < 4; j++) scale = Math.max(scale, Math.abs((ga[j] - gb[j]) / (2 * step)));
            for (int j = 0; j < 4; j++) assertEquals((ga[j] - gb[j]) / (2 * step), hv[j], 1e-5 * scale, "component " + j);
        }
    }

    /** Refusals name the event: a trigger that is not on the tape, a piecewise right-hand side. */
    @Test
    void refusesWhatItCannotFollow() {
        org.sundials4j.ode.EventFunction opaque = new org.sundials4j.ode.EventFunction() {
            @Override public double value(double t, double[] y, double[] p) { return y[1] - 1; }
            @Override public double gradient(double t, double[] y, double[] p, double[] grad) {
                java.util.Arrays.fill(grad, 0);
                grad[2] = 1;
                return y[1] - 1;
            }
        };
        List<Event> foreign = List.of(Event.whenZero("opaque", opaque, Event.Direction.DOWN, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SecondOrderAdjoint(2, 4, PkDosing.definition(),
                foreign, PK_LOSS, null, TIGHT, sens(SensitivityMethod.ADJOINT), 0, PkDosing.Y0, PkDosing.PARAMETERS));
        assertTrue(e.getMessage().contains("'opaque'") && e.getMessage().contains("tape"), e.getMessage());
        OdeDefinition piecewise = (tape, t, y, q) -> {
            Var out = y.get(0).isGreaterThan(1).select(q.get(0).times(y.get(0)), q.get(1).times(y.get(0)));
            return new Var[] {out.neg(), out};
        };
        e = assertThrows(IllegalArgumentException.class, () -> new SecondOrderAdjoint(2, 4, piecewise, List.of(), PK_LOSS, null, TIGHT,
                sens(SensitivityMethod.ADJOINT), 0, new double[] {2, 0}, PkDosing.PARAMETERS));
        assertTrue(e.getMessage().contains("piecewise"), e.getMessage());
    }
}
