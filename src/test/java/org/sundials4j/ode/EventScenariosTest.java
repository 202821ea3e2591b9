package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * Event semantics on small models with closed forms: simultaneous events, an event at t0, an
 * event at an output time, a root touched but not crossed, a record-only root, a stop, a
 * tangential crossing and events that do not let time advance.
 */
class EventScenariosTest {
    static SolverOptions tight() {
        return SolverOptions.defaults().withRtol(1e-11).withAtol(1e-13);
    }

    static SensitivityOptions sens(SensitivityMethod m) {
        return SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-11, 1e-13).withQuadratureTolerances(1e-11, 1e-13);
    }

    /** y' = -k y; p = [k, a, b]. */
    static TapeOdeModel decay() {
        return TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {p.get(0).times(y.get(0)).neg()}, 0, new double[] {1},
                new double[] {0.7, 0.5, 3});
    }

    static Event add(double... times) {
        return TapeEvents.at("add", times, 1, 3, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(1))});
    }

    static Event scale(double... times) {
        return TapeEvents.at("scale", times, 1, 3, (tape, t, y, p) -> new Var[] {y.get(0).times(p.get(2))});
    }

    static final double K = 0.7, A = 0.5, B = 3, Y0 = 1.2;
    static final double[] P = {K, A, B};

    /** L = y(1) + y(2) with y(1) at the event time: (y0 e^{-k} + a) b, then decay for one more unit. */
    static Dual lossAddThenScale() {
        Dual k = Dual.variable(K, 0, 4), a = Dual.variable(A, 1, 4), b = Dual.variable(B, 2, 4), y0 = Dual.variable(Y0, 3, 4);
        Dual y1 = y0.times(k.neg().exp()).plus(a).times(b);
        return y1.plus(y1.times(k.neg().exp()));
    }

    static final OutputLoss SUM = (times, states, p, dS, dP) -> {
        double s = 0;
        for (int k = 0; k < times.length; k++) {
            dS[k][0] = 1;
            s += states[k][0];
        }
        return s;
    };

    @Test
    void simultaneousEventsApplyInListOrder() {
        double[] times = {1, 2};
        try (CvodesSolver s = new CvodesSolver(EventModel.of(decay(), add(1), scale(1)), tight());
             CvodesSolver r = new CvodesSolver(EventModel.of(decay(), scale(1), add(1)), tight())) {
            Solution sol = s.solve(new double[] {Y0}, P, times);
            assertEquals((Y0 * Math.exp(-K) + A) * B, sol.state(0)[0], 1e-9, "output at the event time sees y(1⁺), add first");
            assertEquals(List.of("add", "scale"), sol.events().stream().map(EventRecord::name).toList());
            Solution rev = r.solve(new double[] {Y0}, P, times);
            assertEquals(Y0 * Math.exp(-K) * B + A, rev.state(0)[0], 1e-9, "the other order: scale first");
            assertEquals(0, sol.events().get(0).direction());
        }
    }

    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT", "FINITE_DIFFERENCE"})
    void gradientThroughSimultaneousEventsAtAnOutputTime(SensitivityMethod m) {
        Dual ref = lossAddThenScale();
        try (GradientSolver gs = new GradientSolver(EventModel.of(decay(), add(1), scale(1)), SUM, null, tight(), sens(m))) {
            Gradient g = gs.gradient(0, new double[] {Y0}, P, new double[] {1, 2});
            assertEquals(ref.v, g.loss(), 1e-9);
            double[] got = {g.params()[0], g.params()[1], g.params()[2], g.initialState()[0]};
            for (int j = 0; j < 4; j++) assertEquals(ref.d[j], got[j], 1e-7 * Math.max(1, Math.abs(ref.d[j])), m + " θ" + j);
        }
    }

    /** A dose at t0 applies before the first step; an output at t0 sees it. t0 = 0.5 here. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void eventAtTheInitialTime(SensitivityMethod m) {
        double t0 = 0.5;
        try (CvodesSolver s = new CvodesSolver(EventModel.of(decay(), add(t0, 0.1)), tight())) {
            Solution sol = s.solve(t0, new double[] {Y0}, P, new double[] {t0, 1.5});
            assertEquals(Y0 + A, sol.state(0)[0], 1e-15, "the output at t0 sees the dose");
            assertEquals((Y0 + A) * Math.exp(-K), sol.state(1)[0], 1e-9);
            assertEquals(1, sol.events().size(), "the dose at 0.1 < t0 is in the past");
        }
        // L = y(t0⁺) + y(t0 + 1) = (y0 + a)(1 + e^{-k})
        Dual k = Dual.variable(K, 0, 4), a = Dual.variable(A, 1, 4), y0 = Dual.variable(Y0, 3, 4);
        Dual ref = y0.plus(a).times(k.neg().exp().plus(1));
        try (GradientSolver gs = new GradientSolver(EventModel.of(decay(), add(t0)), SUM, null, tight(), sens(m))) {
            Gradient g = gs.gradient(t0, new double[] {Y0}, P, new double[] {t0, t0 + 1});
            assertEquals(ref.v, g.loss(), 1e-9);
            assertEquals(ref.d[0], g.params()[0], 1e-8);
            assertEquals(ref.d[1], g.params()[1], 1e-8);
            assertEquals(0, g.params()[2], 1e-12);
            assertEquals(ref.d[3], g.initialState()[0], 1e-8);
        }
    }

    /** x' = 2(t - 1) from x(0) = 1: x = (t-1)² touches 0 at t = 1 without crossing. */
    static TapeOdeModel parabola() {
        return TapeOdeModel.record(1, 1, (tape, t, y, p) -> new Var[] {t.minus(1).times(2)}, 0, new double[] {1}, new double[] {0});
    }

    @Test
    void aRootTouchedButNotCrossedDoesNotFire() {
        Event touch = TapeEvents.whenZero("touch", 1, 1, (tape, t, y, p) -> y.get(0).minus(p.get(0)), Event.Direction.BOTH,
                (tape, t, y, p) -> new Var[] {y.get(0).plus(100)});
        try (CvodesSolver s = new CvodesSolver(EventModel.of(parabola(), touch), tight())) {
            Solution sol = s.solve(new double[] {1}, new double[] {0}, new double[] {2});
            assertEquals(List.of(), sol.events());
            assertEquals(1, sol.state(0)[0], 1e-9);
        }
        // a report-only root (no update) at level 1e-2 is crossed twice: down at 1 - 0.1, up at 1 + 0.1
        Event report = TapeEvents.whenZero("level", 1, 1, (tape, t, y, p) -> y.get(0).minus(p.get(0)), Event.Direction.BOTH, null);
        try (CvodesSolver s = new CvodesSolver(EventModel.of(parabola(), report), tight())) {
            Solution sol = s.solve(new double[] {1}, new double[] {1e-2}, new double[] {2});
            assertEquals(2, sol.events().size());
            assertEquals(0.9, sol.events().get(0).time(), 1e-9);
            assertEquals(-1, sol.events().get(0).direction());
            assertEquals(1.1, sol.events().get(1).time(), 1e-9);
            assertEquals(1, sol.events().get(1).direction());
            assertEquals(1, sol.state(0)[0], 1e-9, "a report leaves the trajectory alone");
        }
    }

    @Test
    void aStopEventEndsTheSolution() {
        Event stop = TapeEvents.stopWhen("half", 1, 3, (tape, t, y, p) -> y.get(0).minus(0.5), Event.Direction.DOWN);
        double tHalf = Math.log(Y0 / 0.5) / K;
        try (CvodesSolver s = new CvodesSolver(EventModel.of(decay(), stop), tight())) {
            Solution sol = s.solve(new double[] {Y0}, P, new double[] {0.5, 1, tHalf + 0.1, 10});
            assertEquals(2, sol.size(), "outputs after the stop are not computed");
            assertEquals(tHalf, sol.events().get(0).time(), 1e-9);
        }
        try (GradientSolver gs = new GradientSolver(EventModel.of(decay(), stop), SUM, null, tight(), sens(SensitivityMethod.FORWARD))) {
            SolverException e = assertThrows(SolverException.class, () -> gs.gradient(0, new double[] {Y0}, P, new double[] {1, 10}));
            assertEquals("STOPPED_BY_EVENT", e.flagName());
        }
    }

    /** x = (t-1)³ crosses 0 at t = 1 with zero rate: the event time is not differentiable. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void aTangentialCrossingIsAClearError(SensitivityMethod m) {
        TapeOdeModel cubic = TapeOdeModel.record(1, 1, (tape, t, y, p) -> new Var[] {t.minus(1).square().times(3)}, 0,
                new double[] {-1}, new double[] {1});
        Event kick = TapeEvents.whenZero("kick", 1, 1, (tape, t, y, p) -> y.get(0), Event.Direction.UP,
                (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(0))});
        DifferentiableOdeModel model = EventModel.of(cubic, kick);
        try (CvodesSolver s = new CvodesSolver(model, tight())) {
            Solution sol = s.solve(new double[] {-1}, new double[] {1}, new double[] {2});
            assertEquals(1, sol.events().size(), "the plain solve fires it");
        }
        try (GradientSolver gs = new GradientSolver(model, SUM, null, tight(), sens(m))) {
            SolverException e = assertThrows(SolverException.class, () -> gs.gradient(0, new double[] {-1}, new double[] {1}, new double[] {2}));
            assertEquals("TANGENTIAL_CROSSING", e.flagName());
            assertTrue(e.getMessage().contains("kick"), e.getMessage());
            assertEquals(1, e.time(), 1e-2);
        }
    }

    /** x' = 1 and, at x = 1 going up, x ← 1 - 1e-14: the update puts x back just below 1, where it fires again at once. */
    @Test
    void eventsThatDoNotLetTimeAdvanceAreAnError() {
        TapeOdeModel ramp = TapeOdeModel.record(1, 0, (tape, t, y, p) -> new Var[] {tape.constant(1)}, 0, new double[] {0}, null);
        Event reflect = TapeEvents.whenZero("reflect", 1, 0, (tape, t, y, p) -> y.get(0).minus(1), Event.Direction.UP,
                (tape, t, y, p) -> new Var[] {tape.constant(1 - 1e-14)});
        try (CvodesSolver s = new CvodesSolver(EventModel.of(ramp, reflect), tight())) {
            SolverException e = assertThrows(SolverException.class, () -> s.solve(new double[] {0}, new double[0], new double[] {3}));
            assertEquals("EVENTS_NOT_ADVANCING", e.flagName(), e.getMessage());
            assertEquals(1, e.time(), 1e-6);
        }
    }

    /** Integrate-and-fire: v' = (I - v)/τ, reset v ← 0 at v = θ; period τ ln(I/(I-θ)) = ln 2 here. */
    @Test
    void aRelaxationOscillatorFiresHundredsOfTimes() {
        TapeOdeModel lif = TapeOdeModel.record(1, 2, (tape, t, y, p) -> new Var[] {p.get(0).minus(y.get(0)).div(p.get(1))}, 0,
                new double[] {0}, new double[] {2, 1});
        Event fire = TapeEvents.whenZero("fire", 1, 2, (tape, t, y, p) -> y.get(0).minus(1), Event.Direction.UP,
                (tape, t, y, p) -> new Var[] {tape.constant(0)});
        double end = 300, period = Math.log(2);
        int expected = (int) Math.floor(end / period);
        try (CvodesSolver s = new CvodesSolver(EventModel.of(lif, fire), tight())) {
            long t0 = System.nanoTime();
            Solution sol = s.solve(new double[] {0}, new double[] {2, 1}, new double[] {end});
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(expected, sol.events().size(), "no missed and no extra events");
            double worst = 0;
            for (int j = 0; j < expected; j++) worst = Math.max(worst, Math.abs(sol.events().get(j).time() - (j + 1) * period));
            assertTrue(worst < 1e-9 * end, "event times drift by " + worst);
            double phase = end - expected * period;
            assertEquals(2 * (1 - Math.exp(-phase)), sol.state(0)[0], 1e-7);
            System.out.printf("relaxation oscillator: %d events, max time error %.2e, %.0f events/s (first solve, incl. warm-up)%n",
                    expected, worst, expected / seconds);
        }
    }
}
