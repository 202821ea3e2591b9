package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/**
 * The adjoint's memory on a long dosing schedule: CVODES' checkpoints cover one segment between
 * doses at a time, so 1,000 doses hold no more checkpoint memory than 10; only the boundary
 * data (five vectors per dose: states and right-hand sides on both sides, the segment start) grows. The gradient itself is checked against the closed
 * form of the one-compartment model, {@code x(T) = Σ_j D e^{-k(T - t_j)}}.
 */
class LongScheduleTest {
    static final double K = 0.3, D = 2.0;

    static Gradient adjoint(int doses) {
        double[] times = new double[doses];
        for (int j = 0; j < doses; j++) times[j] = j;
        TapeOdeModel decay = TapeOdeModel.record(1, 2, (tape, t, y, p) -> new Var[] {p.get(0).times(y.get(0)).neg()}, 0,
                new double[] {0}, new double[] {K, D});
        Event dose = TapeEvents.at("dose", times, 1, 2, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(1))});
        OutputLoss last = (t, y, p, dS, dP) -> {
            dS[t.length - 1][0] = 1;
            return y[t.length - 1][0];
        };
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT).withCheckpointSteps(20)
                .withBackwardTolerances(1e-10, 1e-12).withQuadratureTolerances(1e-10, 1e-12);
        try (GradientSolver gs = new GradientSolver(EventModel.of(decay, dose), last, null,
                SolverOptions.defaults().withRtol(1e-10).withAtol(1e-12), so)) {
            return gs.gradient(0, new double[] {0}, new double[] {K, D}, new double[] {doses});
        }
    }

    @Test
    void checkpointMemoryDoesNotGrowWithTheNumberOfDoses() {
        Gradient few = adjoint(10), many = adjoint(1000);
        // x(T) = D Σ_{m=1..N} e^{-k m}; dx/dk = -D Σ m e^{-k m}; dx/dD = Σ e^{-k m}
        double x = 0, dk = 0, dd = 0;
        for (int m = 1; m <= 1000; m++) {
            x += D * Math.exp(-K * m);
            dk -= D * m * Math.exp(-K * m);
            dd += Math.exp(-K * m);
        }
        assertEquals(x, many.loss(), 1e-8 * x);
        assertEquals(dk, many.params()[0], 1e-7 * Math.abs(dk));
        assertEquals(dd, many.params()[1], 1e-7 * dd);
        assertEquals(1000, many.solution().events().size());
        assertTrue(many.checkpoints() > 50 * few.checkpoints() / 2, "checkpoints are taken over all segments: "
                + many.checkpoints() + " vs " + few.checkpoints());
        long perDose = 5L * 1 * Double.BYTES; // y⁻, y⁺, f⁻, f⁺ and the segment start, n = 1
        long growth = many.checkpointBytes() - few.checkpointBytes();
        assertTrue(growth <= 990 * perDose, "memory grew by " + growth + " bytes for 990 more doses (bound: boundary states only, "
                + 990 * perDose + ")");
        System.out.printf("1,000 doses: adjoint memory %d bytes (10 doses: %d), %d checkpoints taken in total%n",
                many.checkpointBytes(), few.checkpointBytes(), many.checkpoints());
    }
}
