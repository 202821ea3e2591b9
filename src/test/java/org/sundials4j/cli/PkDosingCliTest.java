package org.sundials4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code solve pk-dosing [--sens …] --json}: the usual keys plus {@code events}, in the order the events fired. */
class PkDosingCliTest {
    static final List<String> NAMES = List.of("dose", "rescue", "dose", "dose", "rescue", "dose");
    static final double[] TIMES = {0, 9.95, 12, 24, 35.77, 36};

    static void checkEvents(Map<String, Object> m) {
        List<Object> events = MainTest.list(m.get("events"));
        List<String> names = new ArrayList<>();
        for (int j = 0; j < events.size(); j++) {
            Map<String, Object> e = MainTest.map(events.get(j));
            assertEquals(List.of("time", "event"), List.copyOf(e.keySet()));
            names.add((String) e.get("event"));
            assertEquals(TIMES[j], MainTest.number(e, "time"), 0.01, "time of event " + j);
        }
        assertEquals(NAMES, names);
    }

    @Test
    void plainSolveListsTheEvents() {
        MainTest.Run r = MainTest.run("solve", "pk-dosing", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = r.json();
        assertEquals(List.of("problem", "times", "states", "stats", "method", "linearSolver", "rtol", "atol", "wallMillis", "events"),
                List.copyOf(m.keySet()));
        checkEvents(m);
    }

    @Test
    void forwardAndAdjointGradientsAgreeAndListTheEvents() {
        double[][] grads = new double[2][];
        String[] methods = {"forward", "adjoint"};
        for (int i = 0; i < 2; i++) {
            MainTest.Run r = MainTest.run("solve", "pk-dosing", "--sens", methods[i], "--json");
            assertEquals(0, r.code(), r.err());
            Map<String, Object> m = r.json();
            List<String> keys = new ArrayList<>(MainTest.GRADIENT_KEYS);
            keys.add("events");
            assertEquals(keys, List.copyOf(m.keySet()));
            checkEvents(m);
            Map<String, Object> g = MainTest.map(m.get("gradient"));
            double[] p = MainTest.numbers(g.get("params")), y0 = MainTest.numbers(g.get("y0"));
            assertEquals(4, p.length);
            assertEquals(2, y0.length);
            grads[i] = new double[] {p[0], p[1], p[2], p[3], y0[0], y0[1]};
        }
        for (int j = 0; j < 6; j++) assertEquals(grads[0][j], grads[1][j], 1e-5 * Math.abs(grads[0][j]), "θ" + j);
    }
}
