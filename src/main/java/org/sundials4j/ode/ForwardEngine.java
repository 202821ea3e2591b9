package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.N_Vector;

/**
 * Forward sensitivities through CVODES: {@code CVodeSensInit1} with one JVP per sensitivity and
 * right-hand side, and quadrature sensitivities for an integral functional. The loss gradient is
 * {@code Σ_k ∂L/∂y(t_k) · S(t_k) + ∂L/∂p (+ dG/dθ)}.
 */
final class ForwardEngine extends SensitivityEngine {
    private final int ns;
    private final PointerPointer yS;
    private PointerPointer qS;
    /** The data of each sensitivity vector and of each quadrature sensitivity (null without), fixed for the engine's life. */
    private final DoublePointer[] sensData;
    private DoublePointer[] quadSensData;
    private final double[] zeros;
    private boolean initialised;

    ForwardEngine(DifferentiableOdeModel model, SolverOptions o, SensitivityOptions so, Integrand integrand, RunControl control) {
        super(model, o, so, integrand, control);
        try {
            this.ns = wireSensitivities();
            this.yS = solver.owner.own(CvodesSolver.allocated(N_VCloneVectorArray(ns, solver.y), ns + " sensitivity vectors"),
                    v -> N_VDestroyVectorArray(v, ns));
            if (hasIntegrand())
                qS = solver.owner.own(CvodesSolver.allocated(N_VCloneVectorArray(ns, q), ns + " quadrature sensitivities"),
                        v -> N_VDestroyVectorArray(v, ns));
            // read once: a run would otherwise make two pointer objects (and calls) per vector and access
            this.sensData = data(yS);
            this.zeros = new double[n];
            if (hasIntegrand()) quadSensData = data(qS);
        } catch (RuntimeException | Error e) {
            solver.close();
            throw e;
        }
    }

    /** The data pointers of the {@code ns} vectors of {@code vectors}. */
    private DoublePointer[] data(PointerPointer vectors) {
        DoublePointer[] d = new DoublePointer[ns];
        for (int s = 0; s < ns; s++) {
            N_Vector v = N_VGetVecAtIndexVectorArray(vectors, s);
            d[s] = N_VGetArrayPointer(v).capacity(N_VGetLength(v));
        }
        return d;
    }

    /** Sets yS(t0): zero for parameters, the unit vector e_i for the initial state y_i. */
    private void loadInitialSensitivities() {
        for (int s = 0; s < ns; s++) {
            sensData[s].put(zeros);
            if (s >= params.length) sensData[s].put(states[s - params.length], 1.0);
        }
        if (hasIntegrand()) {
            N_VConst(0.0, q);
            for (int s = 0; s < ns; s++) quadSensData[s].put(0, 0.0);
        }
    }

    private int corrector() {
        return switch (so.corrector()) {
            case SIMULTANEOUS -> CV_SIMULTANEOUS;
            case STAGGERED -> CV_STAGGERED;
            case STAGGERED1 -> CV_STAGGERED1;
        };
    }

    /**
     * CVODES' default sensitivity solver is Newton, which needs the linear solver a fixed-point
     * forward solve does not attach: the sensitivities iterate to a fixed point too, in the shape
     * the corrector wants (all systems at once, all sensitivities at once, or one at a time).
     */
    private void attachFixedPointSensitivities() {
        switch (so.corrector()) {
            case SIMULTANEOUS -> solver.setup(CVodeSetNonlinearSolverSensSim(solver.mem, solver.newFixedPoint(solver.y, ns + 1)),
                    "CVodeSetNonlinearSolverSensSim");
            case STAGGERED -> solver.setup(CVodeSetNonlinearSolverSensStg(solver.mem, solver.newFixedPoint(solver.y, ns)),
                    "CVodeSetNonlinearSolverSensStg");
            case STAGGERED1 -> solver.setup(CVodeSetNonlinearSolverSensStg1(solver.mem, solver.newFixedPoint(solver.y, 0)),
                    "CVodeSetNonlinearSolverSensStg1");
        }
    }

