package org.sundials4j.ode;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import java.lang.ref.Cleaner;
import java.util.Objects;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.sundials4j.internal.Flags;
import org.sundials4j.internal.Glue;
import org.sundials4j.internal.NativeOwner;
import org.sundials4j.internal.cvodes.N_Vector;
import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.internal.cvodes.S4jErkSens;
import org.sundials4j.internal.cvodes.SUNContext_;
import org.sundials4j.internal.cvodes.SUNLinearSolver;
import org.sundials4j.internal.cvodes.SUNMatrix;
import org.sundials4j.internal.cvodes.SUNNonlinearSolver;

/**
 * A CVODES integrator for one model and one set of options. It owns all native memory of the solve
 * (context, vectors, matrix, linear solver, integrator) and frees it in {@link #close()}; a
 * {@link Cleaner} frees it too if the solver is dropped unclosed, but that is a safety net only.
 *
 * <pre>{@code
 * try (CvodesSolver s = new CvodesSolver(model, SolverOptions.defaults().withRtol(1e-8))) {
 *     Solution sol = s.solve(y0, params, new double[] {1, 2, 3});
 * }
 * }</pre>
 *
 * <p>A solver can be reused for many solves (with different y0, parameters and output times), and
 * a reused solver answers bit for bit what a fresh one answers. It is not meant to be used by two
 * threads at once, and its methods are synchronized to keep a mistake from corrupting native
 * memory. Different solvers run concurrently without restriction.
 *
 * <p>Lifecycle and re-entrancy: a callback of this solver (the model's RHS or Jacobian) must not
 * call {@link #solve} or {@link #close()} on this same solver; both throw
 * {@link IllegalStateException} there (so the solve ends with a {@link CallbackException} whose
 * cause it is) and the solver stays intact. Other solvers may be used from a callback.
 * {@link #cancel()}, {@link Thread#interrupt()}, {@code close()} from another thread and
 * {@link SolverOptions#withTimeLimit} stop a running solve at its next callback with a
 * {@link SolverCancelledException}.
 */
