package org.sundials4j.ode;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable integrator settings, validated when made. Start from {@link #defaults()} and change
 * what you need with the {@code with...} methods, each of which returns a new value.
 *
 * <p>Defaults: BDF, rtol 1e-6, atol 1e-10, max 500 steps per output interval (CVODES' default),
 * method's maximum order, CVODES' own initial/min/max step choice, dense linear solver, Newton
 * iteration ({@link NonlinearSolver#auto()} picks fixed-point iteration for Adams).
 */
public final class SolverOptions {
    private final Method method;
    private final double rtol;
    private final double[] atol; // length 1 = scalar
    private final long maxSteps;
    private final int maxOrder; // 0 = method's maximum
    private final double initialStep; // 0 = estimated by CVODES
    private final double minStep; // 0 = none
    private final double maxStep; // 0 = unbounded
    private final LinearSolver linearSolver;
    private final NonlinearSolver nonlinearSolver;
    private final long timeLimitNanos; // 0 = none
    private final ErkTable erkTable; // the Butcher table of Method.ERK

    private SolverOptions(Method method, double rtol, double[] atol, long maxSteps, int maxOrder,
                          double initialStep, double minStep, double maxStep, LinearSolver linearSolver,
                          NonlinearSolver nonlinearSolver, long timeLimitNanos, ErkTable erkTable) {
        this.method = Objects.requireNonNull(method, "method");
        this.erkTable = Objects.requireNonNull(erkTable, "erkTable");
        this.linearSolver = Objects.requireNonNull(linearSolver, "linearSolver");
        this.nonlinearSolver = Objects.requireNonNull(nonlinearSolver, "nonlinearSolver");
        if (!(rtol >= 0) || !Double.isFinite(rtol))
            throw new IllegalArgumentException("rtol must be non-negative and finite, got " + rtol);
        if (rtol >= 1)
            throw new IllegalArgumentException("rtol must be below 1 (1 already allows a 100% error), got " + rtol);
        if (atol.length == 0) throw new IllegalArgumentException("atol must have at least one entry");
        for (int i = 0; i < atol.length; i++) {
            if (!(atol[i] >= 0) || !Double.isFinite(atol[i]))
                throw new IllegalArgumentException((atol.length == 1 ? "atol" : "atol[" + i + "]")
                        + " must be non-negative and finite, got " + atol[i]);
            // pure absolute control (rtol = 0) needs every atol positive, or some error weight is infinite
            if (rtol == 0 && atol[i] == 0)
                throw new IllegalArgumentException("rtol = 0 needs positive absolute tolerances, but "
                        + (atol.length == 1 ? "atol" : "atol[" + i + "]") + " = 0");
        }
        if (maxSteps <= 0) throw new IllegalArgumentException("maxSteps must be positive, got " + maxSteps);
        if (method == Method.ERK && maxOrder != 0)
            throw new IllegalArgumentException("maxOrder does not apply to ERK (its order is the table's, "
                    + "see withErkTable); got " + maxOrder);
        int cap = method == Method.BDF ? 5 : 12;
        if (maxOrder < 0 || maxOrder > cap)
            throw new IllegalArgumentException("maxOrder must be in [1, " + cap + "] for " + method + " (0 = default), got " + maxOrder);
        checkStep("initialStep", initialStep);
        checkStep("minStep", minStep);
        checkStep("maxStep", maxStep);
        if (maxStep > 0 && minStep > maxStep)
            throw new IllegalArgumentException("minStep " + minStep + " exceeds maxStep " + maxStep);
        this.rtol = rtol;
        this.atol = atol;
        this.maxSteps = maxSteps;
        this.maxOrder = maxOrder;
        this.initialStep = initialStep;
        this.minStep = minStep;
        this.maxStep = maxStep;
        if (timeLimitNanos < 0) throw new IllegalArgumentException("timeLimit must be positive, got " + timeLimitNanos + " ns");
        this.timeLimitNanos = timeLimitNanos;
    }

    private static void checkStep(String name, double v) {
        if (!(v >= 0) || !Double.isFinite(v))
            throw new IllegalArgumentException(name + " must be non-negative and finite (0 = CVODES' choice), got " + v);
    }

    public static SolverOptions defaults() {
        return new SolverOptions(Method.BDF, 1e-6, new double[] {1e-10}, 500, 0, 0, 0, 0, LinearSolver.dense(), NonlinearSolver.newton(), 0,
                ErkTable.VERNER_7);
    }

    public SolverOptions withMethod(Method m) {
        return new SolverOptions(m, rtol, atol, maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withRtol(double r) {
        return new SolverOptions(method, r, atol, maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    /** One absolute tolerance for every state. */
    public SolverOptions withAtol(double a) {
        return new SolverOptions(method, rtol, new double[] {a}, maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    /** One absolute tolerance per state (length must equal the model's state count). */
    public SolverOptions withAtol(double[] a) {
        return new SolverOptions(method, rtol, a.clone(), maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withTolerances(double r, double a) {
        return withRtol(r).withAtol(a);
    }
    /** Maximum internal steps per output interval (CVODES' {@code mxstep}). */
    public SolverOptions withMaxSteps(long m) {
        return new SolverOptions(method, rtol, atol, m, maxOrder, initialStep, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withMaxOrder(int q) {
        return new SolverOptions(method, rtol, atol, maxSteps, q, initialStep, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withInitialStep(double h) {
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, h, minStep, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withMinStep(double h) {
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, initialStep, h, maxStep, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withMaxStep(double h) {
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, initialStep, minStep, h, linearSolver, nonlinearSolver, timeLimitNanos, erkTable);
    }
    public SolverOptions withLinearSolver(LinearSolver ls) {
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, initialStep, minStep, maxStep, ls, nonlinearSolver, timeLimitNanos, erkTable);
    }

    /** Newton (with the linear solver), fixed-point iteration, or AUTO by the method (see {@link NonlinearSolver}). */
    public SolverOptions withNonlinearSolver(NonlinearSolver nls) {
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver, nls, timeLimitNanos, erkTable);
    }

    /**
     * A wall-clock limit for each solve or gradient call (the forward and backward passes together,
     * all runs of a finite-difference gradient together). Past it, the run stops at its next
     * callback with a {@link SolverCancelledException} of reason {@code TIME_LIMIT}; the solver
     * stays usable. {@code null} or zero: no limit (the default).
     */
    public SolverOptions withTimeLimit(java.time.Duration limit) {
        long nanos = 0;
        if (limit != null) {
            if (limit.isNegative()) throw new IllegalArgumentException("timeLimit must not be negative, got " + limit);
            try {
                nanos = limit.toNanos();
            } catch (ArithmeticException e) {
                nanos = Long.MAX_VALUE; // beyond 292 years: no practical limit
            }
        }
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver,
                nonlinearSolver, nanos, erkTable);
    }

    /**
     * The explicit Runge–Kutta table {@link Method#ERK} steps with (default {@link ErkTable#VERNER_7});
     * no effect on BDF or Adams.
     */
    public SolverOptions withErkTable(ErkTable table) {
        return new SolverOptions(method, rtol, atol, maxSteps, maxOrder, initialStep, minStep, maxStep, linearSolver,
                nonlinearSolver, timeLimitNanos, table);
    }

    public Method method() { return method; }
    public ErkTable erkTable() { return erkTable; }
    public double rtol() { return rtol; }
    /** True when one absolute tolerance applies to every state. */
    public boolean scalarAtol() { return atol.length == 1; }
    /** The absolute tolerances: one entry when scalar, else one per state (a copy). */
    public double[] atol() { return atol.clone(); }
    public long maxSteps() { return maxSteps; }
    public int maxOrder() { return maxOrder; }
    public double initialStep() { return initialStep; }
    public double minStep() { return minStep; }
    public double maxStep() { return maxStep; }
    public LinearSolver linearSolver() { return linearSolver; }
    public NonlinearSolver nonlinearSolver() { return nonlinearSolver; }
    /** The time limit (see {@link #withTimeLimit}), or null for none. */
    public java.time.Duration timeLimit() { return timeLimitNanos == 0 ? null : java.time.Duration.ofNanos(timeLimitNanos); }
    long timeLimitNanos() { return timeLimitNanos; }

    @Override
    public String toString() {
        return "SolverOptions[" + method + ", rtol=" + rtol + ", atol=" + (atol.length == 1 ? atol[0] : Arrays.toString(atol))
                + ", maxSteps=" + maxSteps + ", maxOrder=" + maxOrder + ", h0=" + initialStep + ", hmin=" + minStep
                + ", hmax=" + maxStep + ", " + linearSolver + ", " + nonlinearSolver
                + (timeLimitNanos == 0 ? "" : ", timeLimit=" + timeLimit()) + (method == Method.ERK ? ", " + erkTable : "") + "]";
    }

    /** These options with every tolerance times {@code f} and 4× the step limit (an error estimate's second run). */
    SolverOptions tightened(double f) {
        double[] a = atol.clone();
        for (int i = 0; i < a.length; i++) a[i] *= f;
        return new SolverOptions(method, rtol * f, a, maxSteps * 4, maxOrder, initialStep, minStep, maxStep, linearSolver,
                nonlinearSolver, timeLimitNanos, erkTable);
    }
}