    @Override
    Gradient run(double t0, double[] y0, double[] p, double[] times, OutputLoss loss) {
        solver.checkOpen();
        solver.checkInputs(t0, y0, p, times);
        solver.begin(t0, y0, p);
        replayIntegrand(t0, y0, p);
        loadInitialSensitivities();
        SolverOptions o = solver.options;
        if (!initialised) {
            solver.setup(CVodeSensInit1(solver.mem, ns, corrector(), Glue.SENS_RHS, yS), "CVodeSensInit1");
            if (solver.fixedPoint()) attachFixedPointSensitivities();
            solver.setup(CVodeSensEEtolerances(solver.mem), "CVodeSensEEtolerances");
            solver.setup(CVodeSetSensErrCon(solver.mem, so.errorControl() ? 1 : 0), "CVodeSetSensErrCon");
            if (hasIntegrand()) {
                solver.setup(CVodeQuadInit(solver.mem, Glue.QUAD, q), "CVodeQuadInit");
                solver.setup(CVodeQuadSStolerances(solver.mem, so.quadratureRtol(o), so.quadratureAtol(o)), "CVodeQuadSStolerances");
                solver.setup(CVodeSetQuadErrCon(solver.mem, so.quadratureErrorControl() ? 1 : 0), "CVodeSetQuadErrCon");
                solver.setup(CVodeQuadSensInit(solver.mem, Glue.QUAD_SENS, qS), "CVodeQuadSensInit");
                solver.setup(CVodeQuadSensEEtolerances(solver.mem), "CVodeQuadSensEEtolerances");
                solver.setup(CVodeSetQuadSensErrCon(solver.mem, so.quadratureErrorControl() ? 1 : 0), "CVodeSetQuadSensErrCon");
            }
            initialised = true;
        } else {
            solver.setup(CVodeSensReInit(solver.mem, corrector(), yS), "CVodeSensReInit");
            if (hasIntegrand()) {
                solver.setup(CVodeQuadReInit(solver.mem, q), "CVodeQuadReInit");
                solver.setup(CVodeQuadSensReInit(solver.mem, qS), "CVodeQuadSensReInit");
            }
        }

        // the default scales |p_j| follow this run's parameters, so they are set on every run
        double[] pbar = new double[ns];
        double[] scales = so.parameterScales(p, params);
        for (int s = 0; s < ns; s++) pbar[s] = s < params.length ? scales[s] : 1.0;
        solver.setup(CVodeSetSensParams(solver.mem, (double[]) null, pbar, (int[]) null), "CVodeSetSensParams");

        int kCount = times.length;
        forwardPass(t0, times[kCount - 1]);
        double[][] ys;
        double[] sens = new double[kCount * ns * n]; // S(t_k) column s at (k * ns + s) * n
        double[][][] sk = null; // the same by output and column, for the events' hooks and kept trajectories
        double[] tret = new double[1];
        EventLoop.Trace trace = null;
        if (solver.events != null) {
            sk = new double[kCount][ns][n];
            trace = solver.events.run(t0, y0, p, times, new Jumps(p, sk), true, false, SolverException.Phase.SENSITIVITY);
            GradientSolver.requireAllOutputs(trace, times);
            times = trace.outputTimes(times); // an output at Event.AT_STOP is at the stop time
            ys = trace.states;
            for (int k = 0; k < kCount; k++)
                for (int s = 0; s < ns; s++) System.arraycopy(sk[k][s], 0, sens, (k * ns + s) * n, n);
        } else {
            // every output in one native run, S(t_k) read there too (an output at t0 has S(t0) = S0)
            if (times[0] == t0) for (int s = params.length; s < ns; s++) sens[s * n + states[s - params.length]] = 1;
            ys = solver.outputs(t0, y0, times, null, new CvodesSolver.SensitivityReadout(yS, ns, sens),
                    SolverException.Phase.SENSITIVITY);
        }
        forwardDone(times[kCount - 1]);

        double[][] dY = new double[kCount][n];
        double[] dP = new double[p.length];
        double value = GradientSolver.evaluateLoss(loss, times, ys, p, dY, dP);
        double[][] rows = new double[kCount][];
        java.util.Arrays.fill(rows, sens);
        double[] grad = outputGradient(dY, dP, ns, rows, 0, ns * n);
        // with every output at t0 nothing was integrated: the integral and its sensitivities are 0
        // (CVODES' quadrature would be read at a time it never reached)
        if (hasIntegrand() && times[kCount - 1] > t0) {
            solver.setup(CVodeGetQuad(solver.mem, tret, q), "CVodeGetQuad");
            value += N_VGetArrayPointer(q).get(0);
            solver.setup(CVodeGetQuadSens(solver.mem, tret, qS), "CVodeGetQuadSens");
            for (int s = 0; s < ns; s++) grad[s] += quadSensData[s].get(0);
        }
        double[] gp = java.util.Arrays.copyOfRange(grad, 0, params.length);
        double[] gy = java.util.Arrays.copyOfRange(grad, params.length, ns);
        Solution sol = trace != null ? trace.solution(times) : new Solution(times.clone(), ys, solver.statistics());
        if (so.keepTrajectories() && sk == null) {
            sk = new double[kCount][ns][];
            for (int k = 0; k < kCount; k++)
                for (int s = 0; s < ns; s++) sk[k][s] = java.util.Arrays.copyOfRange(sens, (k * ns + s) * n, (k * ns + s + 1) * n);
        }
        return new Gradient(value, gp, gy, params, states, SensitivityMethod.FORWARD, sol, null, 0, 0, 0, 0,
                so.keepTrajectories() ? sk : null);
    }

