package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.Pointer;
import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.N_Vector;
import org.sundials4j.internal.cvodes.S4jBridge;

/**
 * Checkpointed adjoint sensitivities through CVODES (CVODES guide, "Adjoint sensitivity analysis").
 *
 * <p>Forward: {@code CVodeF} to every output time, storing checkpoints every
 * {@code checkpointSteps} steps. Backward, with {@code λ(t_K) = ∂L/∂y(t_K)}:
 * {@code λ' = -(f_yᵀλ + g_yᵀ)} and the quadrature {@code μ' = -(f_pᵀλ + g_pᵀ)}, integrated from each
 * output time down to the previous one; at every output time the backward problem is restarted
 * with the jump {@code λ += ∂L/∂y(t_k)} (the quadrature carries on). At {@code t0}:
 * {@code dL/dy0 = λ(t0)} and {@code dL/dp = μ(t0) + ∂L/∂p}.
 *
 * <p>The backward problem is created on the first gradient and re-initialised afterwards. It has
 * its own bridge because its Newton matrix {@code -f_yᵀ} has the transposed band or sparsity layout.
 */
final class AdjointEngine extends SensitivityEngine {
    private final S4jBridge bridgeB;
    private final N_Vector yB, qB;
    /** Views on λ (yB) and μ (qB), made once: the jumps at output times read and write them without a call each. */
    private final DoubleBuffer lambdaView, muView;
    /** Whether the backward problem has a linear solver (else its counters have no linear-solver part). */
    private final boolean backwardLs;
    private int which = -1;
    private boolean adjInit;
    /** The last run's reverse sweeps and backward pairs (fB/fQB at one point). */
    private long sweeps, pairs;

    AdjointEngine(DifferentiableOdeModel model, SolverOptions o, SensitivityOptions so, Integrand integrand, RunControl control) {
        super(model, o, so, integrand, control);
        try {
            so.checkAdjoint(o);
            cb.selectedParams = params;
            if (solver.replay != null) solver.replay.adjoint(params);
            // the backward bridge shares the callback id: same Java target, other buffers
            this.bridgeB = solver.owner.own(CvodesSolver.allocated(s4j_bridge_new(solverId(), n), "the backward callback bridge"),
                    b -> s4j_bridge_free(b));
            if (solver.replay != null) solver.replay.lendTo(bridgeB);
            cb.bY = CvodesSolver.stage(bridgeB, Glue.BUF_Y, n);
            cb.bV = CvodesSolver.stage(bridgeB, Glue.BUF_V, n);
            cb.bVdot = CvodesSolver.stage(bridgeB, Glue.BUF_VDOT, n);
            cb.bQ = CvodesSolver.stage(bridgeB, Glue.BUF_Q, Math.max(1, params.length));
            this.yB = solver.owner.own(solver.newVector(n, "the adjoint state"), v -> N_VDestroy(v));
            this.qB = solver.owner.own(solver.newVector(Math.max(1, params.length), "the adjoint quadrature"), v -> N_VDestroy(v));
            this.lambdaView = N_VGetArrayPointer(yB).capacity(n).asBuffer();
            this.muView = N_VGetArrayPointer(qB).capacity(Math.max(1, params.length)).asBuffer();
            this.backwardLs = !o.nonlinearSolver().isFixedPoint(so.backwardMethod(o));
        } catch (RuntimeException | Error e) {
            solver.close();
            throw e;
        }
    }

    private long solverId() {
        return solver.bridge.id();
    }

    private int interpolation() {
        return so.interpolation(solver.options) == SensitivityOptions.Interpolation.HERMITE ? CV_HERMITE : CV_POLYNOMIAL;
    }

    /** The backward linear solver: the forward kind, laid out for the transposed Jacobian. */
    private LinearSolver backwardLinearSolver() {
        LinearSolver f = solver.linearSolver();
        return switch (f.kind()) {
            case BAND -> LinearSolver.band(f.lowerBandwidth(), f.upperBandwidth());
            case LAPACK_BAND -> LinearSolver.lapackBand(f.lowerBandwidth(), f.upperBandwidth());
            case KLU -> LinearSolver.klu(f.pattern().transpose());
            default -> f;
        };
    }

