package org.sundials4j.ode;

import java.util.Arrays;
import java.util.Objects;

/**
 * Immutable settings of a gradient computation, validated when made; start from
 * {@link #defaults()} and change what you need with the {@code with...} methods.
 *
 * <p>Defaults: {@link SensitivityMethod#AUTO}; differentiate with respect to every parameter and
 * every initial state; forward mode with the simultaneous corrector, sensitivities in the error
 * test, parameter scales {@code |p_j|} of each run's parameters (1 where {@code p_j = 0}); adjoint
 * mode with 150 steps between checkpoints, interpolation by method (polynomial for Adams, Hermite
 * for BDF; see {@link #withInterpolation}), the forward method and linear solver for the backward
 * problem, backward and quadrature tolerances equal to the forward ones (the quadrature tolerances
 * apply to the integral functional in every mode); finite differences with the relative step
 * {@code min(rtol^(1/5), 0.01)}.
 *
 * <p>Accuracy: a gradient carries no error estimate. At the same rtol the adjoint gradient is
 * typically 20-50x less accurate than the forward one (the backward problem has its own error
 * control, and the forward solution is interpolated between stored points); to judge a gradient,
 * compare it with the other method or with a run at a tenth of the tolerances.
 */
public final class SensitivityOptions {
    /** CVODES' corrector for forward sensitivities. */
    public enum Corrector { SIMULTANEOUS, STAGGERED, STAGGERED1 }

    /** How the adjoint pass interpolates the forward solution between checkpoints. */
    public enum Interpolation { HERMITE, POLYNOMIAL }

    private SensitivityMethod method = SensitivityMethod.AUTO;
    private int[] parameters; // null = all
    private int[] initialStates; // null = all
    private Corrector corrector = Corrector.SIMULTANEOUS;
    private boolean errorControl = true;
    private double[] parameterScales; // null = |p| (1 where 0)
    private boolean keepTrajectories;
    private int checkpointSteps = 150;
    private Interpolation interpolation; // null = by method (see withInterpolation)
    private Method backwardMethod; // null = forward's
    private double backwardRtol = Double.NaN; // NaN = forward's
    private double backwardAtol = Double.NaN; // NaN = smallest forward atol
    private double quadratureRtol = Double.NaN; // NaN = backward rtol
    private double quadratureAtol = Double.NaN; // NaN = backward atol
    private long backwardMaxSteps; // 0 = forward's
    private double finiteDifferenceStep; // 0 = rtol^(1/5)
    private boolean quadratureErrorControl = true;
    private boolean errorEstimate;

    /** The factor {@link #withErrorEstimate} multiplies every tolerance by for its second gradient. */
    public static final double ESTIMATE_TIGHTENING = 0.1;

    private SensitivityOptions() {}

    public static SensitivityOptions defaults() {
        return new SensitivityOptions();
    }

    private SensitivityOptions with(java.util.function.Consumer<SensitivityOptions> change) {
        SensitivityOptions c = new SensitivityOptions();
        c.method = method;
        c.parameters = parameters;
        c.initialStates = initialStates;
        c.corrector = corrector;
        c.errorControl = errorControl;
        c.parameterScales = parameterScales;
        c.keepTrajectories = keepTrajectories;
        c.checkpointSteps = checkpointSteps;
        c.interpolation = interpolation;
        c.backwardMethod = backwardMethod;
        c.backwardRtol = backwardRtol;
        c.backwardAtol = backwardAtol;
        c.quadratureRtol = quadratureRtol;
        c.quadratureAtol = quadratureAtol;
        c.backwardMaxSteps = backwardMaxSteps;
        c.finiteDifferenceStep = finiteDifferenceStep;
        c.quadratureErrorControl = quadratureErrorControl;
        c.errorEstimate = errorEstimate;
        change.accept(c);
        return c;
    }

    public SensitivityOptions withMethod(SensitivityMethod m) {
        Objects.requireNonNull(m, "method");
        return with(c -> c.method = m);
    }

    /**
     * Differentiate with respect to these parameter indices only (distinct). The gradient's entries
     * follow the order given here, not ascending order: {@code withParameters(2, 0)} returns
     * {@code [dL/dp2, dL/dp0]}.
     */
    public SensitivityOptions withParameters(int... indices) {
        int[] copy = distinct("parameters", indices);
        return with(c -> c.parameters = copy);
    }

    /** Differentiate with respect to these initial-state indices only (distinct, in the order given; none: {@code withInitialStates()}). */
    public SensitivityOptions withInitialStates(int... indices) {
        int[] copy = distinct("initialStates", indices);
        return with(c -> c.initialStates = copy);
    }

    public SensitivityOptions withCorrector(Corrector k) {
        Objects.requireNonNull(k, "corrector");
        return with(c -> c.corrector = k);
    }

    /** Whether forward sensitivities take part in the local error test (CVODES' {@code errconS}). */
    public SensitivityOptions withErrorControl(boolean on) {
        return with(c -> c.errorControl = on);
    }

