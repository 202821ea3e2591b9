package org.sundials4j.bench.compare;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hipparchus.ode.ExpandableODE;
import org.hipparchus.ode.ODEJacobiansProvider;
import org.hipparchus.ode.ODEState;
import org.hipparchus.ode.ODEStateAndDerivative;
import org.hipparchus.ode.OrdinaryDifferentialEquation;
import org.hipparchus.ode.VariationalEquation;
import org.hipparchus.ode.nonstiff.AdaptiveStepsizeIntegrator;
import org.hipparchus.ode.nonstiff.DormandPrince54Integrator;
import org.hipparchus.ode.nonstiff.DormandPrince853Integrator;
import org.hipparchus.ode.sampling.ODEStateInterpolator;
import org.hipparchus.ode.sampling.ODEStepHandler;

/** Hipparchus 4 explicit embedded Runge-Kutta (DormandPrince853 or DormandPrince54). */
final class HipparchusLibrary implements Library {
    enum Scheme { DP853, DP54 }

    private final Scheme scheme;
    private final double[] atol;
    private final double[] rtol;

    /** Tolerances per integrated state (including a quadrature state); only those are error-controlled. */
    HipparchusLibrary(Scheme scheme, double[] atol, double[] rtol) {
        this.scheme = scheme;
        this.atol = atol.clone();
        this.rtol = rtol.clone();
    }

    @Override
    public String name() {
        return "Hipparchus " + scheme;
    }

    private AdaptiveStepsizeIntegrator integrator(double span) {
        // minStep 0: let the error control, not a floor, decide; the budget stops hopeless runs.
        return scheme == Scheme.DP853 ? new DormandPrince853Integrator(0.0, span, atol, rtol)
                : new DormandPrince54Integrator(0.0, span, atol, rtol);
    }

    @Override
    public double[][] solve(TapeRhs rhs, double t0, double[] y0, double[] times, Budget budget) {
        rhs.budget(budget);
        OrdinaryDifferentialEquation ode = new OrdinaryDifferentialEquation() {
            @Override public int getDimension() { return rhs.dim; }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                return derivatives(rhs, t, y);
            }
        };
        double[][] out = new double[times.length][];
        Outputs o = new Outputs(times, t0, budget) {
            @Override void record(int k, ODEStateAndDerivative s) { out[k] = s.getPrimaryState(); }
        };
        for (int k = 0; k < times.length && times[k] <= t0; k++) out[k] = y0.clone();
        AdaptiveStepsizeIntegrator in = integrator(times[times.length - 1] - t0);
        in.addStepHandler(o);
        in.integrate(new ExpandableODE(ode), new ODEState(t0, y0), times[times.length - 1]);
        return out;
    }

    @Override
    public Trajectory variational(TapeRhs rhs, double t0, double[] y0, double[] times, Budget budget) {
        rhs.budget(budget);
        List<String> names = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < rhs.np; k++) {
            names.add("p" + k);
            index.put("p" + k, k);
        }
        ODEJacobiansProvider ode = new ODEJacobiansProvider() {
            @Override public int getDimension() { return rhs.dim; }

            @Override
            public double[] computeDerivatives(double t, double[] y) {
                return derivatives(rhs, t, y);
            }

            @Override
            public double[][] computeMainStateJacobian(double t, double[] y, double[] yDot) {
                rhs.jacobians(t, y);
                double[][] j = new double[rhs.dim][rhs.dim];
                for (int a = 0; a < rhs.dim; a++)
                    for (int b = 0; b < rhs.dim; b++) j[a][b] = rhs.fy(a, b);
                return j;
            }

            @Override public List<String> getParametersNames() { return names; }
            @Override public boolean isSupported(String name) { return index.containsKey(name); }

            @Override
            public double[] computeParameterJacobian(double t, double[] y, double[] yDot, String name) {
                rhs.jacobians(t, y);
                int k = index.get(name);
                double[] c = new double[rhs.dim];
                for (int a = 0; a < rhs.dim; a++) c[a] = rhs.fp(a, k);
                return c;
            }
        };
        ExpandableODE expandable = new ExpandableODE(ode);
        VariationalEquation ve = new VariationalEquation(expandable, ode);
        double[][] identity = new double[rhs.dim][rhs.dim];
        for (int a = 0; a < rhs.dim; a++) identity[a][a] = 1.0;
        ve.setInitialMainStateJacobian(identity);
        for (String name : names) ve.setInitialParameterJacobian(name, new double[rhs.dim]);
        double[][] states = new double[times.length][];
        double[][][] sens = new double[times.length][][];
        for (int k = 0; k < times.length && times[k] <= t0; k++) {
            states[k] = y0.clone();
            sens[k] = initialSensitivity(rhs);
        }
        Outputs o = new Outputs(times, t0, budget) {
            @Override
            void record(int k, ODEStateAndDerivative s) {
                states[k] = s.getPrimaryState();
                double[][] dy0 = ve.extractMainSetJacobian(s);
                double[][] sk = new double[rhs.dim][rhs.np + rhs.n];
                for (int q = 0; q < rhs.np; q++) {
                    double[] c = ve.extractParameterJacobian(s, names.get(q));
                    for (int a = 0; a < rhs.dim; a++) sk[a][q] = c[a];
                }
                for (int a = 0; a < rhs.dim; a++) System.arraycopy(dy0[a], 0, sk[a], rhs.np, rhs.n);
                sens[k] = sk;
            }
        };
        AdaptiveStepsizeIntegrator in = integrator(times[times.length - 1] - t0);
        in.addStepHandler(o);
        in.integrate(expandable, ve.setUpInitialState(new ODEState(t0, y0)), times[times.length - 1]);
        return new Trajectory(states, sens);
    }

    static double[][] initialSensitivity(TapeRhs rhs) {
        double[][] s = new double[rhs.dim][rhs.np + rhs.n];
        for (int i = 0; i < rhs.n; i++) s[i][rhs.np + i] = 1.0;
        return s;
    }

    /** Records the outputs each step covers, interpolated. */
    private abstract static class Outputs implements ODEStepHandler {
        private final OutputCursor cursor;

        Outputs(double[] times, double t0, Budget budget) {
            this.cursor = new OutputCursor(times, t0, budget);
        }

        abstract void record(int k, ODEStateAndDerivative s);

        @Override
        public void handleStep(ODEStateInterpolator interpolator) {
            cursor.step(interpolator.getCurrentState().getTime(),
                    k -> record(k, interpolator.getInterpolatedState(cursor.time(k))));
        }
    }

    static double[] derivatives(TapeRhs rhs, double t, double[] y) {
        double[] d = new double[rhs.dim];
        rhs.f(t, y, d);
        return d;
    }
}
