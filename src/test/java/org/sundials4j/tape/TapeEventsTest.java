package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sundials4j.ode.EventAction;
import org.sundials4j.ode.EventFunction;

/**
 * Tape-written event functions outside a solve: values and derivatives against closed forms, every
 * term of the gradient layout {@code [g_t, g_y, g_p]} nonzero, and the argument errors.
 */
class TapeEventsTest {
    /** g = t·y0² - p0·sin(y1) + p1. */
    static final TriggerDefinition G = (tape, t, y, p) -> t.times(y.get(0).square()).minus(p.get(0).times(y.get(1).sin())).plus(p.get(1));

    @Test
    void triggerValueAndGradientMatchTheClosedForm() {
        double t = 1.5, y0 = 0.7, y1 = -0.4, p0 = 2.5, p1 = 0.3;
        double[] y = {y0, y1}, p = {p0, p1}, grad = new double[5];
        EventFunction g = TapeEvents.trigger(2, 2, G);
        double expected = t * y0 * y0 - p0 * Math.sin(y1) + p1;
        assertEquals(expected, g.value(t, y, p), 1e-15);
        assertEquals(expected, g.gradient(t, y, p, grad), 1e-15);
        assertArrayEquals(new double[] {y0 * y0, 2 * t * y0, -p0 * Math.cos(y1), -Math.sin(y1), 1}, grad, 1e-15);
        // a second point: the recording is replayed, not frozen at the first inputs
        EventFunction copy = g.forSolver();
        assertEquals(2 * 4 - p0 * Math.sin(1) + p1, copy.value(2, new double[] {2, 1}, p), 1e-14);
        assertEquals(G, TapeEvents.definitionOf(copy), "a solver's copy keeps its definition for second-order use");
    }

    @Test
    void aTriggerWithoutParametersTakesNullParameters() {
        EventFunction g = TapeEvents.trigger(1, 0, (tape, t, y, p) -> y.get(0).minus(t));
        double[] grad = new double[2];
        assertEquals(1.5, g.gradient(0.5, new double[] {2}, null, grad), 0);
        assertArrayEquals(new double[] {-1, 1}, grad, 0);
    }

    @Test
    void updateValueJvpAndVjpMatchTheClosedForm() {
        // h = [y0 + p0·t, y0·y1]
        EventAction h = TapeEvents.update(2, 1, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(0).times(t)), y.get(0).times(y.get(1))});
        double t = 2, y0 = 3, y1 = 5, p0 = 7;
        double[] out = new double[2];
        h.apply(t, new double[] {y0, y1}, new double[] {p0}, out);
        assertArrayEquals(new double[] {y0 + p0 * t, y0 * y1}, out, 0);
        // jvp with dt = 0.5, v = [1, 2], w = [3]
        h.jvp(t, new double[] {y0, y1}, new double[] {p0}, 0.5, new double[] {1, 2}, new double[] {3}, out);
        assertArrayEquals(new double[] {1 + 3 * t + p0 * 0.5, y1 * 1 + y0 * 2}, out, 1e-15);
        double[] grad = new double[4];
        h.vjp(t, new double[] {y0, y1}, new double[] {p0}, new double[] {1, 10}, grad);
        assertArrayEquals(new double[] {p0, 1 + 10 * y1, 10 * y0, t}, grad, 1e-15);
    }

    @Test
    void badArgumentsAndDefinitionsAreNamed() {
        EventFunction g = TapeEvents.trigger(2, 2, G);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> g.value(0, new double[3], new double[2]));
        assertTrue(e.getMessage().contains("y.length = 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.value(0, new double[2], new double[1]));
        assertTrue(e.getMessage().contains("p.length = 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> g.gradient(0, new double[2], new double[2], new double[4]));
        assertTrue(e.getMessage().contains("grad.length = 4"), e.getMessage());
        EventFunction nothing = TapeEvents.trigger(1, 0, (tape, t, y, p) -> null);
        e = assertThrows(IllegalArgumentException.class, () -> nothing.value(0, new double[1], new double[0]));
        assertTrue(e.getMessage().contains("trigger definition returned null"), e.getMessage());
        EventAction shortUpdate = TapeEvents.update(2, 0, (tape, t, y, p) -> new Var[] {y.get(0)});
        e = assertThrows(IllegalArgumentException.class, () -> shortUpdate.apply(0, new double[2], new double[0], new double[2]));
        assertTrue(e.getMessage().contains("returned 1 values, expected one per state (2)"), e.getMessage());
    }
}
