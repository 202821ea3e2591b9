package org.sundials4j.fit;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.IntegrandDefinition;
import org.sundials4j.tape.LossDefinition;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeFunction;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/** Hessian-vector products against SUNDIALS' own second-order example, a closed form and differences. */
class SecondOrderAdjointTest {
    /** cvsHessian_ASA_FSA: y' = (-p1 y1² - y3, -y2, -p2² y2 y3), y(0) = 1, G = ∫₀² ½|y|² dt. */
    static final OdeDefinition HESSIAN_EXAMPLE = (tape, t, y, p) -> new Var[] {
            p.get(0).neg().times(y.get(0).square()).minus(y.get(2)),
            y.get(1).neg(),
            p.get(1).square().neg().times(y.get(1)).times(y.get(2))};
    static final IntegrandDefinition HALF_SQUARES = (tape, t, y, p) -> y.dot(y).times(0.5);

    /**
     * The printed Hessian of cvsHessian_ASA_FSA.out ({@code 1.5628e-01 -7.8678e-02 / 8.9814e-02}) and its
     * gradient ({@code -1.2838e-01 1.8036e-02}), at its tolerances (all 1e-8), by adjoint and by forward.
     */
    @Test
    void reproducesCvsHessianAsaFsa() {
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-8, 1e-8);
        double[] y0 = {1, 1, 1}, p = {1, 2}, times = {2};
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.ADJOINT, SensitivityMethod.FORWARD}) {
            SensitivityOptions so = SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-8, 1e-8)
                    .withQuadratureTolerances(1e-8, 1e-8);
            try (SecondOrderAdjoint h = new SecondOrderAdjoint(3, 2, HESSIAN_EXAMPLE, null, HALF_SQUARES, o, so, 0, y0, p)) {
                double[][] hess = h.hessian(0, y0, p, times);
                assertEquals(1.5628e-01, hess[0][0], 5e-6, m.toString());
                assertEquals(-7.8678e-02, hess[0][1], 5e-6, m.toString());
                assertEquals(8.9814e-02, hess[1][1], 5e-6, m.toString());
                SecondOrderAdjoint.Product pr = h.apply(0, y0, p, times, new double[] {1, 0});
                assertEquals(-1.2838e-01, pr.directionalDerivative(), 5e-6, "dG/dp1 as the directional derivative");
                assertEquals(1.8036e-02, h.apply(0, y0, p, times, new double[] {0, 1}).directionalDerivative(), 5e-6);
            }
        }
    }

    /**
     * y1' = -a y1, y2' = a y1 - b y2, y(0) = (1, 0): y2 = a (e^{-at} - e^{-bt}) / (b - a). The exact Hessian
     * of {@code L = Σ (y2(t_k) - d_k)² + 0.1 a² b} comes from the closed form differentiated twice by the tape
     * (no ODE solver involved); the HVP by both methods must match it.
     */
    @Test
    void matchesTheExactHessianOfALinearOde() {
        double[] times = {0.5, 1, 2, 3, 5}, d = {0.2, 0.3, 0.25, 0.2, 0.1};
        OdeDefinition rhs = (tape, t, y, p) -> new Var[] {p.get(0).neg().times(y.get(0)),
                p.get(0).times(y.get(0)).minus(p.get(1).times(y.get(1)))};
        LossDefinition loss = (tape, ts, ys, p) -> {
            Var s = p.get(0).square().times(p.get(1)).times(0.1);
            for (int k = 0; k < ts.length; k++) s = s.plus(ys[k].get(1).minus(d[k]).square());
            return s;
        };
        TapeFunction closed = TapeFunction.record(2, (tape, x) -> {
            Var a = x.get(0), b = x.get(1), s = a.square().times(b).times(0.1);
            for (int k = 0; k < times.length; k++) {
                Var y2 = a.times(a.times(-times[k]).exp().minus(b.times(-times[k]).exp())).div(b.minus(a));
                s = s.plus(y2.minus(d[k]).square());
            }
            return new Var[] {s};
        }, new double[] {0.7, 1.3});
        double[] p = {0.7, 1.3}, y0 = {1, 0};
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-10, 1e-12);
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.ADJOINT, SensitivityMethod.FORWARD}) {
            SensitivityOptions so = SensitivityOptions.defaults().withMethod(m).withBackwardTolerances(1e-10, 1e-12)
                    .withQuadratureTolerances(1e-10, 1e-12);
            try (SecondOrderAdjoint h = new SecondOrderAdjoint(2, 2, rhs, loss, null, o, so, 0, y0, p)) {
                for (double[] v : new double[][] {{1, 0}, {0, 1}, {0.3, -2}}) {
                    double[] exact = new double[2];
                    closed.hessianVector(p, v, exact);
                    double[] hv = h.apply(0, y0, p, times, v).hv();
                    assertArrayEquals(exact, hv, 1e-7 * (1 + Math.abs(exact[0]) + Math.abs(exact[1])), m + " v = " + v[0] + "," + v[1]);
                }
            }
        }
    }

    /**
     * Lotka–Volterra with the problem set's loss: H v against central differences of the adjoint gradient
     * ({@code (∇J(p + hv) - ∇J(p - hv)) / 2h}), with the gradients at tight tolerances.
     */
    @Test
    void matchesCentralDifferencesOfTheGradient() {
        OdeDefinition lv = org.sundials4j.problems.LotkaVolterra.definition();
        double[] p = org.sundials4j.problems.LotkaVolterra.PARAMETERS, y0 = org.sundials4j.problems.LotkaVolterra.Y0;
        double[] times = new double[40];
        for (int k = 0; k < times.length; k++) times[k] = 0.25 * (k + 1);
        LossDefinition loss = (tape, ts, ys, q) -> {
            Var s = tape.constant(0);
            for (var yk : ys) s = s.plus(yk.get(0).minus(1).square()).plus(yk.get(1).minus(1).square());
            return s.div(2.0 * ys.length);
        };
        SolverOptions o = SolverOptions.defaults().withTolerances(1e-11, 1e-13);
        SensitivityOptions so = SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT)
                .withBackwardTolerances(1e-11, 1e-13).withQuadratureTolerances(1e-11, 1e-13);
        double[] v = {0.4, -0.2, 0.7, 0.1};
        double[] hv;
        try (SecondOrderAdjoint h = new SecondOrderAdjoint(2, 4, lv, loss, null, o, so, 0, y0, p)) {
            hv = h.apply(0, y0, p, times, v).hv();
        }
        double step = 1e-4;
        double[] plus = p.clone(), minus = p.clone();
        for (int j = 0; j < 4; j++) {
            plus[j] += step * v[j];
            minus[j] -= step * v[j];
        }
        TapeOdeModel model = TapeOdeModel.record(2, 4, lv, 0, y0, p);
        try (GradientSolver gs = new GradientSolver(model, TapeLoss.of(loss), null, o, so)) {
            double[] gp = gs.gradient(0, y0, plus, times).params(), gm = gs.gradient(0, y0, minus, times).params();
            for (int j = 0; j < 4; j++) {
                double fd = (gp[j] - gm[j]) / (2 * step);
                assertEquals(fd, hv[j], 1e-6 * (1 + Math.abs(fd)), "component " + j);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        SolverOptions o = SolverOptions.defaults();
        SensitivityOptions so = SensitivityOptions.defaults();
        try (SecondOrderAdjoint h = new SecondOrderAdjoint(3, 2, HESSIAN_EXAMPLE, null, HALF_SQUARES, o, so, 0,
                new double[] {1, 1, 1}, new double[] {1, 2})) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> h.apply(0, new double[] {1, 1, 1}, new double[] {1, 2}, new double[] {2}, new double[] {1}));
            assertTrue(e.getMessage().contains("v.length"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SecondOrderAdjoint(3, 2, HESSIAN_EXAMPLE, null, null, o, so, 0, new double[3], new double[2]));
    }
}
