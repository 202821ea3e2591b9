package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;

/**
 * Tape-defined models solved through CVODES give the results of their hand-written twins (and,
 * for POLLU, the published reference values of the test set).
 */
class TapeSolveTest {

    static Solution solve(OdeModel model, Problem p, SolverOptions o) {
        try (CvodesSolver s = new CvodesSolver(model, o)) {
            return s.solve(p.initialState(), p.parameters(), p.outputTimes());
        }
    }

    static void assertSameTrajectory(Solution a, Solution b, double rel, double abs) {
        for (int k = 0; k < a.size(); k++)
            for (int i = 0; i < a.state(k).length; i++)
                assertEquals(b.state(k)[i], a.state(k)[i], rel * Math.abs(b.state(k)[i]) + abs,
                        "y" + (i + 1) + " at t = " + a.time(k));
    }

    @Test
    void roberOnTheTapeMatchesTheHandWrittenModel() {
        Problem p = Rober.problem();
        // tight tolerances: the two models round differently, so only the tolerance-level agreement is meaningful
        SolverOptions o = SolverOptions.defaults().withRtol(1e-10).withAtol(new double[] {1e-14, 1e-20, 1e-12})
                .withMaxSteps(1_000_000).withLinearSolver(LinearSolver.auto());
        assertSameTrajectory(solve(p.tapeModel(), p, o), solve(new RoberModel(), p, o), 1e-7, 1e-16);
    }

    @Test
    void polluOnTheTapeMatchesTheHandWrittenModelAndTheTestSet() {
        Problem p = Pollu.problem();
        SolverOptions o = SolverOptions.defaults().withRtol(1e-10).withAtol(1e-14).withMaxSteps(1_000_000)
                .withLinearSolver(LinearSolver.auto());
        Solution tape = solve(p.tapeModel(), p, o);
        assertSameTrajectory(tape, solve(new PolluModel(), p, o), 1e-7, 1e-14);
        double[] y60 = tape.state(tape.size() - 1);
        assertEquals(60, tape.time(tape.size() - 1));
        assertEquals(Pollu.Y1_AT_60, y60[0], 1e-7 * Pollu.Y1_AT_60, "y1(60) against the test set");
        assertEquals(Pollu.Y8_AT_60, y60[7], 1e-7 * Pollu.Y8_AT_60, "y8(60) against the test set");
    }
}