    private void createBackward(double tB0) {
        SolverOptions o = solver.options;
        int[] w = new int[1];
        int lmm = so.backwardMethod(o) == Method.BDF ? CV_BDF : CV_ADAMS;
        backward(CVodeCreateB(solver.mem, lmm, w), "CVodeCreateB", tB0);
        which = w[0];
        backward(CVodeInitB(solver.mem, which, Glue.RHS_B, tB0, yB), "CVodeInitB", tB0);
        backward(CVodeSetUserDataB(solver.mem, which, bridgeB), "CVodeSetUserDataB", tB0);
        backward(CVodeSStolerancesB(solver.mem, which, so.backwardRtol(o), so.backwardAtol(o)), "CVodeSStolerancesB", tB0);
        backward(CVodeSetMaxNumStepsB(solver.mem, which, so.backwardMaxSteps(o)), "CVodeSetMaxNumStepsB", tB0);
        if (o.nonlinearSolver().isFixedPoint(so.backwardMethod(o))) {
            backward(CVodeSetNonlinearSolverB(solver.mem, which, solver.newFixedPoint(yB, 0)), "CVodeSetNonlinearSolverB", tB0);
        } else {
            CvodesSolver.LinearSystem sys = solver.newLinearSystem(backwardLinearSolver(), yB, bridgeB);
            solver.setupLs(CVodeSetLinearSolverB(solver.mem, which, sys.solver(), sys.matrix()), "CVodeSetLinearSolverB");
            if (sys.writer() != null) {
                cb.backwardJacobian = SensitivityCallbacks.negatedTranspose(sys.writer());
                cb.backwardStaged = sys.writer();
                solver.setupLs(CVodeSetJacFnB(solver.mem, which, Glue.JAC_B), "CVodeSetJacFnB");
            }
        }
        if (params.length > 0) {
            backward(CVodeQuadInitB(solver.mem, which, Glue.QUAD_B, qB), "CVodeQuadInitB", tB0);
            backward(CVodeQuadSStolerancesB(solver.mem, which, so.quadratureRtol(o), so.quadratureAtol(o)),
                    "CVodeQuadSStolerancesB", tB0);
            backward(CVodeSetQuadErrConB(solver.mem, which, so.quadratureErrorControl() ? 1 : 0), "CVodeSetQuadErrConB", tB0);
        }
    }

    private void backward(int flag, String function, double t) {
        if (flag < 0) throw solver.failure(flag, function, t, SolverException.Phase.BACKWARD);
    }

    /** The calls of a backward interval, by the index s4j_run_failed_call gives (S4J_BWD_* in sundials4j_glue.h). */
    private static final String[] INTERVAL_CALLS = {"CVodeReInitB", "CVodeQuadReInitB", "CVodeB", "CVodeGetB", "CVodeGetQuadB"};
    private static final int INTERVAL_CVODEB = 2, INTERVAL_STATS = 5;

    /**
     * Integrates the backward problem from {@code tcur} (restarted there) down to {@code tnext} and
     * reads λ and the quadrature μ back; returns {@code stats} with the interval's counters added.
     * The quadrature is re-initialised at {@code tcur} too: CVODES' internal quadrature history lies
     * beyond it (it stepped past and interpolated), so only the interpolated value may carry on. The
     * restart, the integration, the reads and the counters are one native run ({@code s4j_run_backward}).
     */
    private SolverStatistics integrateBackward(double tcur, double tnext, SolverStatistics stats) {
        boolean restart = which >= 0;
        if (!restart) createBackward(tcur);
        if (progress != null) progress.follow(() -> currentTime(backwardMemory()), () -> solver.stepCount(backwardMemory()));
        int flag = solver.backwardInterval(which, tcur, tnext, yB, params.length > 0 ? qB : null, restart, backwardLs);
        if (flag < 0) {
            int call = solver.failedCall();
            if (call == INTERVAL_CVODEB) throw backwardFailure(flag, "CVodeB");
            if (call == INTERVAL_STATS) solver.checkStatistics(flag);
            throw solver.failure(flag, INTERVAL_CALLS[call], call < INTERVAL_CVODEB ? tcur : tnext, SolverException.Phase.BACKWARD);
        }
        if (progress != null) {
            progress.follow(null, null);
            progress.reached(tnext);
        }
        return SolverStatistics.sum(stats, solver.statisticsRead());
    }

