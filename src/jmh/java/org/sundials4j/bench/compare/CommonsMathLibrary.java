package org.sundials4j.bench.compare;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.ode.ExpandableStatefulODE;
import org.apache.commons.math3.ode.FirstOrderDifferentialEquations;
import org.apache.commons.math3.ode.JacobianMatrices;
import org.apache.commons.math3.ode.MainStateJacobianProvider;
import org.apache.commons.math3.ode.ParameterJacobianProvider;
import org.apache.commons.math3.ode.nonstiff.DormandPrince853Integrator;
import org.apache.commons.math3.ode.sampling.StepHandler;
import org.apache.commons.math3.ode.sampling.StepInterpolator;

/** Apache Commons Math 3.6.1 DormandPrince853 with its {@code JacobianMatrices}. */
final class CommonsMathLibrary implements Library {
    private final double[] atol;
    private final double[] rtol;

    CommonsMathLibrary(double[] atol, double[] rtol) {
        this.atol = atol.clone();
        this.rtol = rtol.clone();
    }

    @Override
    public String name() {
        return "CommonsMath DP853";
    }

    private DormandPrince853Integrator integrator(double span) {
        return new DormandPrince853Integrator(0.0, span, atol, rtol);
    }

    private static final class Equations implements MainStateJacobianProvider, ParameterJacobianProvider {
        private final TapeRhs rhs;
        private final List<String> names = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();

        Equations(TapeRhs rhs) {
            this.rhs = rhs;
            for (int k = 0; k < rhs.np; k++) {
                names.add("p" + k);
                index.put("p" + k, k);
            }
        }

        @Override public int getDimension() { return rhs.dim; }

        @Override
        public void computeDerivatives(double t, double[] y, double[] yDot) {
            rhs.f(t, y, yDot);
        }

        @Override
        public void computeMainStateJacobian(double t, double[] y, double[] yDot, double[][] dFdY) {
            rhs.jacobians(t, y);
            for (int a = 0; a < rhs.dim; a++)
                for (int b = 0; b < rhs.dim; b++) dFdY[a][b] = rhs.fy(a, b);
        }

        @Override public Collection<String> getParametersNames() { return names; }
        @Override public boolean isSupported(String name) { return index.containsKey(name); }

        @Override
        public void computeParameterJacobian(double t, double[] y, double[] yDot, String name, double[] dFdP) {
            rhs.jacobians(t, y);
            int k = index.get(name);
            for (int a = 0; a < rhs.dim; a++) dFdP[a] = rhs.fp(a, k);
        }
    }

    @Override
    public double[][] solve(TapeRhs rhs, double t0, double[] y0, double[] times, Budget budget) {
        rhs.budget(budget);
        Equations eq = new Equations(rhs);
        double[][] out = new double[times.length][];
        for (int k = 0; k < times.length && times[k] <= t0; k++) out[k] = y0.clone();
        DormandPrince853Integrator in = integrator(times[times.length - 1] - t0);
        in.addStepHandler(new Outputs(times, t0, budget) {
            @Override void record(int k, StepInterpolator s) { out[k] = s.getInterpolatedState().clone(); }
        });
        ExpandableStatefulODE ode = new ExpandableStatefulODE((FirstOrderDifferentialEquations) eq);
        ode.setTime(t0);
        ode.setPrimaryState(y0);
        in.integrate(ode, times[times.length - 1]);
        return out;
    }

    @Override
    public Trajectory variational(TapeRhs rhs, double t0, double[] y0, double[] times, Budget budget) {
        rhs.budget(budget);
        Equations eq = new Equations(rhs);
        ExpandableStatefulODE ode = new ExpandableStatefulODE(eq);
        ode.setTime(t0);
        ode.setPrimaryState(y0);
        JacobianMatrices jm = new JacobianMatrices(eq, eq.names.toArray(new String[0]));
        jm.addParameterJacobianProvider(eq);
        jm.registerVariationalEquations(ode);
        double[][] identity = new double[rhs.dim][rhs.dim];
        for (int a = 0; a < rhs.dim; a++) identity[a][a] = 1.0;
        jm.setInitialMainStateJacobian(identity);
        double[][] states = new double[times.length][];
        double[][][] sens = new double[times.length][][];
        for (int k = 0; k < times.length && times[k] <= t0; k++) {
            states[k] = y0.clone();
            sens[k] = HipparchusLibrary.initialSensitivity(rhs);
        }
        int d = rhs.dim;
        DormandPrince853Integrator in = integrator(times[times.length - 1] - t0);
        in.addStepHandler(new Outputs(times, t0, budget) {
            // JacobianMatrices' secondary state: dy/dy0 row-major (dim × dim), then dy/dp per
            // parameter in the order the parameters were named.
            @Override
            void record(int k, StepInterpolator s) {
                states[k] = s.getInterpolatedState().clone();
                double[] v = s.getInterpolatedSecondaryState(0);
                double[][] sk = new double[d][rhs.np + rhs.n];
                for (int a = 0; a < d; a++) {
                    for (int q = 0; q < rhs.np; q++) sk[a][q] = v[d * d + q * d + a];
                    for (int j = 0; j < rhs.n; j++) sk[a][rhs.np + j] = v[a * d + j];
                }
                sens[k] = sk;
            }
        });
        in.integrate(ode, times[times.length - 1]);
        return new Trajectory(states, sens);
    }

    private abstract static class Outputs implements StepHandler {
        private final OutputCursor cursor;

        Outputs(double[] times, double t0, Budget budget) {
            this.cursor = new OutputCursor(times, t0, budget);
        }

        abstract void record(int k, StepInterpolator s);

        @Override
        public void init(double t0, double[] y0, double t) {}

        @Override
        public void handleStep(StepInterpolator interpolator, boolean isLast) {
            cursor.step(interpolator.getCurrentTime(), k -> {
                interpolator.setInterpolatedTime(cursor.time(k));
                record(k, interpolator);
            });
        }
    }
}
