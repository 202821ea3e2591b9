package org.sundials4j.ode;

import java.util.List;
import java.util.Objects;

/**
 * Gradients of a scalar loss through an ODE solve, with respect to parameters and initial state.
 * The objective is {@code L(y(t_1..t_K), p) + ∫_{t0}^{t_K} g(t, y, p) dt}: an {@link OutputLoss},
 * an {@link Integrand}, or both. The method is one option ({@link SensitivityOptions#withMethod});
 * every method returns the same {@link Gradient}.
 *
 * <pre>{@code
 * try (GradientSolver gs = new GradientSolver(model, loss, null, SolverOptions.defaults(),
 *         SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT))) {
 *     Gradient g = gs.gradient(0, y0, p, times);
 *     double[] dLdp = g.params(), dLdy0 = g.initialState();
 * }
 * }</pre>
 *
 * <p>The integral runs from {@code t0} to the last output time {@code t_K}. For an integral to a
 * time T beyond the outputs the loss needs, add T as the last output time and let the loss ignore
 * it (give it zero weight): its state then enters neither the loss nor its gradient.
 *
 * <p>Owns its native solvers (one per method used, made on first use) and frees them in
 * {@link #close()}. Not for concurrent use by several threads; use one per thread. A reused
 * solver answers bit for bit what a fresh one answers.
 *
 * <p>Lifecycle and re-entrancy: the model's callbacks (RHS, Jacobian, JVP, VJP), the integrand and
 * the loss must not call {@link #gradient} or {@link #close()} on this same solver; both throw
 * {@link IllegalStateException} there, the run in progress ends with a {@link CallbackException}
 * whose cause it is, and the solver stays intact. {@link #cancel()}, {@link Thread#interrupt()},
 * {@code close()} from another thread and {@link SolverOptions#withTimeLimit} stop a running
 * gradient at its next callback with a {@link SolverCancelledException}.
 */
public final class GradientSolver implements AutoCloseable {
    private final DifferentiableOdeModel model;
    private final OutputLoss loss;
    private final Integrand integrand;
    private final SolverOptions options;
    private final SensitivityOptions sens;
    /** How many parameters and initial states the gradient is taken with respect to. */
    private final int selected;
    /** The engines at the given tolerances; {@link #tight} the error estimate's, made on first use. */
    private final Engines engines;
    private Engines tight;
    private SensitivityEngine last;
    private GradientListener listener;
    private long listenerInterval = SolveListener.INTERVAL_NANOS;
    /** Shared by every engine: one cancel() reaches whichever runs. */
    private final RunControl control = new RunControl();
    /** One run at a time, no re-entry from a callback or the loss, close() that stops a run. */
    private final RunGuard guard = new RunGuard(this, control, "gradient solver", "a callback or the loss");

    /**
     * @param loss      loss of the states at the output times, or null for none
     * @param integrand integrand of an integral functional, or null for none (not both null)
     */
    public GradientSolver(DifferentiableOdeModel model, OutputLoss loss, Integrand integrand, SolverOptions options,
                          SensitivityOptions sens) {
        this.model = Objects.requireNonNull(model, "model");
        if (loss == null && integrand == null) throw new IllegalArgumentException("give a loss, an integrand, or both");
        this.loss = loss == null ? OutputLoss.NONE : loss.forSolver();
        this.integrand = integrand;
        this.options = Objects.requireNonNull(options, "options");
        this.sens = Objects.requireNonNull(sens, "sens");
        // validates the selection early; its size is fixed for the solver's life (AUTO reads it per gradient)
        this.selected = sens.parameters(model.parameterCount()).length + sens.initialStates(model.stateCount()).length;
        if (options.method() == Method.ERK) checkErk(sens.method(), integrand);
        else if (sens.method() == SensitivityMethod.ADJOINT || sens.method() == SensitivityMethod.AUTO) sens.checkAdjoint(options);
        this.engines = new Engines(options, sens);
    }

    /**
     * What {@link Method#ERK} gradients cover: forward sensitivities of output losses (AUTO means
     * forward there) and finite differences. The adjoint needs CVODES' checkpointed backward
     * integration, an integral functional its quadratures: refused rather than answered otherwise.
     */
    private static void checkErk(SensitivityMethod m, Integrand integrand) {
        if (m == SensitivityMethod.ADJOINT)
            throw new IllegalArgumentException("SensitivityMethod.ADJOINT needs CVODES: use Method.ADAMS or Method.BDF "
                    + "(Method.ERK integrates forward sensitivities; AUTO and FORWARD use them)");
        if (integrand != null)
            throw new IllegalArgumentException("an integral functional (integrand) needs CVODES' quadratures: use Method.ADAMS "
                    + "or Method.BDF (Method.ERK takes output losses only)");
    }