    @Override
    Gradient run(double t0, double[] y0, double[] p, double[] times, OutputLoss loss) {
        solver.checkOpen();
        solver.checkInputs(t0, y0, p, times);
        SolverOptions o = solver.options;
        solver.begin(t0, y0, p);
        cb.resetCounters();
        NativeReplay.resetCounts(bridgeB);
        if (solver.replay != null) solver.replay.resetCounters();
        replayIntegrand(t0, y0, p);
        if (hasIntegrand()) {
            N_VConst(0.0, q);
            if (!adjInit) {
                solver.setup(CVodeQuadInit(solver.mem, Glue.QUAD, q), "CVodeQuadInit");
                solver.setup(CVodeQuadSStolerances(solver.mem, so.quadratureRtol(o), so.quadratureAtol(o)), "CVodeQuadSStolerances");
                solver.setup(CVodeSetQuadErrCon(solver.mem, so.quadratureErrorControl() ? 1 : 0), "CVodeSetQuadErrCon");
            } else {
                solver.setup(CVodeQuadReInit(solver.mem, q), "CVodeQuadReInit");
            }
        }
        if (!adjInit) {
            solver.setup(CVodeAdjInit(solver.mem, so.checkpointSteps(), interpolation()), "CVodeAdjInit");
            adjInit = true;
        } else {
            solver.setup(CVodeAdjReInit(solver.mem), "CVodeAdjReInit");
        }
        forwardPass(t0, times[times.length - 1]);
        if (solver.events != null) return throughEvents(t0, y0, p, times, loss);

        // forward pass with checkpoints
        int kCount = times.length;
        int[] ncheck = new int[1];
        double[][] ys = solver.outputs(t0, y0, times, ncheck);
        forwardDone(times[kCount - 1]);
        SolverStatistics forwardStats = solver.statistics();
        long checkpointHeap = checkpointHeap(ncheck[0], o);
        double[][] dY = new double[kCount][n];
        double[] dP = new double[p.length];
        double value = objective(t0, times, ys, p, loss, dY, dP);

        // backward pass with a jump at every output time
        DoubleBuffer lambda = lambdaView, mu = muView;
        lambda.put(0, dY[kCount - 1]);
        N_VConst(0.0, qB);
        double tcur = times[kCount - 1];
        backwardPass(tcur, t0);
        SolverStatistics backwardStats = null;
        for (int k = kCount - 2; k >= -1; k--) {
            double tnext = k >= 0 ? times[k] : t0;
            if (tnext < tcur && tcur - tnext < CvodesSolver.minFirstInterval(tnext, tcur)) {
                // outputs a few ulps apart: CVODES cannot start on the interval (CV_TOO_CLOSE)
                shortInterval(tcur, ys[k + 1], tnext, k >= 0 ? ys[k] : y0, lambda, mu);
            } else if (tnext < tcur) {
                backwardStats = integrateBackward(tcur, tnext, backwardStats);
            }
            if (k >= 0) for (int i = 0; i < n; i++) lambda.put(i, lambda.get(i) + dY[k][i]);
            tcur = tnext;
        }

        backwardDone(t0);
        double[] gp = new double[params.length];
        for (int j = 0; j < params.length; j++) gp[j] = mu.get(j) + dP[params[j]];
        double[] gy = new double[states.length];
        for (int i = 0; i < states.length; i++) gy[i] = lambda.get(states[i]);
        int checkpoints = ncheck[0];
        Solution sol = new Solution(times.clone(), ys, forwardStats);
        countSweeps();
        return new Gradient(value, gp, gy, params, states, SensitivityMethod.ADJOINT, sol, backwardStats, checkpoints,
                checkpointBytes(checkpoints, o), sweeps, pairs, null)
                .withAdjointHeap(checkpointHeap, interpolationHeap(o));
    }

    /** λ and μ across an interval too short for CVODES ({@link SensitivityCallbacks#heunBackward}). */
    private void shortInterval(double tcur, double[] ycur, double tnext, double[] ynext, DoubleBuffer lambda, DoubleBuffer mu) {
        double[] lam = new double[n], m = new double[params.length];
        lambda.get(0, lam);
        mu.get(0, m);
        String bad;
        try {
            bad = cb.heunBackward(tcur, ycur, tnext, ynext, lam, m);
        } catch (RuntimeException | Error e) {
            throw new CallbackException("the adjoint RHS (model VJP) threw " + e + " at t = " + tcur, 0, "CALLBACK_FAILED",
                    "DifferentiableOdeModel.vjp", tcur, SolverException.Phase.BACKWARD, "", e);
        }
        if (bad != null)
            throw new CallbackException("the adjoint across [" + tnext + ", " + tcur + "] gave " + bad, 0, "NON_FINITE_RESULT",
                    "DifferentiableOdeModel.vjp", tnext, SolverException.Phase.BACKWARD, "", null);
        lambda.put(0, lam);
        mu.put(0, m);
    }