    /** Scales {@code pbar} of the selected parameters, in selection order (all positive). */
    public SensitivityOptions withParameterScales(double... scales) {
        for (int i = 0; i < scales.length; i++)
            if (!(scales[i] > 0) || !Double.isFinite(scales[i]))
                throw new IllegalArgumentException("parameterScales[" + i + "] must be positive and finite, got " + scales[i]);
        double[] copy = scales.clone();
        return with(c -> c.parameterScales = copy);
    }

    /** Forward mode: also return the sensitivities {@code dy(t_k)/dθ} at every output time. */
    public SensitivityOptions withTrajectories(boolean keep) {
        return with(c -> c.keepTrajectories = keep);
    }

    public SensitivityOptions withCheckpointSteps(int steps) {
        if (steps < 1) throw new IllegalArgumentException("checkpointSteps must be >= 1, got " + steps);
        return with(c -> c.checkpointSteps = steps);
    }

    /**
     * How the adjoint interpolates the forward solution between stored points. Left unset, it
     * follows the method: {@link Interpolation#POLYNOMIAL} for Adams (Hermite's cubic caps the
     * accuracy at the high orders Adams reaches: 5,000x less accurate on a Hénon-Heiles system) when
     * {@link #withCheckpointSteps} is at least the maximum order, {@link Interpolation#HERMITE}
     * otherwise. POLYNOMIAL needs at least as many steps between checkpoints as the forward
     * method's maximum order (5 for BDF, 12 for Adams, or {@link SolverOptions#withMaxOrder}):
     * CVODES reads that many stored points; fewer is refused when the solver is made.
     */
    public SensitivityOptions withInterpolation(Interpolation i) {
        Objects.requireNonNull(i, "interpolation");
        return with(c -> c.interpolation = i);
    }

    public SensitivityOptions withBackwardMethod(Method m) {
        Objects.requireNonNull(m, "backwardMethod");
        return with(c -> c.backwardMethod = m);
    }

    public SensitivityOptions withBackwardTolerances(double rtol, double atol) {
        relative("backward rtol", rtol);
        positive("backward atol", atol);
        return with(c -> {
            c.backwardRtol = rtol;
            c.backwardAtol = atol;
        });
    }

    public SensitivityOptions withQuadratureTolerances(double rtol, double atol) {
        relative("quadrature rtol", rtol);
        positive("quadrature atol", atol);
        return with(c -> {
            c.quadratureRtol = rtol;
            c.quadratureAtol = atol;
        });
    }

    public SensitivityOptions withBackwardMaxSteps(long steps) {
        if (steps <= 0) throw new IllegalArgumentException("backwardMaxSteps must be positive, got " + steps);
        return with(c -> c.backwardMaxSteps = steps);
    }

    /** Relative step of the central finite differences (0 = {@code min(rtol^(1/5), 0.01)}). */
    public SensitivityOptions withFiniteDifferenceStep(double h) {
        if (!(h >= 0) || !Double.isFinite(h)) throw new IllegalArgumentException("finiteDifferenceStep must be >= 0, got " + h);
        return with(c -> c.finiteDifferenceStep = h);
    }

    /**
     * Whether the quadratures (the integral functional, the adjoint's parameter gradient) take part
     * in the local error test, which makes them accurate at the price of steps (CVODES' errconQ).
     */
    public SensitivityOptions withQuadratureErrorControl(boolean on) {
        return with(c -> c.quadratureErrorControl = on);
    }

    /**
     * Whether each gradient also carries an estimate of its error ({@link Gradient#paramsError()},
     * {@link Gradient#initialStateError()}): the gradient is computed a second time, by the same
     * method, with every tolerance (rtol, atol, and the backward and quadrature tolerances when set)
     * multiplied by {@value #ESTIMATE_TIGHTENING} and the step limits by 4, and the estimate of each
     * entry is its absolute difference from that second gradient. The gradient returned is still
     * the one at the given tolerances, bit for bit what it is without the estimate.
     *
     * <p>Cost: the second gradient takes about 1.5–3× the first (the steps grow as the tolerance to
     * the power −1/(q+1)), so a gradient with its estimate costs 2.5–4× one without. Trust: it
     * estimates the global error to first order, assuming the error shrinks about tenfold with the
     * tolerances; in {@code ErrorEstimateTest} (a decaying rotation with a closed-form gradient,
     * forward and adjoint, BDF and Adams, rtol 1e-4 to 1e-8) the true error stayed within 1.1–2.6×
     * the estimate, entry by entry (the test holds it to 4×): treat the estimate as an error bar
     * to be doubled, not as a bound.
     */
    public SensitivityOptions withErrorEstimate(boolean on) {
        return with(c -> c.errorEstimate = on);
    }

    public boolean errorEstimate() { return errorEstimate; }

    /** These options with the tolerances and step limits of {@link #withErrorEstimate}'s second gradient. */
    SensitivityOptions tightened() {
        double f = ESTIMATE_TIGHTENING;
        return with(c -> {
            c.backwardRtol *= f; // NaN (from the forward tolerances) stays NaN
            c.backwardAtol *= f;
            c.quadratureRtol *= f;
            c.quadratureAtol *= f;
            c.backwardMaxSteps *= 4;
            c.errorEstimate = false;
        });
    }

