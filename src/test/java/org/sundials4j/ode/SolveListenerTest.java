package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Progress reports of a solve: one at every output time with CVODES' own step count, failures typed. */
class SolveListenerTest {
    static final double[] TIMES = {0.4, 4, 40, 400, 4e3, 4e4, 4e5, 4e6, 4e7, 4e8, 4e9, 4e10};

    @Test
    void reportsEveryOutputTimeWithTheStepCount() {
        List<double[]> reports = new ArrayList<>();
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
            s.setListener((t, steps) -> reports.add(new double[] {t, steps}));
            Solution sol = s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            List<Double> atOutputs = new ArrayList<>();
            for (double[] r : reports) for (double t : TIMES) if (r[0] == t) atOutputs.add(t);
            assertEquals(TIMES.length, atOutputs.size(), "one report at each output time");
            double[] last = reports.get(reports.size() - 1);
            assertEquals(4e10, last[0]);
            assertEquals(sol.statistics().steps(), (long) last[1], "the step count is CVODES' own");
            for (int k = 1; k < reports.size(); k++) assertTrue(reports.get(k)[1] >= reports.get(k - 1)[1], "steps never decrease");
            int before = reports.size();
            s.setListener(null);
            s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            assertEquals(before, reports.size(), "no reports after the listener is removed");
        }
    }

    @Test
    void aThrowingListenerFailsTheSolveWithItsCause() {
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
            IllegalStateException boom = new IllegalStateException("stop here");
            // the first report inside an interval comes from the RHS callback (after 64 evaluations)
            s.setListener((t, steps) -> {
                throw boom;
            });
            RuntimeException e = assertThrows(RuntimeException.class, () -> s.solve(RoberFixture.Y0, RoberFixture.P, TIMES));
            Throwable c = e;
            while (c != null && c != boom) c = c.getCause();
            assertSame(boom, c, "the listener's exception is the cause: " + e);
            s.setListener(null);
            assertEquals(TIMES.length, s.solve(RoberFixture.Y0, RoberFixture.P, TIMES).size(), "the solver stays usable");
        }
    }
}
