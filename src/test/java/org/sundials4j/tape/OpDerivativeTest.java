package org.sundials4j.tape;

import static org.sundials4j.tape.FiniteDifferences.assertClose;

import java.util.List;
import java.util.function.BinaryOperator;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;

/**
 * Every operation's first derivative, by forward sweep, reverse sweep and nested (recorded) gradient,
 * against its closed form and a central difference of the tape's value, at random points of its
 * domain; the nested gradient's own derivative (second derivative) against a central difference of
 * the closed-form first derivative.
 */
class OpDerivativeTest {

    record Unary(String name, UnaryOperator<Var> op, DoubleUnaryOperator f, DoubleUnaryOperator df, double lo, double hi) {
        @Override public String toString() { return name; }
    }

    record Binary(String name, BinaryOperator<Var> op, DoubleBinaryOperator f, DoubleBinaryOperator da,
                  DoubleBinaryOperator db, double lo, double hi, double blo, double bhi) {
        @Override public String toString() { return name; }
    }

    /** The documented convention at a tie of min/max: each operand gets 1/2. */
    private static double tie(boolean wins, boolean loses) {
        return wins ? 1 : loses ? 0 : 0.5;
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static final List<Unary> UNARY = List.of(
            new Unary("neg", Var::neg, x -> -x, x -> -1, -10, 10),
            new Unary("exp", Var::exp, Math::exp, Math::exp, -5, 5),
            new Unary("log", Var::log, Math::log, x -> 1 / x, 0.01, 10),
            new Unary("log near 0", Var::log, Math::log, x -> 1 / x, 1e-9, 1e-4),
            new Unary("log1p", Var::log1p, Math::log1p, x -> 1 / (1 + x), -0.9, 10),
            new Unary("expm1", Var::expm1, Math::expm1, Math::exp, -5, 5),
            new Unary("sqrt", Var::sqrt, Math::sqrt, x -> 0.5 / Math.sqrt(x), 1e-6, 10),
            new Unary("sin", Var::sin, Math::sin, Math::cos, -10, 10),
            new Unary("cos", Var::cos, Math::cos, x -> -Math.sin(x), -10, 10),
            new Unary("tan", Var::tan, Math::tan, x -> 1 / (Math.cos(x) * Math.cos(x)), -1.4, 1.4),
            new Unary("tanh", Var::tanh, Math::tanh, x -> 1 / (Math.cosh(x) * Math.cosh(x)), -5, 5),
            new Unary("sinh", Var::sinh, Math::sinh, Math::cosh, -5, 5),
            new Unary("cosh", Var::cosh, Math::cosh, Math::sinh, -5, 5),
            new Unary("asin", Var::asin, Math::asin, x -> 1 / Math.sqrt(1 - x * x), -0.99, 0.99),
            new Unary("acos", Var::acos, Math::acos, x -> -1 / Math.sqrt(1 - x * x), -0.99, 0.99),
            new Unary("atan", Var::atan, Math::atan, x -> 1 / (1 + x * x), -10, 10),
            new Unary("abs", Var::abs, Math::abs, Math::signum, -10, 10),
            new Unary("signum", Var::signum, Math::signum, x -> 0, -10, 9),
            new Unary("sigmoid", Var::sigmoid, OpDerivativeTest::sig, x -> sig(x) * (1 - sig(x)), -20, 20),
            new Unary("softplus", Var::softplus, x -> Math.log1p(Math.exp(x)), OpDerivativeTest::sig, -20, 20),
            new Unary("square", Var::square, x -> x * x, x -> 2 * x, -10, 10),
            new Unary("pow 2.5", x -> x.pow(2.5), x -> Math.pow(x, 2.5), x -> 2.5 * Math.pow(x, 1.5), 0.01, 5),
            new Unary("pow -1.5", x -> x.pow(-1.5), x -> Math.pow(x, -1.5), x -> -1.5 * Math.pow(x, -2.5), 0.1, 5),
            new Unary("pow 3 negative base", x -> x.pow(3), x -> x * x * x, x -> 3 * x * x, -5, -0.01),
            new Unary("pow -2 negative base", x -> x.pow(-2), x -> 1 / (x * x), x -> -2 / (x * x * x), -5, -0.1),
            new Unary("rpow 2", x -> x.rpow(2), x -> Math.pow(2, x), x -> Math.pow(2, x) * Math.log(2), -5, 5),
            new Unary("plus 3", x -> x.plus(3), x -> x + 3, x -> 1, -10, 10),
            new Unary("minus 3", x -> x.minus(3), x -> x - 3, x -> 1, -10, 10),
            new Unary("rminus 3", x -> x.rminus(3), x -> 3 - x, x -> -1, -10, 10),
            new Unary("times 3", x -> x.times(3), x -> 3 * x, x -> 3, -10, 10),
            new Unary("div 3", x -> x.div(3), x -> x / 3, x -> 1.0 / 3, -10, 10),
            new Unary("rdiv 3", x -> x.rdiv(3), x -> 3 / x, x -> -3 / (x * x), 0.1, 5),
            new Unary("min 1", x -> x.min(1), x -> Math.min(x, 1), x -> x < 1 ? 1 : 0, -3, 3),
            new Unary("max 1", x -> x.max(1), x -> Math.max(x, 1), x -> x > 1 ? 1 : 0, -3, 3),
            new Unary("hypot 2", x -> x.hypot(2), x -> Math.hypot(x, 2), x -> x / Math.hypot(x, 2), -10, 10),
            new Unary("atan2 y/2", x -> x.atan2(2), x -> Math.atan2(x, 2), x -> 2 / (x * x + 4), -10, 10));

    static final List<Binary> BINARY = List.of(
            new Binary("plus", Var::plus, Double::sum, (a, b) -> 1, (a, b) -> 1, -10, 10, -10, 10),
            new Binary("minus", Var::minus, (a, b) -> a - b, (a, b) -> 1, (a, b) -> -1, -10, 10, -10, 10),
            new Binary("times", Var::times, (a, b) -> a * b, (a, b) -> b, (a, b) -> a, -10, 10, -10, 10),
            new Binary("div", Var::div, (a, b) -> a / b, (a, b) -> 1 / b, (a, b) -> -a / (b * b), -10, 10, 0.2, 10),
            new Binary("pow", Var::pow, Math::pow, (a, b) -> b * Math.pow(a, b - 1), (a, b) -> Math.pow(a, b) * Math.log(a),
                    0.05, 4, -3, 3),
            new Binary("atan2", Var::atan2, Math::atan2, (a, b) -> b / (a * a + b * b), (a, b) -> -a / (a * a + b * b),
                    0.1, 10, -10, 10),
            new Binary("min", Var::min, Math::min, (a, b) -> tie(a < b, a > b), (a, b) -> tie(b < a, b > a), -10, 10, -10, 10),
            new Binary("max", Var::max, Math::max, (a, b) -> tie(a > b, a < b), (a, b) -> tie(b > a, b < a), -10, 10, -10, 10),
            new Binary("hypot", Var::hypot, Math::hypot, (a, b) -> a / Math.hypot(a, b), (a, b) -> b / Math.hypot(a, b),
                    -10, 10, -10, 10));

    @Provide
    Arbitrary<Unary> unaryCases() {
        return Arbitraries.of(UNARY);
    }

    @Provide
    Arbitrary<Binary> binaryCases() {
        return Arbitraries.of(BINARY);
    }

    @Property(tries = 3000)
    void unaryFirstAndSecondDerivatives(@ForAll("unaryCases") Unary c, @ForAll @DoubleRange(min = 0, max = 1) double u) {
        double x = c.lo + u * (c.hi - c.lo);
        TapeFunction f = TapeFunction.record(1, (tape, in) -> new Var[]{c.op.apply(in.get(0))}, new double[]{x});
        double[] at = {x}, out = new double[1], grad = new double[1];
        f.value(at, out);
        assertClose(c.f.applyAsDouble(x), out[0], 1e-14, 1e-300, c + " value at " + x);
        double expected = c.df.applyAsDouble(x);
        f.jvp(at, new double[]{1}, out);
        assertClose(expected, out[0], 1e-12, 1e-300, c + " forward at " + x);
        f.vjp(at, new double[]{1}, grad, null);
        assertClose(expected, grad[0], 1e-12, 1e-300, c + " reverse at " + x);
        double fd = FiniteDifferences.derivative(z -> valueAt(f, z), x);
        assertClose(fd, grad[0], 1e-5, 1e-9, c + " vs central difference at " + x);
        // nested: the recorded gradient's value and its own derivative
        TapeFunction g = f.gradientFunction(at);
        g.value(at, out);
        assertClose(expected, out[0], 1e-12, 1e-300, c + " nested gradient at " + x);
        boolean nearKink = (c.name.startsWith("abs") && Math.abs(x) < 1e-3)
                || ((c.name.startsWith("min") || c.name.startsWith("max")) && Math.abs(x - 1) < 1e-3);
        if (nearKink) return; // the second derivative is not defined there
        f.hessianVector(at, new double[]{1}, out);
        assertClose(FiniteDifferences.derivative(c.df, x), out[0], 1e-5, 1e-8, c + " second derivative at " + x);
    }

    @Property(tries = 1500)
    void binaryFirstAndSecondDerivatives(@ForAll("binaryCases") Binary c, @ForAll @DoubleRange(min = 0, max = 1) double u,
                                         @ForAll @DoubleRange(min = 0, max = 1) double w) {
        double a = c.lo + u * (c.hi - c.lo), b = c.blo + w * (c.bhi - c.blo);
        double[] at = {a, b};
        TapeFunction f = TapeFunction.record(2, (tape, in) -> new Var[]{c.op.apply(in.get(0), in.get(1))}, at);
        double[] out = new double[1], grad = new double[2];
        f.value(at, out);
        assertClose(c.f.applyAsDouble(a, b), out[0], 1e-14, 1e-300, c + " value");
        double[] expected = {c.da.applyAsDouble(a, b), c.db.applyAsDouble(a, b)};
        f.vjp(at, new double[]{1}, grad, null);
        double[] jac = new double[2];
        f.jacobian(at, jac);
        double[] fd = FiniteDifferences.jacobian((x, o) -> f.copy().value(x, o), at, 1);
        TapeFunction g = f.gradientFunction(at);
        double[] nested = new double[2];
        g.value(at, nested);
        double[] hessian = new double[4];
        g.jacobian(at, hessian);
        for (int i = 0; i < 2; i++) {
            String where = c + " d/d" + (i == 0 ? "a" : "b") + " at (" + a + ", " + b + ")";
            assertClose(expected[i], grad[i], 1e-12, 1e-300, where + " reverse");
            assertClose(expected[i], jac[i], 1e-12, 1e-300, where + " jacobian");
            assertClose(fd[i], grad[i], 1e-5, 1e-9, where + " vs central difference");
            assertClose(expected[i], nested[i], 1e-12, 1e-300, where + " nested");
        }
        // second derivatives: the Hessian against central differences of the closed-form gradient
        // (not defined on the kink a = b of min and max)
        boolean kink = (c.name.equals("min") || c.name.equals("max")) && Math.abs(a - b) < 1e-3;
        if (kink) return;
        double[] fdHessian = FiniteDifferences.jacobian(
                (x, o) -> { o[0] = c.da.applyAsDouble(x[0], x[1]); o[1] = c.db.applyAsDouble(x[0], x[1]); }, at, 2);
        for (int k = 0; k < 4; k++) assertClose(fdHessian[k], hessian[k], 1e-5, 1e-8, c + " hessian[" + k + "]");
    }

    private static double valueAt(TapeFunction f, double x) {
        double[] out = new double[1];
        f.value(new double[]{x}, out);
        return out[0];
    }
}
