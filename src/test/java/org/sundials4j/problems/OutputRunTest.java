package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.SolverException;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.ode.Solution;

/**
 * A solve without events or listener runs every output time in one native run
 * ({@code s4j_run_outputs}); with a listener it still calls CVode once per output from Java. The two
 * drivers must answer alike: the same states bit for bit at all 200 outputs of lotka-volterra, the
 * same failure (flag, function, time reached) when CVODES gives up between outputs, and y0 itself at
 * an output at t0.
 */
class OutputRunTest {
    private static final Problem LV = LotkaVolterra.problem();

    private static SolverOptions options() {
        return Objectives.lotkaVolterra().options().withRtol(LV.relativeTolerance()).withAtol(LV.absoluteTolerances());
    }

    /** Solves on a fresh solver, output by output from Java when {@code stepwise}. */
    private static Solution solve(SolverOptions o, double[] times, boolean stepwise) {
        try (CvodesSolver s = new CvodesSolver(LV.model(), o)) {
            if (stepwise) s.setListener((t, steps) -> { });
            return s.solve(0, LV.initialState(), LV.parameters(), times);
        }
    }

    @Test
    void oneNativeRunAnswersWhatOutputByOutputAnswers() {
        double[] times = LV.outputTimes(); // 0, 0.1, ..., 19.9: the first is t0
        Solution all = solve(options(), times, false), each = solve(options(), times, true);
        assertEquals(times.length, all.size());
        assertArrayEquals(LV.initialState(), all.state(0), 0.0, "the output at t0 is y0");
        for (int k = 0; k < times.length; k++) assertArrayEquals(each.state(k), all.state(k), 0.0, "output " + k);
        assertEquals(each.statistics().steps(), all.statistics().steps());
        assertEquals(each.statistics().rhsEvals(), all.statistics().rhsEvals());
    }

    @Test
    void aFailureBetweenOutputsReadsTheSame() {
        // 30 steps per output interval are enough early on, not for the long last interval
        double[] times = {0.5, 1.0, 1.5, 19.9};
        SolverOptions o = options().withMaxSteps(30);
        SolverException all = assertThrows(SolverException.class, () -> solve(o, times, false));
        SolverException each = assertThrows(SolverException.class, () -> solve(o, times, true));
        assertEquals("CV_TOO_MUCH_WORK", all.flagName(), all.getMessage());
        assertEquals(each.getMessage(), all.getMessage());
        assertEquals(each.time(), all.time(), 0.0);
        assertTrue(1.5 < all.time() && all.time() < 19.9, "reached " + all.time());
    }
}
