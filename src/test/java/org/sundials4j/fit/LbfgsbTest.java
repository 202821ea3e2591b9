package org.sundials4j.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optimizer on standard test functions with known minima, bounds, and its failure modes. */
class LbfgsbTest {
    private static final OptimizerOptions TIGHT = OptimizerOptions.defaults().withGradientTolerance(1e-10)
            .withFunctionTolerance(0).withStepTolerance(0);

    /** Rosenbrock in n dimensions (the chained form): minimum 0 at (1, …, 1). */
    static double rosenbrock(double[] x, double[] g) {
        double f = 0;
        for (int i = 0; i + 1 < x.length; i++) {
            double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
            f += 100 * a * a + b * b;
            g[i] += -400 * a * x[i] - 2 * b;
            g[i + 1] += 200 * a;
        }
        return f;
    }

    @Test
    void rosenbrock2dFromTheClassicStart() {
        OptimizationResult r = Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {-1.2, 1}, TIGHT);
        assertEquals(StopReason.GRADIENT, r.reason(), r.toString());
        assertArrayEquals(new double[] {1, 1}, r.x(), 1e-8);
        assertEquals(0, r.value(), 1e-16);
        assertTrue(r.iterations() < 100, r.toString());
        assertEquals(r.iterations() + 1, r.history().length);
        for (int k = 1; k < r.history().length; k++) assertTrue(r.history()[k] < r.history()[k - 1], "monotone decrease");
    }

    @Test
    void rosenbrock20d() {
        double[] x0 = new double[20];
        for (int i = 0; i < x0.length; i++) x0[i] = i % 2 == 0 ? -1.2 : 1;
        OptimizationResult r = Lbfgsb.minimize(LbfgsbTest::rosenbrock, x0, TIGHT);
        assertTrue(r.converged(), r.toString());
        for (double xi : r.x()) assertEquals(1, xi, 1e-7);
    }

    /** Beale's function: minimum 0 at (3, 0.5). */
    @Test
    void beale() {
        DifferentiableFunction beale = (x, g) -> {
            double a = 1.5 - x[0] + x[0] * x[1], b = 2.25 - x[0] + x[0] * x[1] * x[1], c = 2.625 - x[0] + x[0] * Math.pow(x[1], 3);
            g[0] = 2 * a * (x[1] - 1) + 2 * b * (x[1] * x[1] - 1) + 2 * c * (Math.pow(x[1], 3) - 1);
            g[1] = 2 * a * x[0] + 2 * b * 2 * x[0] * x[1] + 2 * c * 3 * x[0] * x[1] * x[1];
            return a * a + b * b + c * c;
        };
        OptimizationResult r = Lbfgsb.minimize(beale, new double[] {1, 1}, TIGHT);
        assertTrue(r.converged(), r.toString());
        assertArrayEquals(new double[] {3, 0.5}, r.x(), 1e-8);
    }

    /**
     * A separable quadratic {@code Σ c_i (x_i - a_i)²} in a box: its minimum is the centre clamped into
     * the box, with the clamped coordinates on their bounds (active) and the others free.
     */
    @Test
    void boundedQuadraticWithActiveBounds() {
        double[] c = {1, 10, 100, 0.5, 3}, a = {2, -3, 0.5, 7, -1};
        double[] lo = {-1, -1, -1, -1, Double.NEGATIVE_INFINITY}, hi = {1, 1, 1, 1, 0};
        List<double[]> visited = new ArrayList<>();
        DifferentiableFunction q = (x, g) -> {
            visited.add(x.clone());
            double f = 0;
            for (int i = 0; i < x.length; i++) {
                f += c[i] * (x[i] - a[i]) * (x[i] - a[i]);
                g[i] = 2 * c[i] * (x[i] - a[i]);
            }
            return f;
        };
        OptimizationResult r = Lbfgsb.minimize(q, new double[] {0, 0, 0, 0, 0}, lo, hi, TIGHT, null);
        assertTrue(r.converged(), r.toString());
        assertTrue(r.gradientNorm() < 1e-10, r.toString());
        assertArrayEquals(new double[] {1, -1, 0.5, 1, -1}, r.x(), 1e-10);
        for (double[] x : visited)
            for (int i = 0; i < x.length; i++) assertTrue(x[i] >= lo[i] && x[i] <= hi[i], "bound violated at " + i + ": " + x[i]);
    }

    /**
     * A coupled quadratic {@code ½xᵀAx - bᵀx}, A = [[2, 1], [1, 2]], b = (4, 4) (free minimum (4/3, 4/3)),
     * with {@code x_1 <= 0.5}: KKT gives x_1 = 0.5 on its bound and {@code x_2 = (4 - 0.5)/2 = 1.75}.
     */
    @Test
    void coupledQuadraticMinimumMovesAlongTheBound() {
        DifferentiableFunction q = (x, g) -> {
            g[0] = 2 * x[0] + x[1] - 4;
            g[1] = x[0] + 2 * x[1] - 4;
            return 0.5 * (2 * x[0] * x[0] + 2 * x[0] * x[1] + 2 * x[1] * x[1]) - 4 * x[0] - 4 * x[1];
        };
        OptimizationResult r = Lbfgsb.minimize(q, new double[] {-3, 5}, null, new double[] {0.5, 10}, TIGHT, null);
        assertTrue(r.converged(), r.toString());
        assertArrayEquals(new double[] {0.5, 1.75}, r.x(), 1e-9);
    }

    /** Rosenbrock with {@code x_1 <= 0.5}: the minimum is at (0.5, 0.25) with value 0.25. */
    @Test
    void rosenbrockWithAnActiveBound() {
        List<double[]> visited = new ArrayList<>();
        DifferentiableFunction f = (x, g) -> {
            visited.add(x.clone());
            return rosenbrock(x, g);
        };
        OptimizationResult r = Lbfgsb.minimize(f, new double[] {-1.2, 1}, new double[] {-2, -2}, new double[] {0.5, 2}, TIGHT, null);
        assertTrue(r.converged(), r.toString());
        assertArrayEquals(new double[] {0.5, 0.25}, r.x(), 1e-8);
        assertEquals(0.25, r.value(), 1e-12);
        for (double[] x : visited) assertTrue(x[0] <= 0.5 && x[0] >= -2 && x[1] >= -2 && x[1] <= 2);
    }

    @Test
    void aStartOutsideTheBoxIsProjected() {
        OptimizationResult r = Lbfgsb.minimize((x, g) -> {
            assertTrue(x[0] >= 2 && x[0] <= 3, "evaluated outside: " + x[0]);
            g[0] = 2 * x[0];
            return x[0] * x[0];
        }, new double[] {-5}, new double[] {2}, new double[] {3}, TIGHT, null);
        assertEquals(StopReason.GRADIENT, r.reason());
        assertEquals(2, r.x()[0]);
    }

    @Test
    void iterationLimitIsReportedAsSuch() {
        OptimizationResult r = Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {-1.2, 1}, TIGHT.withMaxIterations(3));
        assertEquals(StopReason.MAX_ITERATIONS, r.reason());
        assertEquals(3, r.iterations());
        assertFalse(r.converged());
    }

    @Test
    void evaluationLimitIsReportedAsSuch() {
        OptimizationResult r = Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {-1.2, 1}, TIGHT.withMaxEvaluations(5));
        assertEquals(StopReason.MAX_EVALUATIONS, r.reason());
        assertTrue(r.evaluations() <= 5);
    }

    @Test
    void aWrongGradientEndsInLineSearchFailure() {
        // the "gradient" points uphill: no step along -g decreases f
        OptimizationResult r = Lbfgsb.minimize((x, g) -> {
            g[0] = -2 * (x[0] - 1);
            return (x[0] - 1) * (x[0] - 1);
        }, new double[] {3}, TIGHT);
        assertEquals(StopReason.LINE_SEARCH_FAILED, r.reason());
        assertEquals(3, r.x()[0]); // nothing better was accepted
    }

    @Test
    void nonFiniteAtTheStartStopsAtOnce() {
        OptimizationResult r = Lbfgsb.minimize((x, g) -> Math.log(x[0]), new double[] {-1}, TIGHT);
        assertEquals(StopReason.NON_FINITE, r.reason());
        assertEquals(0, r.iterations());
    }

    @Test
    void nonFiniteTrialPointsMakeTheLineSearchBackOff() {
        // f = x - log(x) has its minimum at x = 1; steps past 0 give NaN
        OptimizationResult r = Lbfgsb.minimize((x, g) -> {
            g[0] = 1 - 1 / x[0];
            return x[0] - Math.log(x[0]);
        }, new double[] {8}, TIGHT);
        assertTrue(r.converged(), r.toString());
        assertEquals(1, r.x()[0], 1e-9);
    }

    @Test
    void functionChangeAndStepCriteriaStopEarly() {
        OptimizationResult f = Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {-1.2, 1},
                OptimizerOptions.defaults().withGradientTolerance(0).withFunctionTolerance(1e-3).withStepTolerance(0));
        assertEquals(StopReason.FUNCTION_CHANGE, f.reason());
        OptimizationResult s = Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {-1.2, 1},
                OptimizerOptions.defaults().withGradientTolerance(0).withFunctionTolerance(0).withStepTolerance(1e-2));
        assertEquals(StopReason.STEP, s.reason());
    }

    @Test
    void listenerSeesEveryIteration() {
        List<Double> seen = new ArrayList<>();
        OptimizationResult r = Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {-1.2, 1}, null, null, TIGHT,
                (it, v, gn, ev, x) -> {
                    assertEquals(seen.size() + 1, it);
                    seen.add(v);
                });
        assertEquals(r.iterations(), seen.size());
        assertEquals(r.value(), seen.get(seen.size() - 1));
    }

    @Test
    void badArgumentsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 1}, TIGHT, null));
        assertTrue(e.getMessage().contains("lower[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Lbfgsb.minimize(LbfgsbTest::rosenbrock, new double[] {0, 0}, new double[] {1}, null, TIGHT, null));
        assertTrue(e.getMessage().contains("lower.length"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OptimizerOptions.defaults().withMemory(0));
    }
}