public final class CvodesSolver implements AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();

    final OdeModel model;
    final SolverOptions options;
    private final LinearSolver linearSolver;
    final int n;
    final ModelCallbacks callbacks;
    final NativeOwner owner = new NativeOwner();
    private final Cleaner.Cleanable cleanable;

    final SUNContext_ ctx;
    final S4jBridge bridge;
    /** The native replay of a tape model's callbacks, or null (every callback in Java). */
    final NativeReplay replay;
    final N_Vector y;
    /** The integrator memory: CVODES', or ARKODE ERKStep's for {@link Method#ERK} ({@link #erk}). */
    final Pointer mem;
    /** Whether {@link #mem} is an ERKStep memory (sundials4j_erk.h) rather than CVODES'. */
    final boolean erk;
    /** The integration through the model's events; null for a model without events. */
    final EventLoop events;
    /** One run at a time, no re-entry from a callback, close() that stops a run (see {@link RunGuard}). */
    private final RunGuard guard;
    /** 13 doubles the glue fills with every counter at once (a staging buffer, made up front). */
    private final java.nio.DoubleBuffer statsView;
    /** What a run leaves for Java (S4jRun.io): pending event time, time reached, last step, outputs done, checkpoints. */
    private final java.nio.DoubleBuffer runIo;

    public CvodesSolver(OdeModel model, SolverOptions options) {
        this(model, options, ModelCallbacks::new);
    }

    /** For subclasses of the facade that extend the callbacks (sensitivities). */
    CvodesSolver(OdeModel model, SolverOptions options, java.util.function.Function<OdeModel, ? extends ModelCallbacks> cb) {
        Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.model = Objects.requireNonNull(model.forSolver(), "model.forSolver()");
        this.n = this.model.stateCount();
        if (n <= 0) throw new IllegalArgumentException("model.stateCount() must be positive, got " + n);
        if (this.model.parameterCount() < 0)
            throw new IllegalArgumentException("model.parameterCount() must be >= 0, got " + this.model.parameterCount());
        if (!options.scalarAtol() && options.atol().length != n)
            throw new IllegalArgumentException("atol has " + options.atol().length + " entries but the model has " + n + " states");
        this.erk = options.method() == Method.ERK;
        if (erk && !this.model.events().isEmpty())
            throw new IllegalArgumentException("Method.ERK does not handle events (the model has " + this.model.events().size()
                    + "); use Method.BDF or Method.ADAMS");
        this.linearSolver = options.linearSolver().resolve(this.model);
        checkLinearSolver();
        this.callbacks = cb.apply(this.model);
        this.guard = new RunGuard(this, callbacks.control, "solver", "a callback");
        loadNatives();
        this.cleanable = CLEANER.register(this, owner);
        try {
            this.ctx = owner.own(newContext(), c -> SUNContext_Free(c));
            long id = owner.own(Glue.register(callbacks), Glue::unregister);
            this.bridge = owner.own(allocated(s4j_bridge_new(id, n), "the callback bridge (s4j_bridge_new)"), b -> s4j_bridge_free(b));
            setup(s4j_bridge_route_errors(bridge, ctx), "SUNContext_PushErrHandler");
            this.replay = NativeReplay.create(this.model, owner);
            if (replay != null) replay.lendTo(bridge);
            callbacks.yBuf = stage(Glue.BUF_Y, n);
            callbacks.ydotBuf = stage(Glue.BUF_YDOT, n);
            this.statsView = stage(Glue.BUF_STATS, 13);
            this.runIo = allocated(s4j_run_io(bridge), "s4j_run_io").capacity(5).asBuffer();
            this.y = owner.own(newVector(n, "the state vector"), v -> N_VDestroy(v));
            if (erk) {
                this.mem = newErk(null, y);
                setup(options.scalarAtol() ? s4j_erk_ss_tolerances(mem, options.rtol(), options.atol()[0])
                        : s4j_erk_sv_tolerances(mem, options.rtol(), ownedVector(options.atol(), "the absolute tolerances")),
                        "ARKodeSVtolerances");
            } else {
                this.mem = owner.own(allocated(CVodeCreate(options.method() == Method.BDF ? CV_BDF : CV_ADAMS, ctx),
                        "the CVODES integrator memory (CVodeCreate)"), m -> CVodeFree(m));
                setup(CVodeInit(mem, Glue.RHS, 0.0, y), "CVodeInit");
                setup(CVodeSetUserData(mem, bridge), "CVodeSetUserData");
                applyOptions();
            }
            if (erk) {
                // explicit: no nonlinear or linear solver
            } else if (fixedPoint()) {
                setup(CVodeSetNonlinearSolver(mem, newFixedPoint(y, 0)), "CVodeSetNonlinearSolver");
            } else {
                attachLinearSolver();
            }
            this.events = this.model.events().isEmpty() ? null : new EventLoop(this, this.model.events());
        } catch (RuntimeException | Error e) {
            cleanable.clean();
            throw e;
        }
    }

    /**
     * Loads the JNI library and installs the callback entry point, the one object JavaCPP allocates
     * with its own memory accounting: under its physical-memory limit (by default twice the maximum
     * heap) that fails, and the failure is named here rather than surfacing as a bare error.
     */
    private static void loadNatives() {
        try {
            Glue.init();
        } catch (OutOfMemoryError | ExceptionInInitializerError | NoClassDefFoundError e) {
            throw new SolverException("loading the native library and its callback entry point failed: " + e
                    + " (JavaCPP's physical-memory limit, org.bytedeco.javacpp.maxPhysicalBytes, defaults to twice -Xmx)",
                    CV_MEM_FAIL, "CV_MEM_FAIL", "Glue.init", Double.NaN, SolverException.Phase.SETUP, "", e);
        }
    }

    /**
     * A native allocation that returned NULL becomes a typed exception naming what was being
     * allocated (never a NULL handed on to SUNDIALS, which would dereference it).
     */
    static <T extends Pointer> T allocated(T p, String what) {
        if (p == null || p.isNull())
            throw new SolverException("out of native memory allocating " + what, CV_MEM_FAIL, "CV_MEM_FAIL", what,
                    Double.NaN, SolverException.Phase.SETUP, "", null);
        return p;
    }

    /** An N_Vector of {@code len} entries on this solver's context (not yet owned). */
    N_Vector newVector(long len, String what) {
        return allocated(N_VNew_Serial(len, ctx), what + " (" + len + " doubles)");
    }

    /** A vector of {@code values} owned by this solver. */
    N_Vector ownedVector(double[] values, String what) {
        N_Vector v = owner.own(newVector(values.length, what), x -> N_VDestroy(x));
        N_VGetArrayPointer(v).put(values);
        return v;
    }

    /**
     * An ERKStep memory owned by this solver on the options' table, for vectors like {@code template}:
     * the state system ({@code sens == null}) or the augmented sensitivity system of {@code sens}, with
     * the options' step limits; tolerances are the caller's.
     */
    Pointer newErk(S4jErkSens sens, N_Vector template) {
        Pointer m = owner.own(allocated(s4j_erk_create(bridge, sens, options.erkTable().ordinal(), 0.0, template, ctx),
                "the ARKODE ERKStep memory (ERKStepCreate)"), x -> s4j_erk_free(x));
        setup(s4j_erk_set_max_steps(m, options.maxSteps()), "ARKodeSetMaxNumSteps");
        if (options.minStep() > 0) setup(s4j_erk_set_min_step(m, options.minStep()), "ARKodeSetMinStep");
        if (options.maxStep() > 0) setup(s4j_erk_set_max_step(m, options.maxStep()), "ARKodeSetMaxStep");
        return m;
    }

    private static SUNContext_ newContext() {
        SUNContext_ c = new SUNContext_();
        int e = SUNContext_Create(SUN_COMM_NULL, c);
        if (e != 0 || c.isNull()) throw new IllegalStateException("SUNContext_Create failed with SUNErrCode " + e);
        return c;
    }

    private void checkLinearSolver() {
        LinearSolver ls = linearSolver;
        switch (ls.kind()) {
            case BAND, LAPACK_BAND -> {
                if (ls.upperBandwidth() >= n || ls.lowerBandwidth() >= n)
                    throw new IllegalArgumentException("band widths (upper " + ls.upperBandwidth() + ", lower "
                            + ls.lowerBandwidth() + ") must be < the state count " + n);
            }
            case GMRES -> {
                // GMRES converges in at most n iterations, and its memory grows as maxl * (n + maxl):
                // a larger Krylov dimension only costs memory (824 MiB for maxl = 10,000 at n = 3)
                if (ls.krylovDimension() > n)
                    throw new IllegalArgumentException("gmres maxl = " + ls.krylovDimension()
                            + " exceeds the state count " + n + " (GMRES needs at most n Krylov vectors)");
            }
            case KLU -> {
                if (ls.pattern().size() != n)
                    throw new IllegalArgumentException("KLU sparsity pattern is " + ls.pattern().size() + "x"
                            + ls.pattern().size() + " but the model has " + n + " states");
                if (!model.hasJacobian())
                    throw new IllegalArgumentException("KLU needs a model that supplies its Jacobian (hasJacobian() is false)");
            }
            default -> { }
        }
    }

    /** Allocates a staging buffer in the bridge and returns a Java view on it. */
    java.nio.DoubleBuffer stage(int which, long len) {
        return stage(bridge, which, len);
    }

    /** Allocates a staging buffer in bridge {@code b} and returns a Java view on it. */
    static java.nio.DoubleBuffer stage(S4jBridge b, int which, long len) {
        DoublePointer p = allocated(s4j_bridge_alloc(b, which, len), "a staging buffer of " + len + " doubles");
        return p.capacity(Math.max(len, 1)).asBuffer();
    }

    private void applyOptions() {
        double rtol = options.rtol();
        if (options.scalarAtol()) {
            setup(CVodeSStolerances(mem, rtol, options.atol()[0]), "CVodeSStolerances");
        } else {
            N_Vector abstol = owner.own(newVector(n, "the absolute tolerances"), v -> N_VDestroy(v));
            N_VGetArrayPointer(abstol).put(options.atol());
            setup(CVodeSVtolerances(mem, rtol, abstol), "CVodeSVtolerances");
        }
        setup(CVodeSetMaxNumSteps(mem, options.maxSteps()), "CVodeSetMaxNumSteps");
        if (options.maxOrder() > 0) setup(CVodeSetMaxOrd(mem, options.maxOrder()), "CVodeSetMaxOrd");
        if (options.minStep() > 0) setup(CVodeSetMinStep(mem, options.minStep()), "CVodeSetMinStep");
        if (options.maxStep() > 0) setup(CVodeSetMaxStep(mem, options.maxStep()), "CVodeSetMaxStep");
    }

    private void attachLinearSolver() {
        LinearSystem sys = newLinearSystem(linearSolver, y, bridge);
        callbacks.jacobian = sys.writer();
        setupLs(CVodeSetLinearSolver(mem, sys.solver(), sys.matrix()), "CVodeSetLinearSolver");
        if (sys.writer() != null) setupLs(CVodeSetJacFn(mem, Glue.JAC), "CVodeSetJacFn");
    }

    /** Whether the steps use fixed-point iteration (then no linear solver is attached). */
    boolean fixedPoint() {
        return options.nonlinearSolver().isFixedPoint(options.method());
    }

    /**
     * A fixed-point nonlinear solver owned by this solver, for vectors like {@code template}:
     * {@code SUNNonlinSol_FixedPoint} when {@code sensCount == 0}, else {@code SUNNonlinSol_FixedPointSens}
     * over {@code sensCount} vectors (the simultaneous and staggered sensitivity correctors).
     */
    SUNNonlinearSolver newFixedPoint(N_Vector template, int sensCount) {
        int m = options.nonlinearSolver().resolve(options.method()).accelerationVectors();
        SUNNonlinearSolver nls = sensCount == 0 ? SUNNonlinSol_FixedPoint(template, m, ctx)
                : SUNNonlinSol_FixedPointSens(sensCount, template, m, ctx);
        if (nls == null || nls.isNull()) throw new IllegalStateException("creating the fixed-point nonlinear solver failed");
        return owner.own(nls, x -> SUNNonlinSolFree(x));
    }

    /** A matrix, the linear solver on it, and the writer for the Jacobian staging buffer (null: none). */
    record LinearSystem(SUNMatrix matrix, SUNLinearSolver solver, StagedJacobian writer) {}

    /**
     * Creates the matrix and linear solver of {@code ls} for vectors like {@code template}, owned by
     * this solver, and, when the model supplies a Jacobian, the staging buffer of {@code b} in the
     * matching layout.
     */
    LinearSystem newLinearSystem(LinearSolver ls, N_Vector template, S4jBridge b) {
        SUNMatrix a = null;
        SUNLinearSolver solver;
        StagedJacobian writer = null;
        int mu = ls.upperBandwidth(), ml = ls.lowerBandwidth();
        switch (ls.kind()) {
            case DENSE, LAPACK_DENSE -> {
                a = owner.own(allocated(SUNDenseMatrix(n, n, ctx), "the dense " + n + "x" + n + " Newton matrix"), m -> SUNMatDestroy(m));
                solver = ls.kind() == LinearSolver.Kind.DENSE ? SUNLinSol_Dense(template, a, ctx) : SUNLinSol_LapackDense(template, a, ctx);
                if (model.hasJacobian()) {
                    writer = new StagedJacobian.Dense(stage(b, Glue.BUF_JAC, (long) n * n), n);
                    s4j_bridge_dense_jac(b);
                }
            }
            case BAND, LAPACK_BAND -> {
                a = owner.own(allocated(SUNBandMatrix(n, mu, ml, ctx), "the band Newton matrix (n " + n + ", upper " + mu
                        + ", lower " + ml + ")"), m -> SUNMatDestroy(m));
                solver = ls.kind() == LinearSolver.Kind.BAND ? SUNLinSol_Band(template, a, ctx) : SUNLinSol_LapackBand(template, a, ctx);
                if (model.hasJacobian()) {
                    writer = new StagedJacobian.Band(stage(b, Glue.BUF_JAC, (long) n * (mu + ml + 1)), n, mu, ml);
                    s4j_bridge_band_jac(b, mu, ml);
                }
            }
            case KLU -> {
                SparsityPattern pat = ls.pattern();
                a = owner.own(allocated(SUNSparseMatrix(n, n, pat.nonZeros(), CSC_MAT, ctx), "the sparse Newton matrix (n " + n
                        + ", " + pat.nonZeros() + " nonzeros)"), m -> SUNMatDestroy(m));
                solver = SUNLinSol_KLU(template, a, ctx);
                writer = new StagedJacobian.Sparse(stage(b, Glue.BUF_JAC, pat.nonZeros()), pat);
                setup(s4j_bridge_sparse_jac(b, toLong(pat.colStart()), toLong(pat.rowIndex()), pat.nonZeros()),
                        "s4j_bridge_sparse_jac");
            }
            case GMRES -> solver = SUNLinSol_SPGMR(template, SUN_PREC_NONE, ls.krylovDimension(), ctx);
            default -> throw new AssertionError(ls.kind());
        }
        owner.own(allocated(solver, "the " + ls + " linear solver"), x -> SUNLinSolFree(x));
        return new LinearSystem(a, solver, writer);
    }

    private static long[] toLong(int[] a) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) r[i] = a[i];
        return r;
    }

    /**
     * Reports the progress of later solves to {@code listener} (null: none); see {@link SolveListener}.
     */
    public synchronized void setListener(SolveListener listener) {
        checkOpen();
        countSteps();
        callbacks.listener = listener;
        callbacks.steps = () -> stepCount(mem);
    }

    private org.bytedeco.javacpp.CLongPointer stepsOut;

    /** Readies {@link #stepCount}: its result buffer is allocated here, once, never in a callback. */
    void countSteps() {
        if (stepsOut == null) stepsOut = owner.own(new org.bytedeco.javacpp.CLongPointer(1), Pointer::close);
    }

    /**
     * CVODES' step count of {@code mem} (this solver's memory or one of its backward problems'), for
     * progress reports; 0 when it cannot say (no memory yet), since a gradient pass sums the counts of
     * its solvers. Needs {@link #countSteps} first.
     */
    long stepCount(Pointer mem) {
        if (erk) return mem != null && !mem.isNull() && s4j_erk_stats_to(mem, bridge, 0) == 0 ? (long) statsView.get(0) : 0;
        return mem != null && !mem.isNull() && CVodeGetNumSteps(mem, stepsOut) == CV_SUCCESS ? stepsOut.get() : 0;
    }

    /** Solves from {@code t0 = 0}. */
    public Solution solve(double[] y0, double[] params, double[] outputTimes) {
        return solve(0.0, y0, params, outputTimes);
    }

    /**
     * Integrates from {@code (t0, y0)} with parameters {@code params} and returns the states at
     * {@code outputTimes}, which must be finite, strictly increasing and not before {@code t0}
     * (an output at exactly {@code t0} returns {@code y0}, after any events scheduled at {@code t0}).
     * The model's {@link OdeModel#events() events} fire on the way ({@link Solution#events()}).
     *
     * @throws IllegalArgumentException on wrong lengths, NaN/infinite input or bad time order
     * @throws CallbackException        if the model threw or kept returning NaN/infinity
     * @throws SolverException          if CVODES failed (flag name, function and time reached inside)
     * @throws IllegalStateException    after {@link #close()}
     */
    public synchronized Solution solve(double t0, double[] y0, double[] params, double[] outputTimes) {
        return guard.run("solve()", options.timeLimitNanos(), () -> {
            checkInputs(t0, y0, params, outputTimes);
            begin(t0, y0, params);
            return continueSolve(t0, y0, outputTimes);
        });
    }

    /**
     * Stops the solve in progress (on any thread) at its next callback, which then ends in a
     * {@link SolverCancelledException}; the solver stays usable. Without a solve in progress it
     * does nothing (a cancel does not carry over to the next solve). Safe to call from any thread.
     */
    public void cancel() {
        callbacks.control.cancel();
    }

    /** Integrates to the output times after {@link #begin} (inputs already checked). */
    synchronized Solution continueSolve(double t0, double[] y0, double[] outputTimes) {
        if (events != null)
            return events.run(t0, y0, callbacks.p, outputTimes, null, false, false, SolverException.Phase.FORWARD).solution(outputTimes);
        if (callbacks.listener == null) return new Solution(outputTimes.clone(), outputs(t0, y0, outputTimes, null), statistics());
        double[][] states = new double[outputTimes.length][];
        double[] tret = new double[1];
        DoublePointer yData = N_VGetArrayPointer(y);
        for (int k = 0; k < outputTimes.length; k++) {
            double tout = outputTimes[k];
            if (tout == t0) {
                states[k] = y0.clone();
                continue;
            }
            int flag = advance(tout, tret);
            if (flag < 0) throw failure(flag, erk ? ERK_EVOLVE : "CVode", tret[0], SolverException.Phase.FORWARD);
            states[k] = new double[n];
            yData.get(states[k]);
            checkFinite(states[k], erk ? ERK_EVOLVE : "CVode", tout, SolverException.Phase.FORWARD);
            callbacks.listener.progress(tret[0], callbacks.steps.getAsLong());
        }
        return new Solution(outputTimes.clone(), states, statistics());
    }

    /**
     * The states at {@code outputTimes} from {@code (t0, y0)} (after {@link #begin}), all outputs in
     * one native run ({@code s4j_run_outputs}), so a run with many outputs pays one JNI call, not one
     * per output: {@code CVode} calls, or {@code CVodeF} storing checkpoints when {@code ncheck} is
     * given (its count lands in {@code ncheck[0]}). An output at t0 is y0. Failures read as they do
     * output by output: the run stops at a failed call or at a state that is not finite.
     */
    double[][] outputs(double t0, double[] y0, double[] outputTimes, int[] ncheck) {
        if (erk) return erkOutputs(mem, y, t0, y0, outputTimes, SolverException.Phase.FORWARD);
        return outputs(t0, y0, outputTimes, ncheck, null, SolverException.Phase.FORWARD);
    }

    /**
     * Where a run of {@link #outputs} copies the forward sensitivities it reads at each output time
     * ({@code CVodeGetSens} into CVODES' {@code count} vectors, in the same native run): sensitivity
     * j at output k is {@code into[(k * count + j) * n ...]}, one flat array (a 3-level array cost an
     * allocation per output and sensitivity). An output at t0 is left to the caller.
     */
    record SensitivityReadout(PointerPointer vectors, int count, double[] into) {}

    /**
     * {@link #outputs(double, double[], double[], int[])} reading forward sensitivities too when
     * {@code sens} is given; failures are reported in {@code phase}.
     */
    double[][] outputs(double t0, double[] y0, double[] outputTimes, int[] ncheck, SensitivityReadout sens,
                       SolverException.Phase phase) {
        int checkpoints = ncheck == null ? 0 : 1;
        // a run that never stepped answered y0 at the first output and failed "too far back" at the
        // next (CVode), or failed at the first with CV_BAD_T (CVodeF)
        return runOutputs(t0, y0, outputTimes, ncheck == null ? "CVode" : "CVodeF", phase, true, (times, nt) -> {
            int flag = serve(sens == null ? s4j_run_outputs(bridge, mem, y, times, nt, checkpoints)
                    : s4j_run_outputs_sens(bridge, mem, y, times, nt, checkpoints, sens.vectors(), sens.count()));
            if (ncheck != null) ncheck[0] = (int) runIo.get(4);
            return flag;
        }, (all, first) -> s4j_run_copy_outputs(bridge, all, sens == null ? null : sens.into(),
                sens == null ? 0 : (long) first * sens.count() * n), () -> {
            if (sens != null && s4j_run_sens_flag(bridge) < 0) setup(s4j_run_sens_flag(bridge), "CVodeGetSens");
        });
    }

    /**
     * {@link #outputs} for an ERKStep memory {@code m} whose vector {@code v} starts at {@code v0}
     * (after the caller's re-initialisation): every output reached as a stop time in one native
     * run, each output's full vector (the augmented system's too); an output at t0 is v0.
     */
    double[][] erkOutputs(Pointer m, N_Vector v, double t0, double[] v0, double[] outputTimes, SolverException.Phase phase) {
        return runOutputs(t0, v0, outputTimes, ERK_EVOLVE, phase, false, (times, nt) -> serve(s4j_erk_run_outputs(bridge, m, v, times, nt)),
                (all, first) -> s4j_erk_copy_outputs(bridge, all), () -> {});
    }

    /** One native output run: its flag, for the output times after t0 ({@code nt} of them). */
    private interface OutputRun {
        int run(double[] times, int nt);
    }

    /** Copies a finished run's states into {@code all} (and what else it read; {@code first}: 1 when output 0 was t0). */
    private interface OutputCopy {
        void copy(double[] all, int first);
    }

    /**
     * What {@link #outputs} and {@link #erkOutputs} share around their native run: output 0 at t0 is
     * {@code v0} (only the first output may be t0: they are strictly increasing); a run that made no
     * step is {@link #STALLED} ({@code badTStalls}: CVODES' {@code CV_BAD_T} counts as that too); the
     * states done come back in one copy of {@code v0.length} values each; the run stops at the first
     * state that is not finite, so only the last one done is checked; {@code afterCheck} runs before a
     * failed run's flag is thrown.
     */
    private double[][] runOutputs(double t0, double[] v0, double[] outputTimes, String function, SolverException.Phase phase,
                                  boolean badTStalls, OutputRun run, OutputCopy copy, Runnable afterCheck) {
        int len = v0.length;
        double[][] states = new double[outputTimes.length][];
        int first = outputTimes[0] == t0 ? 1 : 0;
        if (first == 1) states[0] = v0.clone();
        int nt = outputTimes.length - first;
        if (nt == 0) return states;
        double[] times = first == 0 ? outputTimes : java.util.Arrays.copyOfRange(outputTimes, 1, outputTimes.length);
        int flag = run.run(times, nt);
        if ((flag >= 0 || flag == CV_ILL_INPUT || (badTStalls && flag == CV_BAD_T)) && madeNoStep())
            throw failure(STALLED, function, times[0], phase);
        int done = (int) runIo.get(3);
        double[] all = new double[done * len];
        if (done > 0) copy.copy(all, first);
        for (int k = 0; k < done; k++) states[first + k] = java.util.Arrays.copyOfRange(all, k * len, (k + 1) * len);
        if (done > 0) checkFinite(states[first + done - 1], function, times[done - 1], phase);
        afterCheck.run();
        if (flag < 0) throw failure(flag, function, runIo.get(1), phase);
        return states;
    }

    static final String ERK_EVOLVE = "ARKodeEvolve";

    /** The time ERKStep memory {@code m} has reached (NaN if it cannot say), for progress reports. */
    double erkCurrentTime(Pointer m) {
        return m != null && !m.isNull() && s4j_erk_stats_to(m, bridge, 0) == 0 ? statsView.get(11) : Double.NaN;
    }

    // ---- The only CVODES calls that run callbacks: every integration goes through these. ----

    // They run CVODES on the bridge's own stack and serve its callbacks here (see Glue.serve):
    // a Java->C call per callback costs a fraction of a C->Java one.

    /** {@code CVode(mem, tout, y, tret, CV_NORMAL)}; {@link #STALLED} if it did not move. */
    int advance(double tout, double[] tret) {
        int flag = serve(erk ? s4j_erk_run_outputs(bridge, mem, y, new double[] {tout}, 1) : s4j_run_cvode(bridge, mem, y, tout));
        tret[0] = runIo.get(1);
        return stalled(flag);
    }

    /** {@code CVodeF(mem, tout, y, tret, CV_NORMAL, ncheck)}: forward pass storing checkpoints. */
    int advanceF(double tout, double[] tret, int[] ncheck) {
        int flag = serve(s4j_run_cvodef(bridge, mem, y, tout));
        tret[0] = runIo.get(1);
        ncheck[0] = (int) runIo.get(4);
        return stalled(flag);
    }

    /** Our flag (outside CVODES' range) for a run that reported success without moving; see {@link #stalled}. */
    static final int STALLED = -1000;
    /** CVODES' last step size after the last forward run (for the STALLED message). */
    private double lastStep;
    /** The largest |y0_i| of the run and its index, for the STALLED message. */
    private double runY0Max, runT0;
    private int runY0Index;

    /**
     * CVODES can answer without having moved: when its initial step estimate comes out 0 (the bound
     * {@code max |f_i(t0, y0)| / (rtol |y0_i| + atol_i)} overflows, e.g. y0 near 1e300 beside a zero
     * component) it takes a step of size 0, and then CVode "interpolates" at tout from t0 and
     * returns y0 as y(tout) with CV_SUCCESS, CVodeF fails with CV_BAD_T. A successful step always
     * has a positive size, so a last step that is not positive after either answer means no step
     * was made; both become {@link #STALLED}.
     */
    private int stalled(int flag) {
        return (flag == CV_SUCCESS || flag == CV_BAD_T) && madeNoStep() ? STALLED : flag;
    }

    /** Whether the last forward run's last step (CVODES' hu, read by the run itself) is 0 or NaN: no step was made. */
    private boolean madeNoStep() {
        lastStep = runIo.get(2);
        return !(lastStep > 0 || lastStep < 0);
    }

    /**
     * Backward problem {@code which} from {@code tB0} (restarted there from {@code yB} and, when not
     * null, its quadrature {@code qB}, unless {@code restart} is false: just created there) down to
     * {@code tBout}, yB and qB read back and its counters into the stats buffer, in one native run
     * ({@code s4j_run_backward}). Returns 0 or the flag of the failed call, which {@link #failedCall} names.
     */
    int backwardInterval(int which, double tB0, double tBout, N_Vector yB, N_Vector qB, boolean restart, boolean hasLs) {
        return serve(s4j_run_backward(bridge, mem, which, tB0, tBout, yB, qB, restart ? 1 : 0, hasLs ? 1 : 0));
    }

    /** Which call of the last {@link #backwardInterval} failed (S4J_BWD_* in sundials4j_glue.h). */
    int failedCall() {
        return s4j_run_failed_call(bridge);
    }

    private int serve(int started) {
        return Glue.serve(bridge, runIo, callbacks, started);
    }

    /**
     * A safety net behind the input checks: CVODES reported success, but the states are not
     * finite (it has happened with a first step that underflowed). Never returned as an answer.
     */
    final void checkFinite(double[] v, String function, double t, SolverException.Phase phase) {
        for (int i = 0; i < v.length; i++)
            if (!Double.isFinite(v[i]))
                throw new SolverException(function + " returned y[" + i + "] = " + v[i] + " at t = " + t
                        + " although it reported success; the answer is not usable", 0, "NON_FINITE_RESULT", function, t, phase,
                        solverMessage(), null);
    }

    /** Holds the branches of a piecewise model ({@link OdeModel#holdBranches}) in Java and in the native replay. */
    final void holdBranches(boolean[] sides) {
        model.holdBranches(sides);
        if (replay != null) replay.branches(sides);
    }

    /**
     * Loads y0 and parameters and re-initialises CVODES at t0 (counters restart). The initial step
     * is set again every time: the adjoint's recomputation between checkpoints sets the forward
     * memory's initial step to the one its first run used ({@code CVAckpntGet}), and CVodeReInit
     * keeps it, so without this a reused solver would start the next run with the last run's step
     * and answer differently from a fresh one.
     */
    void begin(double t0, double[] y0, double[] params) {
        prepare(t0, y0, params);
        if (erk) {
            restartErk(mem, null, t0, y, y0, params);
            return;
        }
        // path counters, error message, replay parameters, initial step, y0 and CVodeReInit in one native call
        int flag = s4j_begin(bridge, mem, y, t0, y0, options.initialStep(), replay != null ? params : null);
        if (flag < 0) {
            if (s4j_begin_failed_call(bridge) == 0) setup(flag, "CVodeSetInitStep");
            throw failure(flag, "CVodeReInit", t0, SolverException.Phase.SETUP);
        }
    }

    /**
     * {@link #begin} for ERKStep memory {@code m} (of {@code sens}, null for the state system): its
     * vector {@code v} = {@code v0} at t0, counters at 0, in one native call with the bridge's
     * counters, error message and the replay's parameters ({@code s4j_erk_begin}).
     */
    void restartErk(Pointer m, S4jErkSens sens, double t0, N_Vector v, double[] v0, double[] params) {
        int flag = s4j_erk_begin(bridge, m, sens, v, t0, v0, options.initialStep(), replay != null ? params : null);
        if (flag < 0) {
            if (s4j_begin_failed_call(bridge) == 0) setup(flag, "ARKodeSetInitStep");
            throw failure(flag, "ERKStepReInit", t0, SolverException.Phase.SETUP);
        }
    }

    /**
     * The Java side of a run's start: parameters of the Java callbacks, the replay's recording,
     * cleared failures, and the figures of the STALLED message (the native side is s4j_begin's or
     * s4j_erk_begin's).
     */
    void prepare(double t0, double[] y0, double[] params) {
        callbacks.setParameters(params);
        if (replay != null) replay.refresh(); // before s4j_begin sets the parameters: an upload brings the recording's
        callbacks.clearFailure();
        runT0 = t0;
        runY0Max = -1;
        for (int i = 0; i < y0.length; i++)
            if (Math.abs(y0[i]) > runY0Max) {
                runY0Max = Math.abs(y0[i]);
                runY0Index = i;
            }
    }

    /**
     * The smallest first output interval {@code t - t0} CVODES can start on: above its own
     * "too close" test ({@code 2 uround max(|t0|, |t|)}, with a margin), and large enough that its
     * first-step estimate (about {@code uround·(t - t0)}) is a normal number; below about 1e-289 it
     * underflows and CVODES has answered NaN as a success.
     */
    static double minFirstInterval(double t0, double t) {
        return Math.max(4 * Math.ulp(1.0) * Math.max(Math.abs(t0), Math.abs(t)), 0x1p-960);
    }

    void checkInputs(double t0, double[] y0, double[] params, double[] outputTimes) {
        Objects.requireNonNull(y0, "y0");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(outputTimes, "outputTimes");
        if (!Double.isFinite(t0)) throw new IllegalArgumentException("t0 must be finite, got " + t0);
        checkVector("y0", y0, n);
        checkVector("params", params, model.parameterCount());
        if (outputTimes.length == 0) throw new IllegalArgumentException("outputTimes is empty");
        double prev = t0;
        for (int k = 0; k < outputTimes.length; k++) {
            double t = outputTimes[k];
            if (t == Event.AT_STOP && k == outputTimes.length - 1 && events != null && events.hasStop()) break;
            if (!Double.isFinite(t))
                throw new IllegalArgumentException("outputTimes[" + k + "] is not finite: " + t + (t == Event.AT_STOP
                        ? " (Event.AT_STOP is allowed as the last output time of a model with a stop event)" : ""));
            if (k == 0 ? t < t0 : t <= prev)
                throw new IllegalArgumentException("outputTimes must be strictly increasing and >= t0 = " + t0
                        + ": outputTimes[" + k + "] = " + t + " after " + (k == 0 ? "t0" : "outputTimes[" + (k - 1) + "] = " + prev));
            if (prev == t0 && t > t0 && t - t0 < minFirstInterval(t0, t))
                throw new IllegalArgumentException("outputTimes[" + k + "] = " + t + " is too close to t0 = " + t0
                        + " for CVODES to start (distance " + (t - t0) + ", at least " + minFirstInterval(t0, t) + " needed)");
            prev = t;
        }
    }

    static void checkVector(String name, double[] v, int expected) {
        if (v.length != expected)
            throw new IllegalArgumentException(name + " has length " + v.length + ", expected " + expected);
        for (int i = 0; i < v.length; i++)
            if (!Double.isFinite(v[i])) throw new IllegalArgumentException(name + "[" + i + "] is not finite: " + v[i]);
    }

    /** CVODES' counters since the last (re)initialisation. */
    public synchronized SolverStatistics statistics() {
        checkOpen();
        return erk ? erkStatistics(mem) : statistics(mem, this, !fixedPoint());
    }

    /** ERKStep's counters of memory {@code m} (no nonlinear or linear solver: those counters are 0). */
    SolverStatistics erkStatistics(Pointer m) {
        int flag = s4j_erk_stats_to(m, bridge, options.erkTable().order());
        java.nio.DoubleBuffer v = statsView;
        if (flag < 0)
            setup(flag, new String[] {"ARKodeGetNumSteps", "ERKStepGetNumRhsEvals", "ARKodeGetNumErrTestFails"}[(int) v.get(12)]);
        return new SolverStatistics((long) v.get(0), (long) v.get(1), 0, 0, 0, (long) v.get(5), 0, 0, (int) v.get(8), v.get(9),
                v.get(10), v.get(11));
    }

    private static final String[] STATS_CALLS = {"CVodeGetIntegratorStats", "CVodeGetNonlinSolvStats",
            "CVodeGetNumJacEvals", "CVodeGetNumLinRhsEvals"};

    /** Counters of any CVODES memory of this solver (the forward one or a backward problem's). */
    static SolverStatistics statistics(Pointer cvodeMem, CvodesSolver owner, boolean linearSolver) {
        owner.checkStatistics(s4j_stats_to(cvodeMem, owner.bridge, linearSolver ? 1 : 0));
        return owner.statisticsRead();
    }

    /** The failure of an {@code s4j_stats_to} that returned {@code flag}, named by the call that failed; nothing if it succeeded. */
    void checkStatistics(int flag) {
        if (flag >= 0) return;
        int which = (int) statsView.get(12);
        if (which < 2) setup(flag, STATS_CALLS[which]);
        else setupLs(flag, STATS_CALLS[which]);
    }

    /** The counters the last successful {@code s4j_stats_to} left in the stats buffer. */
    SolverStatistics statisticsRead() {
        java.nio.DoubleBuffer v = statsView;
        return new SolverStatistics((long) v.get(0), (long) v.get(1), (long) v.get(2), (long) v.get(3), (long) v.get(4),
                (long) v.get(5), (long) v.get(6), (long) v.get(7), (int) v.get(8), v.get(9), v.get(10), v.get(11));
    }

    /** Which path served the callbacks of the last run: the native replay or Java (see {@link ReplayStatistics}). */
    public synchronized ReplayStatistics replayStatistics() {
        checkOpen();
        return replayStatistics(bridge);
    }

    /** The path statistics of this solver's replay over {@code bridges} (the forward one, and a backward one). */
    ReplayStatistics replayStatistics(S4jBridge... bridges) {
        if (replay != null) return replay.statistics(bridges);
        long java = 0;
        for (S4jBridge b : bridges) java += NativeReplay.counts(b)[1];
        return ReplayStatistics.javaOnly(java);
    }

    /** The options this solver was made with. */
    public SolverOptions options() { return options; }

    /** The linear solver actually used (AUTO resolved); unused when {@link #nonlinearSolver()} is fixed point. */
    public LinearSolver linearSolver() { return linearSolver; }

    /** The nonlinear solver actually used (AUTO resolved for the method). */
    public NonlinearSolver nonlinearSolver() { return options.nonlinearSolver().resolve(options.method()); }

    public int stateCount() { return n; }

    final void checkOpen() {
        guard.checkOpen();
    }

    /**
     * Frees all native memory. Idempotent; any later use throws {@link IllegalStateException}.
     * From another thread while a solve runs, it stops that solve at its next callback (a
     * {@link SolverCancelledException} there) and then frees. From inside one of this solver's own
     * callbacks it throws {@link IllegalStateException} and frees nothing: the solve in progress is
     * suspended inside CVODES and still uses the memory.
     */
    @Override
    public void close() {
        guard.close(cleanable::clean);
    }

    /** Checks a setup call's integrator flag. */
    final void setup(int flag, String function) {
        if (flag < 0) throw failure(flag, function, Double.NaN, SolverException.Phase.SETUP);
    }

    /** Checks a setup call's linear-solver-interface flag. */
    final void setupLs(int flag, String function) {
        if (flag < 0) {
            throw new SolverException(function + " failed with " + Flags.linearSolverFlag(flag) + solverText(), flag,
                    Flags.linearSolverFlag(flag), function, Double.NaN, SolverException.Phase.SETUP, solverMessage(), null);
        }
    }

    private String solverMessage() {
        return bridge == null ? "" : s4j_bridge_error_message(bridge).getString();
    }

    private String solverText() {
        String m = solverMessage();
        return m.isEmpty() ? "" : " (" + m + ")";
    }

    /** Builds the exception for a failed integrator call, preferring a callback's own failure. */
    final SolverException failure(int flag, String function, double time, SolverException.Phase phase) {
        if (flag == STALLED)
            return new SolverException(function + " made no step from t0 = " + runT0 + " toward t = " + time
                    + ": CVODES' initial step estimate is "
                    + lastStep + " (its upper bound, from max |f_i(t0, y0)| / (rtol |y0_i| + atol_i), overflowed; the largest |y0_i| is "
                    + runY0Max + " at i = " + runY0Index + "); rescale the states or set SolverOptions.withInitialStep",
                    flag, "STALLED", function, runT0, phase, solverMessage(), null);
        String name = erk ? erkFlag(flag) : Flags.integratorFlag(flag);
        String where = function + " failed with " + name + " at t = " + time;
        if (callbacks.stopped != null) {
            return new SolverCancelledException(function + " " + callbacks.control.describe(callbacks.stopped) + " at t = "
                    + callbacks.stoppedAt + " (" + phase + " phase)", callbacks.stopped, flag, name, function,
                    callbacks.stoppedAt, phase);
        }
        if (callbacks.failure != null) {
            Throwable cause = callbacks.failure;
            String msg = where + ": " + callbacks.failureSite + " threw " + cause;
            return new CallbackException(msg, flag, name, function, time, phase, solverMessage(), cause);
        }
        if (callbacks.nonFinite != null) {
            String msg = where + ": " + callbacks.nonFinite + " (reported as recoverable; CVODES could not step past it)";
            return new CallbackException(msg, flag, name, function, time, phase, solverMessage(), null);
        }
        return new SolverException(where + solverText() + hint(flag), flag, name, function, time, phase, solverMessage(), null);
    }

    /** ARKODE's name of an ERKStep flag, e.g. {@code ARK_TOO_MUCH_WORK}. */
    static String erkFlag(int flag) {
        byte[] out = new byte[64];
        s4j_erk_flag_name(flag, out, out.length);
        int len = 0;
        while (len < out.length && out[len] != 0) len++;
        return new String(out, 0, len, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private String hint(int flag) {
        if (flag == CV_TOO_MUCH_WORK)
            return "; raise SolverOptions.withMaxSteps (now " + options.maxSteps() + " per output interval)";
        if (flag == CV_TOO_MUCH_ACC) return "; the tolerances are too tight for double precision";
        if (flag == CV_CONV_FAILURE || flag == CV_ERR_FAILURE)
            return "; the problem may be stiff (use BDF with a Jacobian) or the tolerances too tight";
        return "";
    }
}