    /**
     * The adjoint through events, in segments (the events' math is in {@link EventJumps}).
     *
     * <p>Pass 1 integrates forward through every event (root finding on) and keeps, for each
     * update, its time and the states on both sides: these are the segment boundaries, a first level
     * of checkpoints. The backward pass then takes the segments from last to first: it replays one
     * segment forward with {@code CVodeF} from its stored start state to its stored end time (root
     * finding off, the end a stop time, so the replay ends exactly at the event), integrates the
     * adjoint backward over it with a jump at each output inside, and at the segment's start adds
     * the outputs at that time (they see the post-event state) and applies the adjoint jumps of the
     * updates made there, last applied first. CVODES' own checkpoints therefore only ever cover one
     * segment: memory is that of the longest segment plus the boundary data (states and right-hand
     * sides on both sides of each event, O(n) per event),
     * however many events there are; the price is a second forward integration.
     */
    private Gradient throughEvents(double t0, double[] y0, double[] p, double[] times, OutputLoss loss) {
        EventLoop ev = solver.events;
        SolverOptions o = solver.options;
        EventLoop.Trace trace = ev.run(t0, y0, p, times, null, true, true, SolverException.Phase.FORWARD);
        GradientSolver.requireAllOutputs(trace, times);
        times = trace.outputTimes(times); // an output at Event.AT_STOP is at the stop time
        int kCount = times.length;
        forwardDone(times[kCount - 1]);
        double[][] dY = new double[kCount][n];
        double[] dP = new double[p.length];
        double value = objective(t0, times, trace.states, p, loss, dY, dP);

        java.util.List<EventLoop.Applied> applied = trace.applied;
        java.util.List<Segment> segs = Segment.between(t0, y0, trace.heldAtStart, applied, trace.states[kCount - 1]);
        int segments = segs.size();
        double tEnd = times[kCount - 1];

        ev.rootFinding(false);
        backwardPass(tEnd, t0);
        double[] lambda = new double[n], dpEvents = new double[p.length];
        DoubleBuffer lambdaData = lambdaView, mu = muView;
        N_VConst(0.0, qB);
        int k = kCount - 1, a = applied.size() - 1, checkpoints = 0;
        int[] ncheck = new int[1];
        long peak = 0, peakHeap = 0;
        SolverStatistics backwardStats = null;
        for (int j = segments - 1; j >= 0; j--) {
            Segment seg = segs.get(j);
            double ta = seg.start, tb = j + 1 < segments ? segs.get(j + 1).start : tEnd;
            if (ta < tb) {
                if (j == segments - 1) for (; k >= 0 && times[k] == tb; k--) add(lambda, dY[k]);
                if (seg.held != null) ev.hold(seg.held); // the forward replay and the adjoint see its branches
                // a segment of a few ulps (an output just after its event) is all short intervals: nothing to replay
                if (tb - ta >= CvodesSolver.minFirstInterval(ta, tb)) {
                    replaySegment(ta, seg.y, tb, ncheck);
                    checkpoints += ncheck[0];
                    peak = Math.max(peak, checkpointBytes(ncheck[0], o));
                    peakHeap = Math.max(peakHeap, checkpointHeap(ncheck[0], o));
                }
                double tcur = tb;
                double[] ycur = seg.end;
                while (true) {
                    double tnext = k >= 0 && times[k] > ta ? times[k] : ta;
                    double[] ynext = tnext == ta ? seg.y : trace.states[k];
                    lambdaData.put(0, lambda);
                    if (tcur - tnext < CvodesSolver.minFirstInterval(tnext, tcur)) {
                        // an output a few ulps from an event: CVODES cannot start on the interval (CV_TOO_CLOSE)
                        shortInterval(tcur, ycur, tnext, ynext, lambdaData, mu);
                    } else {
                        backwardStats = integrateBackward(tcur, tnext, backwardStats);
                    }
                    lambdaData.get(0, lambda);
                    tcur = tnext;
                    ycur = ynext;
                    if (tnext == ta) break;
                    add(lambda, dY[k--]);
                }
            }
            for (; k >= 0 && times[k] == ta; k--) add(lambda, dY[k]); // outputs at ta see y(ta⁺)
            for (; a >= 0 && applied.get(a).time() == ta; a--) {
                EventLoop.Applied u = applied.get(a);
                Event e = ev.events[u.event()];
                double d = ev.jumps.rate(e, ta, u.yMinus(), p, u.fMinus());
                ev.jumps.adjoint(e, ta, u.yMinus(), p, u.fMinus(), u.fPlus(), d, ev.jumps.integrandJump(e, ta, u.yMinus(), u.yPlus(), p),
                        lambda, dpEvents);
            }
        }

        backwardDone(t0);
        double[] gp = new double[params.length];
        for (int j = 0; j < params.length; j++) gp[j] = mu.get(j) + dpEvents[params[j]] + dP[params[j]];
        double[] gy = new double[states.length];
        for (int i = 0; i < states.length; i++) gy[i] = lambda[states[i]];
        long boundaryBytes = (long) (4 * applied.size() + segments) * n * Double.BYTES;
        countSweeps();
        return new Gradient(value, gp, gy, params, states, SensitivityMethod.ADJOINT, trace.solution(times), backwardStats,
                checkpoints, peak + boundaryBytes, sweeps, pairs, null)
                .withAdjointHeap(peakHeap, interpolationHeap(o));
    }

