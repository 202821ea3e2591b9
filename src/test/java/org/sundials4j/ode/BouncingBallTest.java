package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * A bouncing ball, {@code h'' = -g}, bouncing when the height crosses 0 downwards with
 * {@code v ← -e v}: event times, states and the sensitivities of the height and velocity at a final
 * time to {@code g}, {@code e}, {@code h0} and {@code v0}, against the closed form differentiated by
 * dual numbers. Each bounce is a state-triggered, parameter-dependent, state-updating event, so
 * every term of the event jump (the event-time term included) matters.
 */
public class BouncingBallTest {
    public static final double G = 9.81, E = 0.8, H0 = 10, V0 = 2, T = 7;

    static DifferentiableOdeModel ball() {
        TapeOdeModel free = TapeOdeModel.record(2, 2, (tape, t, y, p) -> new Var[] {y.get(1), p.get(0).neg()},
                0, new double[] {H0, V0}, new double[] {G, E});
        return EventModel.of(free, TapeEvents.whenZero("bounce", 2, 2, (tape, t, y, p) -> y.get(0), Event.Direction.DOWN,
                (tape, t, y, p) -> new Var[] {y.get(0), p.get(1).times(y.get(1)).neg()}));
    }

    /** Closed form in (g, e, h0, v0): bounce times and (h, v) at {@code t}. */
    public static final class Closed {
        final List<Dual> bounces = new ArrayList<>();
        /** Height and velocity at {@code t}, with derivatives in directions g, e, h0, v0. */
        public final Dual h, v;

        Closed(double t) {
            this(t, G, E);
        }

        /** At gravity {@code gValue} and restitution {@code eValue} (h0, v0 as in the test). */
        public Closed(double t, double gValue, double eValue) {
            Dual g = Dual.variable(gValue, 0, 4), e = Dual.variable(eValue, 1, 4), h0 = Dual.variable(H0, 2, 4), v0 = Dual.variable(V0, 3, 4);
            Dual speed = v0.square().plus(g.times(h0).times(2)).sqrt(); // impact speed of the first fall
            Dual tk = v0.plus(speed).div(g);
            if (tk.v > t) {
                Dual s = Dual.constant(t, 4);
                h = h0.plus(v0.times(s)).minus(g.times(s.square()).times(0.5));
                v = v0.minus(g.times(s));
                return;
            }
            Dual u = e.times(speed); // upward speed after the bounce
            bounces.add(tk);
            while (true) {
                Dual next = tk.plus(u.times(2).div(g));
                if (next.v > t) break;
                tk = next;
                bounces.add(tk);
                u = e.times(u);
            }
            Dual s = Dual.constant(t, 4).minus(tk);
            h = u.times(s).minus(g.times(s.square()).times(0.5));
            v = u.minus(g.times(s));
        }
    }

    static SolverOptions tight() {
        return SolverOptions.defaults().withMethod(Method.ADAMS).withRtol(1e-11).withAtol(1e-12);
    }

    @org.junit.jupiter.api.Test
    void bounceTimesAndStates() {
        Closed ref = new Closed(T);
        try (CvodesSolver s = new CvodesSolver(ball(), tight())) {
            Solution sol = s.solve(new double[] {H0, V0}, new double[] {G, E}, new double[] {1, 3, 5, T});
            assertEquals(3, ref.bounces.size());
            assertEquals(ref.bounces.size(), sol.events().size(), "bounces before T");
            for (int b = 0; b < ref.bounces.size(); b++) {
                EventRecord r = sol.events().get(b);
                assertEquals("bounce", r.name());
                assertEquals(-1, r.direction());
                assertEquals(ref.bounces.get(b).v, r.time(), 1e-9, "bounce " + b);
            }
            double[] y = sol.state(3);
            assertEquals(ref.h.v, y[0], 1e-8);
            assertEquals(ref.v.v, y[1], 1e-8);
            assertEquals(new Closed(3).h.v, sol.state(1)[0], 1e-8);
            // three restarts: the statistics cover all four segments
            assertEquals(true, sol.statistics().steps() > 4);
        }
    }

    /** dh(T)/dθ and dv(T)/dθ for θ = (g, e, h0, v0), forward and adjoint. */
    @ParameterizedTest
    @EnumSource(value = SensitivityMethod.class, names = {"FORWARD", "ADJOINT"})
    void sensitivitiesOfTheFinalState(SensitivityMethod method) {
        Closed ref = new Closed(T);
        for (int which = 0; which < 2; which++) {
            int w = which;
            OutputLoss pick = (times, states, p, dS, dP) -> {
                dS[times.length - 1][w] = 1;
                return states[times.length - 1][w];
            };
            SensitivityOptions so = SensitivityOptions.defaults().withMethod(method).withBackwardTolerances(1e-11, 1e-12)
                    .withQuadratureTolerances(1e-11, 1e-12);
            try (GradientSolver gs = new GradientSolver(ball(), pick, null, tight(), so)) {
                Gradient g = gs.gradient(0, new double[] {H0, V0}, new double[] {G, E}, new double[] {2, T});
                Dual exact = w == 0 ? ref.h : ref.v;
                assertEquals(exact.v, g.loss(), 1e-8);
                double[] got = {g.params()[0], g.params()[1], g.initialState()[0], g.initialState()[1]};
                String[] names = {"g", "e", "h0", "v0"};
                for (int j = 0; j < 4; j++)
                    assertEquals(exact.d[j], got[j], 1e-6 * Math.max(1, Math.abs(exact.d[j])),
                            method + ": d" + (w == 0 ? "h" : "v") + "(T)/d" + names[j]);
            }
        }
    }
}
