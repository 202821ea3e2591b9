package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** ROBER against SUNDIALS' own cvsRoberts_dns.out, to the digits it prints and the same counters. */
class RoberReferenceTest {

    @Test
    void reproducesCvsRobertsDnsOutput() {
        List<String> ref = SundialsExamples.lines("cvsRoberts_dns.out");
        // "At t = 4.0000e-01      y =  9.851641e-01    3.386242e-05    1.480205e-02" (root lines excluded below)
        List<String[]> rows = SundialsExamples.matches(ref, "At t = (\\S+)\\s+y =\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)");
        double[] times = new double[12];
        for (int k = 0; k < 12; k++) times[k] = 0.4 * Math.pow(10, k);
        try (CvodesSolver s = new CvodesSolver(new RoberFixture(), RoberFixture.referenceOptions())) {
            Solution sol = s.solve(RoberFixture.Y0, RoberFixture.P, times);
            int k = 0;
            for (String[] row : rows) {
                double t = Double.parseDouble(row[0]);
                if (k >= times.length || Math.abs(t - times[k]) > 1e-6 * times[k]) continue; // a root return
                double[] yk = sol.state(k);
                assertEquals(row[0], String.format("%10.4e", sol.time(k)).trim(), "time " + k);
                for (int i = 0; i < 3; i++)
                    assertEquals(row[i + 1], String.format("%14.6e", yk[i]).trim(), "y" + (i + 1) + " at t = " + row[0]);
                k++;
            }
            assertEquals(12, k, "all 12 output times found in the reference");
            SolverStatistics st = sol.statistics();
            assertEquals(Long.parseLong(SundialsExamples.stat(ref, "Steps")), st.steps(), "steps");
            assertEquals(Long.parseLong(SundialsExamples.stat(ref, "RHS fn evals")), st.rhsEvals(), "RHS evals");
            assertEquals(Long.parseLong(SundialsExamples.stat(ref, "Jac fn evals")), st.jacobianEvals(), "Jacobian evals");
            assertEquals(Long.parseLong(SundialsExamples.stat(ref, "Error test fails")), st.errorTestFailures(), "error test fails");
            assertEquals(Integer.parseInt(SundialsExamples.stat(ref, "Last method order")), st.lastOrder(), "last order");
        }
    }
}