    /** The gradient at {@code (t0, y0, p)} with outputs at {@code times} (strictly increasing, >= t0). */
    public synchronized Gradient gradient(double t0, double[] y0, double[] p, double[] times) {
        return guarded("gradient()", () -> {
            SensitivityMethod m = methodFor(Objects.requireNonNull(times, "times").length);
            last = null;
            Gradient g = engines.gradient(m, t0, y0, p, times);
            if (!sens.errorEstimate()) return g;
            if (tight == null) tight = new Engines(options.tightened(SensitivityOptions.ESTIMATE_TIGHTENING), sens.tightened());
            Gradient ref = tight.gradient(m, t0, y0, p, times);
            return g.withErrorEstimate(difference(g.params(), ref.params()), difference(g.initialState(), ref.initialState()));
        });
    }

    private static double[] difference(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) d[i] = Math.abs(a[i] - b[i]);
        return d;
    }

    /**
     * The engines of one set of tolerances, each made on first use; all share the solver's
     * {@link RunControl}, so that a cancel reaches whichever runs.
     */
    private final class Engines {
        final SolverOptions options;
        final SensitivityOptions sens;
        /** CVODES' {@link ForwardEngine}, or {@link ErkForwardEngine} for {@link Method#ERK}. */
        SensitivityEngine forward;
        AdjointEngine adjoint;
        ValueEngine values;

        Engines(SolverOptions options, SensitivityOptions sens) {
            this.options = options;
            this.sens = sens;
        }

        Gradient gradient(SensitivityMethod m, double t0, double[] y0, double[] p, double[] times) {
            return switch (m) {
                case FORWARD, ADJOINT -> {
                    SensitivityEngine e = m == SensitivityMethod.FORWARD ? forward() : adjoint();
                    if (this == engines) last = e;
                    listen(e);
                    yield e.run(t0, y0, p, times, loss);
                }
                case FINITE_DIFFERENCE -> finiteDifferences(this, t0, y0, p, times);
                case AUTO -> throw new AssertionError();
            };
        }

        private SensitivityEngine forward() {
            if (forward == null)
                forward = options.method() == Method.ERK ? new ErkForwardEngine(model, options, sens, control)
                        : new ForwardEngine(model, options, sens, integrand, control);
            return forward;
        }

        private AdjointEngine adjoint() {
            if (adjoint == null) adjoint = new AdjointEngine(model, options, sens, integrand, control);
            return adjoint;
        }

        /** The listener reports the gradient asked for; the error estimate's second gradient reports nothing. */
        private void listen(SensitivityEngine e) {
            if (this == engines) e.listen(listener, listenerInterval);
            else e.listen(null, listenerInterval);
        }

        ValueEngine values() {
            if (values == null) values = new ValueEngine(model, options, sens, integrand, control);
            return values;
        }

        void close() {
            if (forward != null) forward.close();
            if (adjoint != null) adjoint.close();
            if (values != null) values.close();
        }
    }

    /**
     * Reports the progress of later forward and adjoint gradients to {@code listener} (null: none),
     * at most every {@link SolveListener#INTERVAL_NANOS} between the reports at the passes' ends and
     * the backward pass's output times; see {@link GradientListener}. Finite differences and {@link #loss} report nothing.
     */
    public void setListener(GradientListener listener) {
        setListener(listener, SolveListener.INTERVAL_NANOS);
    }

    /**
     * {@link #setListener(GradientListener)} with another wall time between throttled reports; 0 reports
     * at every check (every 64 Java callbacks, every native heartbeat), for tests and very slow models.
     *
     * @throws IllegalArgumentException if {@code intervalNanos} is negative
     * @throws IllegalStateException    after {@link #close()}
     */
    public synchronized void setListener(GradientListener listener, long intervalNanos) {
        if (intervalNanos < 0) throw new IllegalArgumentException("intervalNanos = " + intervalNanos + " is negative");
        guard.checkOpen();
        this.listener = listener;
        this.listenerInterval = intervalNanos;
    }

    /** Runs one public call (holding the monitor) under the lifecycle rules of {@link RunGuard}. */
    private <T> T guarded(String what, java.util.function.Supplier<T> call) {
        return guard.run(what, options.timeLimitNanos(), call);
    }

    /**
     * Which path served the callbacks of the last forward or adjoint gradient (native tape replay or
     * Java; see {@link ReplayStatistics}), or null after none or after finite differences.
     */
    public synchronized ReplayStatistics replayStatistics() {
        return last == null || guard.isClosed() ? null : last.replayStatistics();
    }

    /**
     * Stops the gradient in progress (on any thread) at its next callback, which then ends in a
     * {@link SolverCancelledException}; the solver stays usable. Without a run in progress it does
     * nothing. Safe to call from any thread.
     */
    public void cancel() {
        control.cancel();
    }

    /**
     * The loss alone at {@code (t0, y0, p)}: one plain solve (with a forward quadrature for an integral
     * functional), no sensitivities. Cheaper than {@link #gradient} when only the value is wanted.
     */
    public synchronized double loss(double t0, double[] y0, double[] p, double[] times) {
        return guarded("loss()", () -> engines.values().value(t0, y0, p, times, loss, null));
    }

    /**
     * The method {@link #gradient} uses with {@code outputs} output times: the one of the options, or
     * for {@link SensitivityMethod#AUTO} the one {@link #choose} picks (forward with {@link Method#ERK}).
     */
    public SensitivityMethod methodFor(int outputs) {
        SensitivityMethod m = sens.method();
        if (m == SensitivityMethod.AUTO && options.method() == Method.ERK) return SensitivityMethod.FORWARD;
        return m == SensitivityMethod.AUTO ? choose(model.stateCount(), selected, outputs) : m;
    }

    /**
     * The AUTO rule: forward when {@code sensitivities <= n/512 + (outputs > 1 ? 6 + 24/n : 0)}
     * (integer divisions, n = states), adjoint above. Forward integrates {@code 1 + s} coupled systems;
     * the adjoint one forward system, its recomputation between checkpoints and one backward system
     * with s quadratures, so its cost is nearly flat in s but has a fixed price: a backward solve
     * (with transposed linear solves, which grow with n) restarted at order 1 at every output time.
     *
     * <p>Measured crossover, {@code tests/bench-gradients.sh} (2 cores, JDK 17, the objectives'
     * default tolerances; forward/adjoint time, above 1 the adjoint is faster):
     * <pre>
     * problem              n     outputs  forward/adjoint at s                        crossover
     * rober                3     1        s=1: 1.2-1.3, s=6: 2.9-3.9                  s* &lt;= 1
     * brusselator-2d N=8   128   1        s=1: 1.1, s=8: 4.2-4.5, s=128: 51-59        s* &lt;= 1
     * brusselator-2d N=16  512   1        s=3: 1.5                                    s* &lt; 3
     * brusselator-2d N=32  2048  1        s=3: 0.7-0.8, s=8: 1.45, s=16: 2.0         s* 4..8
     * pollu                20    5        s=4: 0.44-0.57, s=8: 0.93-1.10, s=16: 1.7-2.1 s* ~ 8
     * advection-diffusion  50    10       s=4: 0.65-0.83, s=8: 1.1-1.35               s* 5..8
     * neural-ode H=16      2     30       s=16: 0.64-0.69, s=32: 1.0-3.7, s=64: 2.3-4  s* 17..32
     * lotka-volterra       2     200      s=6: 0.46-0.58 (6 is all there is)          s* &gt; 6
     * </pre>
     * The rule picks the faster method at every measured point but the near-ties (pollu at s = 8,
     * within 10%). With one output (or an integral functional alone) the backward problem never
     * restarts and the adjoint wins from s = 1 up to n ~ 500; tiny systems (n = 2) make forward
     * sensitivities cheap enough to win up to s ~ 18 once outputs restart the adjoint.
     */
    public static SensitivityMethod choose(int states, int sensitivities, int outputs) {
        int threshold = Math.max(states, 1) / 512;
        if (outputs > 1) threshold += 6 + 24 / Math.max(states, 1);
        return sensitivities <= threshold ? SensitivityMethod.FORWARD : SensitivityMethod.ADJOINT;
    }

    /**
     * Fourth-order central differences, four solves per selected parameter or initial state:
     * {@code f' ≈ (f(x-2h) - 8f(x-h) + 8f(x+h) - f(x+2h)) / 12h}. The truncation error is O(h⁴), so
     * the step can be large (default {@code rtol^(1/5)} relative, at most 1%), which keeps the solver's own
     * noise, divided by h, small: second-order differences cannot reach 1e-6 on stiff problems.
     */
    private Gradient finiteDifferences(Engines e, double t0, double[] y0, double[] p, double[] times) {
        ValueEngine v = e.values();
        SolverOptions options = e.options;
        int[] params = sens.parameters(p.length), states = sens.initialStates(y0.length);
        Solution[] sol = new Solution[1];
        double value = v.value(t0, y0, p, times, loss, sol);
        // rtol^(1/5), but at most 1%: larger moves of a state that starts at 0 can push a stiff
        // model (a chemical species below zero) into a finite-time blow-up
        double rel = sens.finiteDifferenceStep() > 0 ? sens.finiteDifferenceStep() : Math.min(Math.pow(options.rtol(), 0.2), 1e-2);
        double[] gp = new double[params.length];
        for (int j = 0; j < params.length; j++) {
            int jj = params[j];
            double h = rel * Math.max(Math.abs(p[jj]), 1e-8);
            gp[j] = derivative(h, x -> {
                double[] q = p.clone();
                q[jj] += x;
                return v.value(t0, y0, q, times, loss, null);
            });
        }
        double[] gy = new double[states.length];
        for (int i = 0; i < states.length; i++) {
            int ii = states[i];
            double h = rel * stateScale(sol[0], y0, ii);
            gy[i] = derivative(h, x -> {
                double[] y = y0.clone();
                y[ii] += x;
                return v.value(t0, y, p, times, loss, null);
            });
        }
        return new Gradient(value, gp, gy, params, states, SensitivityMethod.FINITE_DIFFERENCE, sol[0], null, 0, 0, 0, 0, null);
    }

    private static double derivative(double h, java.util.function.DoubleUnaryOperator f) {
        return (f.applyAsDouble(-2 * h) - 8 * f.applyAsDouble(-h) + 8 * f.applyAsDouble(h) - f.applyAsDouble(2 * h)) / (12 * h);
    }

    /**
     * The step scale of initial state {@code i}: its own magnitude, at least a thousandth of the
     * largest initial state; for a state that starts at exactly 0, the magnitude it reaches along
     * the base solution instead (at least that same floor; 1 if everything is 0). A zero initial
     * value says nothing about a state's natural scale, and a step far below it drowns in the
     * solver's noise.
     */
    private static double stateScale(Solution base, double[] y0, int i) {
        double largest = 0;
        for (double v : y0) largest = Math.max(largest, Math.abs(v));
        double s = Math.max(Math.abs(y0[i]), 1e-3 * largest);
        if (y0[i] == 0)
            for (int k = 0; k < base.size(); k++) s = Math.max(s, Math.abs(base.state(k)[i]));
        return s > 0 ? s : 1;
    }

    /** Gradients need every output: an event that stopped the integration before the last one is an error. */
    static void requireAllOutputs(EventLoop.Trace trace, double[] times) {
        requireAllOutputs(trace.reached, trace.fired, times);
    }

    /**
     * The one check behind every loss (value, gradient, finite differences): {@code reached} outputs
     * out of {@code times}, the stop event being the last of {@code fired} when some are missing.
     */
    static void requireAllOutputs(int reached, List<EventRecord> fired, double[] times) {
        if (reached == times.length) return;
        EventRecord last = fired.get(fired.size() - 1);
        throw new SolverException("event '" + last.name() + "' stopped the integration at t = " + last.time() + ", before output "
                + reached + " (t = " + times[reached] + "); the loss needs the states at every output time",
                0, "STOPPED_BY_EVENT", "event '" + last.name() + "'", last.time(), SolverException.Phase.FORWARD, "", null);
    }

    /** Runs the loss, turning its failures into {@link CallbackException}s of the LOSS phase. */
    static double evaluateLoss(OutputLoss loss, double[] times, double[][] states, double[] p, double[][] dY, double[] dP) {
        double value;
        try {
            value = loss.evaluate(times, states, p, dY, dP);
        } catch (RuntimeException | Error e) {
            throw new CallbackException("the loss threw " + e, 0, "LOSS_FAILED", "OutputLoss.evaluate",
                    times[times.length - 1], SolverException.Phase.LOSS, "", e);
        }
        if (!Double.isFinite(value))
            throw new CallbackException("the loss returned " + value, 0, "LOSS_NOT_FINITE", "OutputLoss.evaluate",
                    times[times.length - 1], SolverException.Phase.LOSS, "", null);
        for (int k = 0; k < dY.length; k++)
            for (int i = 0; i < dY[k].length; i++)
                if (!Double.isFinite(dY[k][i]))
                    throw new CallbackException("the loss gradient ∂L/∂y" + i + "(t_" + k + ") = " + dY[k][i], 0,
                            "LOSS_NOT_FINITE", "OutputLoss.evaluate", times[k], SolverException.Phase.LOSS, "", null);
        return value;
    }

    /**
     * Frees the native solvers. Idempotent. From another thread during a gradient run it stops the
     * run at its next callback and then frees; from inside the run's own callbacks or loss it
     * throws {@link IllegalStateException} and frees nothing (the run still uses the memory).
     */
    @Override
    public void close() {
        guard.close(() -> {
            engines.close();
            if (tight != null) tight.close();
        });
    }
}
