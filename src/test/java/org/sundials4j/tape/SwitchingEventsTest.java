package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventFunction;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;

/**
 * The switching events of a piecewise tape model ({@link TapeOdeModel#events()}): a solver's switches
 * share one replay of the switching program per point, and every value is still exactly its
 * comparison's {@code lhs - rhs} (each a single rounding here, so the closed form is bit for bit).
 */
class SwitchingEventsTest {
    /**
     * Three selects: y0 > p0, y0·y1 > p1 and, inside its first branch, t > p2. Switches come in the order
     * the selects were recorded (an inner one before its outer one): triggers y0 - p0, t - p2, y0·y1 - p1.
     */
    static TapeOdeModel threeSwitches() {
        return TapeOdeModel.record(2, 3, (tape, t, y, p) -> new Var[] {
                y.get(0).isGreaterThan(p.get(0)).select(y.get(1), y.get(0).neg()),
                y.get(0).times(y.get(1)).isGreaterThan(p.get(1)).select(t.isGreaterThan(p.get(2)).select(1, 2), y.get(1).sin())},
                0, new double[] {1, 2}, new double[] {0.5, 1, 3});
    }

    static double[] closedForm(double t, double[] y, double[] p) {
        return new double[] {y[0] - p[0], t - p[2], y[0] * y[1] - p[1]};
    }

    static EventFunction[] solverTriggers(TapeOdeModel userModel) {
        List<Event> events = userModel.forSolver().events();
        EventFunction[] g = new EventFunction[events.size()];
        for (int k = 0; k < g.length; k++) g[k] = events.get(k).trigger().forSolver();
        return g;
    }

    @Test
    void everyValueIsItsComparisonAtEveryPointInAnyOrder() {
        TapeOdeModel m = threeSwitches();
        assertEquals(3, m.events().size());
        EventFunction[] shared = solverTriggers(m);
        double[] y = new double[2], p = {0.5, 1, 3};
        int[][] orders = {{0, 1, 2}, {2, 0, 1}, {1, 1, 2, 0}};
        for (int point = 0; point < 6; point++) {
            // the solver overwrites one y array in place between evaluations: the values must follow it
            double t = 0.3 * point;
            y[0] = Math.sin(point + 0.1);
            y[1] = 1.7 - 0.4 * point;
            double[] expected = closedForm(t, y, p);
            for (int[] order : orders)
                for (int k : order) assertEquals(expected[k], shared[k].value(t, y, p), 0.0, "switch " + k + " at point " + point);
            // a switch with a replay of its own (another instance's) agrees bit for bit
            for (int k = 0; k < 3; k++) assertEquals(expected[k], m.events().get(k).trigger().forSolver().value(t, y, p), 0.0);
        }
        // one input differing in its last bit, or only in the sign of a zero, is a new point
        double[] tiny = {Math.nextUp(0.5), 2};
        assertEquals(Math.nextUp(0.5) - 0.5, shared[0].value(0, tiny, p), 0.0);
        tiny[0] = 0.5;
        assertEquals(0.0, shared[0].value(0, tiny, p), 0.0);
        double[] q = {0.5, 0.0, 3};
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(shared[2].value(0, new double[] {1, 0.0}, q)));
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(shared[2].value(0, new double[] {1, -0.0}, q)),
                "1·(-0) - 0 = -0: a cached +0 would be wrong");
    }

    @Test
    void gradientsThenValuesAtTheSameAndAtNewPoints() {
        EventFunction[] g = solverTriggers(threeSwitches());
        double t = 1.25;
        double[] y = {0.75, -1.5}, p = {0.5, 1, 3}, grad = new double[6];
        assertEquals(y[0] * y[1] - p[1], g[2].value(t, y, p), 0.0);
        assertEquals(y[0] * y[1] - p[1], g[2].gradient(t, y, p, grad), 0.0);
        assertArrayEquals(new double[] {0, y[1], y[0], 0, -1, 0}, grad, 0.0); // [g_t, g_y0, g_y1, g_p0, g_p1, g_p2]
        assertEquals(t - p[2], g[1].gradient(t, y, p, grad), 0.0);
        assertArrayEquals(new double[] {1, 0, 0, 0, 0, -1}, grad, 0.0);
        double[] expected = closedForm(t, y, p);
        for (int k = 0; k < 3; k++) assertEquals(expected[k], g[k].value(t, y, p), 0.0, "after the gradients, switch " + k);
        y[0] = 2;
        assertEquals(2 - p[0], g[0].value(t, y, p), 0.0);
        assertEquals(2 * y[1] - p[1], g[2].value(t, y, p), 0.0);
    }

    @Test
    void aSolversSwitchesAreItsOwnAndAnEventModelKeepsThem() {
        TapeOdeModel m = threeSwitches();
        EventFunction user = m.events().get(0).trigger();
        assertNotSame(user, user.forSolver(), "a solver gets a switch of its own from the model every solver copies");
        TapeOdeModel copy = m.forSolver();
        EventFunction own = copy.events().get(0).trigger();
        assertSame(own, own.forSolver(), "a solver copy's switch already is its solver's");
        Event extra = TapeEvents.whenZero("report", 2, 3, (tape, t, y, p) -> y.get(0).minus(10), Event.Direction.UP, null);
        EventModel em = EventModel.of(m, extra);
        List<Event> solverEvents = em.forSolver().events();
        assertEquals(List.of("switch 0", "switch 1", "switch 2", "report"), solverEvents.stream().map(Event::name).toList());
        assertSame(extra, solverEvents.get(3));
        for (int k = 0; k < 3; k++) {
            EventFunction g = solverEvents.get(k).trigger();
            assertSame(g, g.forSolver(), "switch " + k + " comes from the base's solver copy");
            assertEquals(k, solverEvents.get(k).branch());
        }
    }

    /** x' = a above θ, b below, from x0 < θ, with a reported crossing of θ2 > θ: both times in closed form. */
    @Test
    void aSwitchBesideAnAttachedEventInASolve() {
        double th = 1, a = 0.5, b = 2, x0 = 0.1, th2 = 1.6;
        TapeOdeModel m = TapeOdeModel.record(1, 3, (tape, t, y, p) -> new Var[] {
                y.get(0).isGreaterThan(p.get(0)).select(p.get(1), p.get(2))}, 0, new double[] {x0}, new double[] {th, a, b});
        EventModel em = EventModel.of(m, TapeEvents.whenZero("above th2", 1, 3, (tape, t, y, p) -> y.get(0).minus(th2),
                Event.Direction.UP, null));
        try (CvodesSolver s = new CvodesSolver(em, SolverOptions.defaults().withRtol(1e-12).withAtol(1e-14))) {
            Solution sol = s.solve(new double[] {x0}, new double[] {th, a, b}, new double[] {3});
            assertEquals(2, sol.events().size());
            double tSwitch = (th - x0) / b;
            assertEquals("switch 0", sol.events().get(0).name());
            assertEquals(tSwitch, sol.events().get(0).time(), 1e-10);
            assertEquals("above th2", sol.events().get(1).name());
            assertEquals(tSwitch + (th2 - th) / a, sol.events().get(1).time(), 1e-10);
            assertEquals(th + a * (3 - tSwitch), sol.state(0)[0], 1e-10);
        }
    }
}