    private static void relative(String name, double v) {
        positive(name, v);
        if (v >= 1) throw new IllegalArgumentException(name + " must be below 1 (1 already allows a 100% error), got " + v);
    }

    private static void positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
    }

    private static int[] distinct(String name, int[] indices) {
        int[] s = indices.clone();
        for (int i = 0; i < s.length; i++) {
            if (s[i] < 0) throw new IllegalArgumentException(name + "[" + i + "] = " + s[i] + " is negative");
            for (int j = 0; j < i; j++)
                if (s[j] == s[i]) throw new IllegalArgumentException(name + "[" + i + "] = " + s[i] + " is repeated");
        }
        return s;
    }

    public SensitivityMethod method() { return method; }
    public Corrector corrector() { return corrector; }
    public boolean errorControl() { return errorControl; }
    public boolean keepTrajectories() { return keepTrajectories; }
    public int checkpointSteps() { return checkpointSteps; }
    /** The interpolation set with {@link #withInterpolation}, or null when it follows the method. */
    public Interpolation interpolation() { return interpolation; }

    /** The interpolation the adjoint uses with forward settings {@code f}. */
    public Interpolation interpolation(SolverOptions f) {
        if (interpolation != null) return interpolation;
        return f.method() == Method.ADAMS && checkpointSteps >= maxOrder(f) ? Interpolation.POLYNOMIAL : Interpolation.HERMITE;
    }

    /** The forward method's maximum order: the option, else CVODES' 5 (BDF) or 12 (Adams). */
    static int maxOrder(SolverOptions f) {
        return f.maxOrder() > 0 ? f.maxOrder() : f.method() == Method.BDF ? 5 : 12;
    }

    /** Refuses settings the adjoint cannot run with under forward settings {@code f}. */
    void checkAdjoint(SolverOptions f) {
        if (interpolation(f) == Interpolation.POLYNOMIAL && checkpointSteps < maxOrder(f))
            throw new IllegalArgumentException("POLYNOMIAL interpolation needs checkpointSteps >= the forward method's maximum "
                    + "order " + maxOrder(f) + " (" + f.method() + (f.maxOrder() > 0 ? ", withMaxOrder" : "") + "), got "
                    + checkpointSteps + "; raise withCheckpointSteps, lower withMaxOrder, or use HERMITE");
    }
    public double finiteDifferenceStep() { return finiteDifferenceStep; }
    public boolean quadratureErrorControl() { return quadratureErrorControl; }

    /** The selected parameter indices for a model with {@code np} parameters. */
    public int[] parameters(int np) { return resolve("parameters", parameters, np); }

    /** The selected initial-state indices for a model with {@code n} states. */
    public int[] initialStates(int n) { return resolve("initialStates", initialStates, n); }

    private static int[] resolve(String name, int[] sel, int count) {
        if (sel == null) {
            int[] all = new int[count];
            for (int i = 0; i < count; i++) all[i] = i;
            return all;
        }
        for (int i = 0; i < sel.length; i++)
            if (sel[i] >= count)
                throw new IllegalArgumentException(name + "[" + i + "] = " + sel[i] + " is out of range for " + count + " entries");
        return sel.clone();
    }

    /** Scales of the selected parameters given their values. */
    double[] parameterScales(double[] p, int[] selected) {
        if (parameterScales != null) {
            if (parameterScales.length != selected.length)
                throw new IllegalArgumentException("parameterScales has " + parameterScales.length + " entries for "
                        + selected.length + " selected parameters");
            return parameterScales.clone();
        }
        double[] s = new double[selected.length];
        for (int i = 0; i < s.length; i++) s[i] = p[selected[i]] != 0 ? Math.abs(p[selected[i]]) : 1;
        return s;
    }

    Method backwardMethod(SolverOptions f) { return backwardMethod != null ? backwardMethod : f.method(); }
    double backwardRtol(SolverOptions f) { return Double.isNaN(backwardRtol) ? f.rtol() : backwardRtol; }
    double backwardAtol(SolverOptions f) {
        return Double.isNaN(backwardAtol) ? Arrays.stream(f.atol()).filter(a -> a > 0).min().orElse(1e-10) : backwardAtol;
    }
    double quadratureRtol(SolverOptions f) { return Double.isNaN(quadratureRtol) ? backwardRtol(f) : quadratureRtol; }
    double quadratureAtol(SolverOptions f) { return Double.isNaN(quadratureAtol) ? backwardAtol(f) : quadratureAtol; }
    long backwardMaxSteps(SolverOptions f) { return backwardMaxSteps > 0 ? backwardMaxSteps : f.maxSteps(); }

    @Override
    public String toString() {
        return "SensitivityOptions[" + method + ", parameters=" + (parameters == null ? "all" : Arrays.toString(parameters))
                + ", initialStates=" + (initialStates == null ? "all" : Arrays.toString(initialStates)) + ", " + corrector
                + ", errorControl=" + errorControl + ", checkpointSteps=" + checkpointSteps + ", "
                + (interpolation == null ? "interpolation by method" : interpolation) + "]";
    }
}
