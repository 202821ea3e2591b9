package org.sundials4j.tape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The documented derivative conventions at kinks and domain edges (see {@link Ops}): each is the
 * central difference there, and forward, reverse and nested derivatives agree on it.
 */
class ConventionsTest {

    /** ∂/∂a and ∂/∂b by reverse sweep, forward (Jacobian) and the nested gradient, asserted equal. */
    private static double[] partials(BinaryOperator<Var> op, double a, double b) {
        double[] at = {a, b};
        TapeFunction f = TapeFunction.record(2, (tape, x) -> new Var[]{op.apply(x.get(0), x.get(1))}, at);
        double[] reverse = new double[2], forward = new double[2], nested = new double[2];
        f.vjp(at, new double[]{1}, reverse, null);
        f.jacobian(at, forward);
        f.gradientFunction(at).value(at, nested);
        for (int i = 0; i < 2; i++) {
            assertEquals(reverse[i], forward[i], 0, "forward vs reverse");
            assertEquals(reverse[i], nested[i], 0, "nested vs reverse");
        }
        return reverse;
    }

    private static double centralDifference(BinaryOperator<Var> op, double a, double b, int wrt) {
        TapeFunction f = TapeFunction.record(2, (tape, x) -> new Var[]{op.apply(x.get(0), x.get(1))}, new double[]{a, b});
        double h = 1e-7;
        double[] plus = {a, b}, minus = {a, b}, out = new double[1];
        plus[wrt] += h;
        minus[wrt] -= h;
        f.value(plus, out);
        double fp = out[0];
        f.value(minus, out);
        return (fp - out[0]) / (2 * h);
    }

    @Test
    void minAndMaxSplitATieEqually() {
        for (BinaryOperator<Var> op : java.util.List.<BinaryOperator<Var>>of(Var::min, Var::max)) {
            double[] d = partials(op, 1.5, 1.5);
            assertEquals(0.5, d[0], 0);
            assertEquals(0.5, d[1], 0);
            assertEquals(0.5, centralDifference(op, 1.5, 1.5, 0), 1e-9);
        }
    }

    @Test
    void absAtZeroHasDerivativeZero() {
        double[] d = partials((a, b) -> a.abs().plus(b), 0, 0);
        assertEquals(0.0, d[0], 0);
        assertEquals(0.0, centralDifference((a, b) -> a.abs(), 0, 0, 0), 0);
    }

    @Test
    void hypotAndAtan2AtTheOriginHaveDerivativeZero() {
        assertEquals(0.0, partials(Var::hypot, 0, 0)[0], 0);
        assertEquals(0.0, partials(Var::hypot, 0, 0)[1], 0);
        assertEquals(0.0, partials(Var::atan2, 0, 0)[0], 0);
        assertEquals(0.0, partials(Var::atan2, 0, 0)[1], 0);
    }

    @Test
    void powWithNegativeBaseAndIntegerExponent() {
        double[] d = partials(Var::pow, -2, 3);
        assertEquals(3 * 4.0, d[0], 1e-12);  // b a^(b-1)
        assertTrue(Double.isNaN(d[1]), "no real derivative in the exponent for a negative base");
        assertEquals(12.0, centralDifference(Var::pow, -2, 3, 0), 1e-6);
        double[] c = partials((a, b) -> a.pow(3), -2, 0);
        assertEquals(12.0, c[0], 1e-12);
    }

    @Test
    void powAtZeroBaseHasZeroExponentDerivative() {
        double[] d = partials(Var::pow, 0, 2.5);
        assertEquals(0.0, d[0], 0);
        assertEquals(0.0, d[1], 0);
    }

    @Test
    void logNearZeroKeepsItsHugeButFiniteDerivative() {
        double[] d = partials((a, b) -> a.log(), 1e-300, 0);
        assertEquals(1e300, d[0], 1e285);
    }

    @Test
    void infiniteLocalPartialsDoNotPoisonOtherColumns() {
        // sqrt at 0 has an infinite derivative, but the column of b never sees it
        TapeOdeModel m = TapeOdeModel.record(2, 0, (tape, t, y, p) -> new Var[]{y.get(0).sqrt().plus(y.get(1)), y.get(1)},
                0, new double[]{0, 1}, null);
        double[] dense = new double[4];
        m.jacobianDense(0, new double[]{0, 1}, null, dense);
        assertEquals(Double.POSITIVE_INFINITY, dense[0], 0);
        assertEquals(1.0, dense[2], 0);
    }
}