    /**
     * The sensitivity jumps at events ({@link EventJumps}): read {@code S(τ⁻)} from CVODES, jump
     * every column, restart CVODES' sensitivities (and quadrature sensitivities) from {@code S(τ⁺)}.
     * Between events the Java copy is the state of the last restart, which is what an output at
     * that very time sees.
     */
    private final class Jumps implements EventLoop.Hooks {
        private final double[] p;
        private final double[][][] sk;
        private final double[][] s;
        private final double[] qs;
        private final double[] tret = new double[1];

        Jumps(double[] p, double[][][] sk) {
            this.p = p;
            this.sk = sk;
            this.s = new double[ns][n];
            for (int j = params.length; j < ns; j++) s[j][states[j - params.length]] = 1;
            this.qs = new double[ns];
        }

        @Override
        public void beforeRound(double t, boolean fresh) {
            if (fresh) return; // s and qs hold the values of the last restart
            solver.setup(CVodeGetSens(solver.mem, tret, yS), "CVodeGetSens");
            for (int j = 0; j < ns; j++) sensData[j].get(s[j]);
            if (hasIntegrand()) {
                solver.setup(CVodeGetQuadSens(solver.mem, tret, qS), "CVodeGetQuadSens");
                for (int j = 0; j < ns; j++) qs[j] = quadSensData[j].get(0);
            }
        }

        @Override
        public void onEvent(Event e, double t, double[] yMinus, double[] yPlus, double[] fMinus, double[] fPlus, double d,
                            double qJump) {
            EventJumps jumps = solver.events.jumps;
            for (int j = 0; j < ns; j++) {
                int param = cb.sensParam[j];
                double dtau = jumps.timeSensitivity(e, d, s[j], param);
                jumps.forward(e, t, yMinus, p, fMinus, fPlus, dtau, s[j], param);
                qs[j] += qJump * dtau;
            }
        }

        @Override
        public void afterRestart(double t) {
            for (int j = 0; j < ns; j++) sensData[j].put(s[j]);
            solver.setup(CVodeSensReInit(solver.mem, corrector(), yS), "CVodeSensReInit");
            if (hasIntegrand()) {
                for (int j = 0; j < ns; j++) quadSensData[j].put(0, qs[j]);
                solver.setup(CVodeQuadSensReInit(solver.mem, qS), "CVodeQuadSensReInit");
            }
        }

        /**
         * {@code s + δ (f_y s + f_p e_θ)}: the Euler step of each sensitivity that goes with
         * {@link EventLoop#bridge}, from the values of the last restart ({@code fresh}) or CVODES' at {@code t}.
         */
        @Override
        public void onOutputNear(int k, double t, double[] y, double tk, boolean fresh) {
            if (!fresh) solver.setup(CVodeGetSens(solver.mem, tret, yS), "CVodeGetSens");
            double[] w = new double[p.length], ds = new double[n], sj = new double[n];
            for (int j = 0; j < ns; j++) {
                if (fresh) System.arraycopy(s[j], 0, sj, 0, n);
                else sensData[j].get(sj);
                int param = cb.sensParam[j];
                if (param >= 0) w[param] = 1;
                ((DifferentiableOdeModel) solver.model).jvp(t, y, p, sj, param >= 0 ? w : null, ds);
                if (param >= 0) w[param] = 0;
                for (int i = 0; i < n; i++) sk[k][j][i] = sj[i] + (tk - t) * ds[i];
            }
        }

        @Override
        public void onOutput(int k, double t, boolean fresh) {
            if (fresh) {
                for (int j = 0; j < ns; j++) System.arraycopy(s[j], 0, sk[k][j], 0, n);
                return;
            }
            solver.setup(CVodeGetSens(solver.mem, tret, yS), "CVodeGetSens");
            for (int j = 0; j < ns; j++) sensData[j].get(sk[k][j]);
        }
    }

    @Override
    ReplayStatistics replayStatistics() {
        return solver.replayStatistics(solver.bridge);
    }
}
