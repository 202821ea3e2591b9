package org.sundials4j.problems;

import static org.sundials4j.tape.FiniteDifferences.assertAllClose;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.tape.FiniteDifferences;
import org.sundials4j.tape.TapeOdeModel;

/**
 * The tape-defined ROBER and POLLU against the hand-written {@code double[]} models: the hand-written
 * Jacobians are first checked against central differences of the hand-written right-hand sides (so
 * they are independent references), then the tape's rhs and Jacobian against them.
 */
class HandWrittenModelsTest {

    private static double[] denseRowMajor(OdeModel model, double[] y, double[] p) {
        int n = model.stateCount();
        double[] j = new double[n * n];
        model.jacobian(0, y, p, (row, col, value) -> j[row * n + col] = value);
        return j;
    }

    private static void compare(OdeModel hand, TapeOdeModel tape, double[] y, double[] p, String what) {
        int n = hand.stateCount();
        double[] fHand = new double[n], fTape = new double[n];
        hand.rhs(0, y, p, fHand);
        tape.rhs(0, y, p, fTape);
        assertAllClose(fHand, fTape, 1e-14, 1e-300, what + " rhs");
        double[] jHand = denseRowMajor(hand, y, p);
        double[] fd = FiniteDifferences.jacobian((yy, out) -> hand.rhs(0, yy, p, out), y, n);
        assertAllClose(fd, jHand, 1e-6, 1e-9, what + " hand-written Jacobian vs FD");
        assertAllClose(jHand, denseRowMajor(tape, y, p), 1e-14, 1e-300, what + " tape Jacobian vs hand-written");
    }

    @Test
    void roberTapeMatchesHandWritten() {
        Random rnd = new Random(1);
        TapeOdeModel tape = Rober.problem().tapeModel();
        OdeModel hand = new RoberModel();
        compare(hand, tape, Rober.Y0, Rober.PARAMETERS, "rober at y0");
        for (int trial = 0; trial < 20; trial++) {
            double[] y = {rnd.nextDouble(), 1e-5 * rnd.nextDouble(), rnd.nextDouble()};
            compare(hand, tape, y, Rober.PARAMETERS, "rober at random y");
        }
    }

    @Test
    void polluTapeMatchesHandWritten() {
        Random rnd = new Random(2);
        TapeOdeModel tape = Pollu.problem().tapeModel();
        OdeModel hand = new PolluModel();
        for (int trial = 0; trial < 20; trial++) {
            double[] y = new double[Pollu.STATES];
            for (int i = 0; i < y.length; i++) y[i] = 0.3 * rnd.nextDouble();
            compare(hand, tape, y, Pollu.PARAMETERS, "pollu at random y");
        }
    }

    @Test
    void polluPatternHasEveryReactionCoupling() {
        TapeOdeModel tape = Pollu.problem().tapeModel();
        double[] y = new double[Pollu.STATES];
        java.util.Arrays.fill(y, 0.1);
        double[] jHand = denseRowMajor(new PolluModel(), y, Pollu.PARAMETERS);
        int n = Pollu.STATES;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                org.junit.jupiter.api.Assertions.assertEquals(jHand[i * n + j] != 0, tape.sparsity().contains(i, j),
                        "pollu pattern at (" + i + ", " + j + ")");
    }
}
