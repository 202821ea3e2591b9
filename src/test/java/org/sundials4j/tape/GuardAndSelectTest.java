package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Data-dependent branches: a guarded {@code if} re-records exactly when its outcome flips and is then
 * right on both sides; {@code select} replays both sides without re-recording.
 * The model is {@code y' = y > 1 ? y² : -3y}, with closed-form derivative {@code 2y} or {@code -3}.
 */
class GuardAndSelectTest {

    private static double jacobian1(TapeOdeModel m, double y) {
        double[] j = new double[1];
        m.jacobianDense(0, new double[]{y}, null, j);
        return j[0];
    }

    private static double rhs1(TapeOdeModel m, double y) {
        double[] f = new double[1];
        m.rhs(0, new double[]{y}, null, f);
        return f[0];
    }

    /** {@code y' = y > 1 ? y² : -3y}, guarded or with select; counts the recordings. */
    private static TapeOdeModel piecewise(boolean guarded, AtomicInteger recordings) {
        return TapeOdeModel.record(1, 0, (tape, t, y, p) -> {
            recordings.incrementAndGet();
            Var x = y.get(0);
            Var above = x.square(), below = x.times(-3);
            return new Var[]{guarded ? (x.gt(1) ? above : below) : x.isGreaterThan(1).select(above, below)};
        }, 0, new double[]{2}, null);
    }

    @Test
    void guardReRecordsOnAFlipAndDifferentiatesBothSides() {
        AtomicInteger recordings = new AtomicInteger();
        TapeOdeModel m = piecewise(true, recordings);
        assertEquals(1, recordings.get());
        assertEquals(9.0, rhs1(m, 3), 0);
        assertEquals(6.0, jacobian1(m, 3), 0);
        assertEquals(0, m.rerecordCount());
        assertEquals(-1.5, rhs1(m, 0.5), 0);
        assertEquals(1, m.rerecordCount());
        assertEquals(-3.0, jacobian1(m, 0.5), 0);
        assertEquals(-3.0, jacobian1(m, -7), 0);
        assertEquals(1, m.rerecordCount(), "same side: no re-recording");
        double[] outY = new double[1], ydot = new double[1];
        m.vjp(0, new double[]{1.5}, null, new double[]{2}, outY, null, ydot);
        assertEquals(2, m.rerecordCount());
        assertEquals(2 * 2 * 1.5, outY[0], 0);
        assertEquals(2.25, ydot[0], 0);
        double[] jv = new double[1];
        m.jvp(0, new double[]{0.25}, null, new double[]{1}, null, jv);
        assertEquals(-3.0, jv[0], 0);
        assertEquals(3, m.rerecordCount());
        assertEquals(4, recordings.get());
    }

    @Test
    void copiesReRecordIndependently() {
        TapeOdeModel m = piecewise(true, new AtomicInteger());
        TapeOdeModel copy = m.forSolver();
        assertEquals(-3.0, jacobian1(copy, 0), 0);
        assertEquals(1, copy.rerecordCount());
        assertEquals(0, m.rerecordCount());
        assertEquals(4.0, jacobian1(m, 2), 0);
    }

    @Test
    void selectReplaysBothSidesWithoutReRecording() {
        AtomicInteger recordings = new AtomicInteger();
        TapeOdeModel m = piecewise(false, recordings);
        for (double y : new double[]{3, 0.5, -7, 1.5, 1.0, 0.25}) {
            boolean above = y > 1;
            assertEquals(above ? y * y : -3 * y, rhs1(m, y), 0, "value at " + y);
            assertEquals(above ? 2 * y : -3, jacobian1(m, y), 0, "derivative at " + y);
        }
        assertEquals(0, m.rerecordCount());
        assertEquals(1, recordings.get());
    }

    @Test
    void theUnselectedBranchDoesNotLeakNaN() {
        // sqrt(x) is NaN for x < 0 and its derivative infinite at 0; the select must hide both
        TapeOdeModel m = TapeOdeModel.record(1, 0, (tape, t, y, p) -> {
            Var x = y.get(0);
            return new Var[]{x.isGreaterThan(0).select(x.sqrt(), x.times(2))};
        }, 0, new double[]{1}, null);
        for (double y : new double[]{-1, 0}) {
            assertEquals(2 * y, rhs1(m, y), 0);
            assertEquals(2.0, jacobian1(m, y), 0);
            double[] outY = new double[1];
            m.vjp(0, new double[]{y}, null, new double[]{1}, outY, null, null);
            assertEquals(2.0, outY[0], 0);
        }
    }

    @Test
    void aBranchThatGrowsThePatternIsRefusedForCompressedStorageOnly() {
        TapeOdeModel m = TapeOdeModel.record(2, 0, (tape, t, y, p) -> {
            Var a = y.get(0), b = y.get(1);
            return new Var[]{a.gt(0) ? a.times(2) : b.times(5), b};
        }, 0, new double[]{1, 1}, null);
        assertEquals(2, m.sparsity().nonZeros());
        double[] dense = new double[4];
        m.jacobianDense(0, new double[]{-1, 1}, null, dense);
        assertEquals(5.0, dense[2], 0); // row 0, column 1 (column-major)
        assertEquals(0.0, dense[0], 0);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.jacobianCsc(0, new double[]{-1, 1}, null, new double[2]));
        assertTrue(e.getMessage().contains("select"), e.getMessage());
    }
}