    /**
     * One stretch of {@link #throughEvents} between events: from {@code start} (t0 or a time updates
     * applied) in state {@code y} (the last update's y⁺ there) under the branches {@code held} a
     * piecewise model holds on it (null: none), to the state {@code end} it reaches (y(t⁻) at the
     * next segment's start, the last output's state for the last segment).
     */
    private static final class Segment {
        final double start;
        double[] y;
        boolean[] held;
        double[] end;

        private Segment(double start, double[] y, boolean[] held) {
            this.start = start;
            this.y = y;
            this.held = held;
        }

        /** The segments cut by pass 1's {@code applied} jumps, in time order; several at one time make one boundary. */
        static java.util.List<Segment> between(double t0, double[] y0, boolean[] heldAtStart, java.util.List<EventLoop.Applied> applied,
                                               double[] yLast) {
            java.util.List<Segment> segs = new java.util.ArrayList<>();
            Segment cur = new Segment(t0, y0, heldAtStart);
            segs.add(cur);
            for (EventLoop.Applied a : applied) {
                if (a.time() != cur.start) {
                    cur.end = a.yMinus();
                    cur = new Segment(a.time(), a.yPlus(), a.heldAfter());
                    segs.add(cur);
                } else {
                    cur.y = a.yPlus();
                    cur.held = a.heldAfter();
                }
            }
            cur.end = yLast;
            return segs;
        }
    }

    /** The loss after the forward pass: its integral part (the forward quadrature) plus the output loss, with its gradients. */
    private double objective(double t0, double[] times, double[][] ys, double[] p, OutputLoss loss, double[][] dY, double[] dP) {
        double value = 0;
        if (hasIntegrand() && times[times.length - 1] > t0) {
            solver.setup(CVodeGetQuad(solver.mem, new double[1], q), "CVodeGetQuad");
            value += N_VGetArrayPointer(q).get(0);
        }
        return value + GradientSolver.evaluateLoss(loss, times, ys, p, dY, dP);
    }

    /** Pass 2 of {@link #throughEvents}: {@code CVodeF} over one segment, from its start state to exactly {@code tb}. */
    private void replaySegment(double ta, double[] ya, double tb, int[] ncheck) {
        N_VGetArrayPointer(solver.y).put(ya);
        int flag = CVodeReInit(solver.mem, ta, solver.y);
        if (flag < 0) throw solver.failure(flag, "CVodeReInit", ta, SolverException.Phase.FORWARD);
        if (hasIntegrand()) {
            N_VConst(0.0, q); // its value came from pass 1; the replay only keeps CVODES consistent
            solver.setup(CVodeQuadReInit(solver.mem, q), "CVodeQuadReInit");
        }
        solver.setup(CVodeAdjReInit(solver.mem), "CVodeAdjReInit");
        solver.setup(CVodeSetStopTime(solver.mem, tb), "CVodeSetStopTime");
        double[] tret = new double[1];
        flag = solver.advanceF(tb, tret, ncheck);
        if (flag < 0) throw solver.failure(flag, "CVodeF", tret[0], SolverException.Phase.FORWARD);
        solver.setup(CVodeClearStopTime(solver.mem), "CVodeClearStopTime");
    }

    /** CVODES' memory of the backward problem (null before the first one exists). */
    private Pointer backwardMemory() {
        return which < 0 ? null : CVodeGetAdjCVodeBmem(solver.mem, which);
    }

    /**
     * Starts the backward pass's progress from {@code tEnd} down to {@code t0}; it follows the backward
     * solver only while {@link #integrateBackward} runs it, so segment replays through events report nothing.
     */
    private void backwardPass(double tEnd, double t0) {
        if (progress != null) progress.begin(GradientListener.Pass.BACKWARD, tEnd, t0, null, null);
    }

    private void backwardDone(double t0) {
        if (progress != null) progress.reached(t0);
    }

    private static void add(double[] to, double[] v) {
        for (int i = 0; i < to.length; i++) to[i] += v[i];
    }

    @Override
    ReplayStatistics replayStatistics() {
        return solver.replayStatistics(solver.bridge, bridgeB).withAdjoint(sweeps, pairs);
    }

    /** The run's reverse sweeps and backward pairs, Java's and the C side's, into {@link #sweeps} and {@link #pairs}. */
    private void countSweeps() {
        long[] c = solver.replay == null ? new long[2] : solver.replay.adjointCounters();
        sweeps = cb.reverseSweeps + c[0];
        pairs = cb.quadBCalls + c[1];
    }

    private static int maxOrder(SolverOptions o) {
        return o.maxOrder() > 0 ? o.maxOrder() : (o.method() == Method.BDF ? 5 : 12);
    }

    /** The heap CVODES' checkpoints hold now (see {@link Gradient#checkpointHeapBytes()}); -1 if unknown. */
    private long checkpointHeap(int checkpoints, SolverOptions o) {
        N_Vector quad = hasIntegrand() && so.quadratureErrorControl() ? q : null;
        return s4j_checkpoint_bytes(solver.mem, checkpoints, maxOrder(o), solver.y, quad);
    }

    /** {@link #interpolationHeap}, measured on the first gradient (null before). */
    private Long interpolationHeap;

    /**
     * The heap of the interpolation data points (see {@link Gradient#interpolationHeapBytes()}): fixed
     * by the options and the state's vector, all fixed for this engine's life, so measured once (the
     * measurement clones a vector).
     */
    private long interpolationHeap(SolverOptions o) {
        if (interpolationHeap == null) {
            boolean hermite = so.interpolation(o) == SensitivityOptions.Interpolation.HERMITE;
            interpolationHeap = s4j_datapoint_bytes(so.checkpointSteps(), hermite ? 1 : 0, solver.y);
        }
        return interpolationHeap;
    }

    /** CVODES' adjoint storage in doubles only (see {@link Gradient#checkpointBytes()}). */
    private long checkpointBytes(int checkpoints, SolverOptions o) {
        long perCheckpoint = (long) (maxOrder(o) + 1) * n * Double.BYTES;
        int vectorsPerPoint = so.interpolation(o) == SensitivityOptions.Interpolation.HERMITE ? 2 : 1;
        long interpolation = (long) (so.checkpointSteps() + 1) * vectorsPerPoint * n * Double.BYTES;
        return checkpoints * perCheckpoint + interpolation;
    }

    private SolverException backwardFailure(int flag, String function) {
        double t = Double.NaN;
        try {
            Pointer memB = CVodeGetAdjCVodeBmem(solver.mem, which);
            double[] tc = new double[1];
            if (memB != null && !memB.isNull() && CVodeGetCurrentTime(memB, tc) == CV_SUCCESS) t = tc[0];
        } catch (RuntimeException ignored) {
            // the time is a nicety; the flag is what matters
        }
        SolverException.Phase phase = cb.failureSite != null && cb.failureSite.contains("quadrature")
                ? SolverException.Phase.QUADRATURE : SolverException.Phase.BACKWARD;
        return solver.failure(flag, function, t, phase);
    }

}
