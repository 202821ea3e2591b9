package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The reliability suite: random valid and invalid inputs, options and call orders, including
 * callbacks that close, re-enter, cancel, throw, interrupt or return NaN. The property, for every
 * call: a reused solver's outcome is a typed exception or an answer, and either way what a fresh
 * solver (with a fresh model following the same script) gives: the same answer bit for bit, or the
 * same exception (class and message for argument and state errors; class, CVODES flag, function and
 * phase for solver failures). Only documented exception types may appear.
 */
class ReliabilityProperties {

    /** What a scripted callback does when its call count reaches {@code at}. */
    enum Act { NONE, CLOSE_SELF, CALL_SELF, CANCEL_SELF, THROW, INTERRUPT, NAN }

    /** Where the scripted action fires. */
    enum Site { RHS, JACOBIAN, JVP, VJP, LOSS }

    /** One call: inputs (possibly invalid), then the script of its callbacks. */
    record Step(double[] y0, double[] p, double[] times, Act act, Site site, int at) {
        @Override public String toString() {
            return "Step[y0=" + Arrays.toString(y0) + ", p=" + Arrays.toString(p) + ", times=" + Arrays.toString(times) + ", "
                    + act + " at " + site + " call " + at + "]";
        }
    }

    /** The script every model of one property run shares; reset before each call. */
    static final class Script {
        Act act = Act.NONE;
        Site site = Site.RHS;
        int at;
        int calls;
        Runnable self = () -> { };

        void fire(Site s, double t, double[] out) {
            if (s != site || act == Act.NONE) return;
            // NaN as a function of t, never of the call count: the adjoint recomputes the forward
            // pass between checkpoints and relies on the model being a function of its arguments
            if (act == Act.NAN) {
                if (t >= at * 1e-4 && t <= at * 1.5e-4) out[0] = Double.NaN;
                return;
            }
            if (++calls != at) return;
            switch (act) {
                case CLOSE_SELF -> self.run();
                case CALL_SELF -> self.run();
                case CANCEL_SELF -> self.run();
                case THROW -> throw new ArithmeticException("scripted failure");
                case INTERRUPT -> Thread.currentThread().interrupt();
                default -> { }
            }
        }
    }

    /** ROBER (the examples' arithmetic) running the script in its RHS, Jacobian, JVP and VJP. */
    static final class ScriptedRober implements DifferentiableOdeModel {
        final RoberFixture base = new RoberFixture();
        final Script script;

        ScriptedRober(Script script) { this.script = script; }

        @Override public ScriptedRober forSolver() { return this; }
        @Override public int stateCount() { return 3; }
        @Override public int parameterCount() { return 3; }
        @Override public boolean hasJacobian() { return true; }

        @Override public void rhs(double t, double[] y, double[] p, double[] ydot) {
            base.rhs(t, y, p, ydot);
            script.fire(Site.RHS, t, ydot);
        }

        @Override public void jacobian(double t, double[] y, double[] p, JacobianWriter j) {
            base.jacobian(t, y, p, j);
            double[] v = {0};
            script.fire(Site.JACOBIAN, t, v);
            if (Double.isNaN(v[0])) j.set(1, 1, Double.NaN);
        }

        @Override public void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out) {
            base.jvp(t, y, p, v, w, out);
            script.fire(Site.JVP, t, out);
        }

        @Override public void vjp(double t, double[] y, double[] p, double[] l, double[] outY, double[] outP, double[] ydot) {
            base.vjp(t, y, p, l, outY, outP, ydot);
            script.fire(Site.VJP, t, outY);
        }
    }

    // ---- generators --------------------------------------------------------------------------

    /** Mostly sensible values, sometimes hostile: zero, negative, huge, NaN, infinite. */
    static Arbitrary<Double> entry(double typical) {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(12, Arbitraries.doubles().between(0.5, 1.5).map(f -> f * typical)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.0, -typical, 1e300, Double.NaN, Double.POSITIVE_INFINITY)));
    }

    static Arbitrary<double[]> vector(double[] typical) {
        Arbitrary<double[]> ok = Combinators.combine(entry(typical[0]), entry(typical[1]), entry(typical[2]))
                .as((a, b, c) -> new double[] {a, b, c});
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(15, ok),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(new double[] {1, 0})));
    }

    /** Increasing output times, or something that is not: unsorted, repeated, a few ulps apart, tiny, empty. */
    static Arbitrary<double[]> times() {
        Arbitrary<double[]> increasing = Arbitraries.doubles().between(0.01, 40).list().ofMinSize(1).ofMaxSize(5)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).sorted().distinct().toArray());
        Arbitrary<double[]> ulps = Arbitraries.doubles().between(0.1, 40)
                .map(t -> new double[] {t, Math.nextUp(Math.nextUp(t)), 2 * t});
        Arbitrary<double[]> hostile = Arbitraries.of(new double[] {4, 0.4}, new double[] {1, 1}, new double[0],
                new double[] {1e-300}, new double[] {0, 0.4}, new double[] {Double.NaN}, new double[] {-1});
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(8, increasing), net.jqwik.api.Tuple.of(2, ulps),
                net.jqwik.api.Tuple.of(1, hostile));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(vector(RoberFixture.Y0.clone()).map(v -> {
                    if (v.length == 3 && v[0] == 0.5 * 0) v[0] = 1; // keep y0[0] mostly nonzero
                    return v;
                }), vector(RoberFixture.P), times(), Arbitraries.of(Act.class), Arbitraries.of(Site.class),
                Arbitraries.integers().between(1, 120))
                .as(Step::new);
        return step.list().ofMinSize(1).ofMaxSize(4);
    }

    @Provide
    Arbitrary<SolverOptions> options() {
        Arbitrary<Double> rtol = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.of(1e-4, 1e-6, 1e-8)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(0.0, 1.0, 1e300, -1e-6)));
        Arbitrary<LinearSolver> ls = Arbitraries.of(LinearSolver.dense(), LinearSolver.band(2, 2), LinearSolver.gmres(3),
                LinearSolver.gmres(100), LinearSolver.klu(SparsityPattern.of(3, (i, j) -> true)));
        return Combinators.combine(rtol, Arbitraries.of(Method.BDF, Method.ADAMS), Arbitraries.of(50L, 500L, 5000L), ls)
                .as((r, m, steps, l) -> {
                    try {
                        return SolverOptions.defaults().withRtol(r).withAtol(new double[] {1e-8, 1e-14, 1e-6}).withMethod(m)
                                .withMaxSteps(steps).withLinearSolver(l);
                    } catch (IllegalArgumentException e) {
                        return null; // an invalid option is refused when made: that is the property's first check
                    }
                });
    }

    // ---- outcomes ----------------------------------------------------------------------------

    /** An answer (as text holding every double's bits) or an exception (class and message). */
    record Outcome(String what) {}

    static String bits(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double x : v) b.append(Long.toHexString(Double.doubleToRawLongBits(x))).append(',');
        return b.toString();
    }

    static Outcome answer(Solution s) {
        StringBuilder b = new StringBuilder("solution ");
        for (int k = 0; k < s.size(); k++) b.append(bits(s.state(k))).append(';');
        return new Outcome(b.append(s.statistics()).toString());
    }

    static Outcome answer(Gradient g) {
        return new Outcome("gradient " + bits(new double[] {g.loss()}) + bits(g.params()) + bits(g.initialState())
                + answer(g.solution()).what() + g.backwardStatistics());
    }

    /** The documented exception types; anything else (NPE, index errors, Errors) fails the property. */
    static Outcome failure(Throwable e) {
        assertTrue(e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof SolverException,
                () -> "undocumented exception type: " + e);
        if (e instanceof CallbackException ce && ce.getCause() != null) {
            Throwable c = ce.getCause();
            assertTrue(c instanceof ArithmeticException || c instanceof IllegalStateException, () -> "callback cause: " + c);
        }
        // every failure by its whole message, CVODES' own text included (s4j-4 stopped its CV_BAD_T
        // messages from quoting uninitialised memory), with flag, function and phase
        if (e instanceof SolverException se)
            return new Outcome(e.getClass().getSimpleName() + ": " + se.flagName() + " in " + se.function() + ", " + se.phase()
                    + ": " + e.getMessage());
        return new Outcome(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** Outcomes of the reused solvers, by kind (answers, then exception classes), for the report. */
    static final java.util.Map<String, Integer> TALLY = new java.util.TreeMap<>();

    static Outcome tally(Outcome o) {
        String kind = o.what().startsWith("solution") || o.what().startsWith("gradient") ? "answer" : o.what().split(":")[0];
        TALLY.merge(kind, 1, Integer::sum);
        return o;
    }

    static Outcome run(java.util.function.Supplier<Outcome> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            return failure(e);
        } finally {
            Thread.interrupted(); // a scripted interrupt must not leak into the next call
        }
    }

    static void arm(Script script, Step s, Runnable self) {
        script.act = s.act();
        script.site = s.site();
        script.at = s.at();
        script.calls = 0;
        script.self = self;
    }

    /** What the script's self-call does on a plain solver. */
    static Runnable selfAction(Act act, CvodesSolver s, Step step) {
        return switch (act) {
            case CLOSE_SELF -> s::close;
            case CALL_SELF -> () -> s.solve(step.y0(), step.p(), step.times());
            case CANCEL_SELF -> s::cancel;
            default -> () -> { };
        };
    }

    static int solveTries, gradientTries;

    @Property(tries = 600)
    void reusedSolverAnswersAsAFreshOne(@ForAll("options") SolverOptions options, @ForAll("steps") List<Step> steps) {
        if (options == null) return; // refused when made
        solveTries++;
        Script reusedScript = new Script();
        CvodesSolver reused;
        try {
            reused = new CvodesSolver(new ScriptedRober(reusedScript), options);
        } catch (IllegalArgumentException e) {
            return; // e.g. gmres maxl above n: refused when made
        }
        try {
            for (Step s : steps) {
                arm(reusedScript, s, selfAction(s.act(), reused, s));
                Outcome got = tally(run(() -> answer(reused.solve(s.y0(), s.p(), s.times()))));
                Script freshScript = new Script();
                Outcome expected;
                try (CvodesSolver fresh = new CvodesSolver(new ScriptedRober(freshScript), options)) {
                    arm(freshScript, s, selfAction(s.act(), fresh, s));
                    expected = run(() -> answer(fresh.solve(s.y0(), s.p(), s.times())));
                }
                assertEquals(expected, got, s + " after " + steps + " with " + options);
                assertFalse(got.what().contains("solver is closed"), "a refused close() must not close: " + s);
            }
        } finally {
            reused.close();
        }
        assertTrue(reusedClosedRefusesUse(reused));
    }

    static boolean reusedClosedRefusesUse(CvodesSolver s) {
        try {
            s.solve(RoberFixture.Y0, RoberFixture.P, new double[] {1});
            return false;
        } catch (IllegalStateException e) {
            return e.getMessage().contains("closed");
        }
    }

    static final OutputLoss SQUARES = LifecycleTest.SQUARES;

    /** A loss running the script (site LOSS) before the sum of squares. */
    static OutputLoss scriptedLoss(Script script) {
        return (times, states, p, dY, dP) -> {
            double[] v = {0};
            script.fire(Site.LOSS, times[times.length - 1], v);
            return SQUARES.evaluate(times, states, p, dY, dP) + v[0];
        };
    }

    static Runnable selfAction(Act act, GradientSolver g, Step step) {
        return switch (act) {
            case CLOSE_SELF -> g::close;
            case CALL_SELF -> () -> g.gradient(0, step.y0(), step.p(), step.times());
            case CANCEL_SELF -> g::cancel;
            default -> () -> { };
        };
    }

    @Provide
    Arbitrary<SensitivityOptions> sensitivities() {
        return Combinators.combine(Arbitraries.of(SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT),
                Arbitraries.of(1, 5, 150), Arbitraries.of(SensitivityOptions.Interpolation.values()), Arbitraries.of(true, false))
                .as((m, steps, interp, subset) -> {
                    SensitivityOptions so = SensitivityOptions.defaults().withMethod(m).withCheckpointSteps(steps)
                            .withInterpolation(interp);
                    return subset ? so.withParameters(2, 0).withInitialStates(1) : so;
                });
    }

    @Property(tries = 300)
    void reusedGradientSolverAnswersAsAFreshOne(@ForAll("options") SolverOptions options,
                                                @ForAll("sensitivities") SensitivityOptions sens,
                                                @ForAll @Size(min = 1, max = 3) List<@net.jqwik.api.From("oneStep") Step> steps) {
        if (options == null) return;
        gradientTries++;
        Script reusedScript = new Script();
        GradientSolver reused;
        try {
            reused = new GradientSolver(new ScriptedRober(reusedScript), scriptedLoss(reusedScript), LifecycleTest.Y3, options, sens);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().contains("POLYNOMIAL"), e.getMessage());
            return;
        }
        try {
            for (Step s : steps) {
                arm(reusedScript, s, selfAction(s.act(), reused, s));
                Outcome got = tally(run(() -> answer(reused.gradient(0, s.y0(), s.p(), s.times()))));
                Script freshScript = new Script();
                Outcome expected;
                try (GradientSolver fresh = new GradientSolver(new ScriptedRober(freshScript), scriptedLoss(freshScript),
                        LifecycleTest.Y3, options, sens)) {
                    arm(freshScript, s, selfAction(s.act(), fresh, s));
                    expected = run(() -> answer(fresh.gradient(0, s.y0(), s.p(), s.times())));
                }
                assertEquals(expected, got, s + " after " + steps + " with " + options + ", " + sens);
            }
        } finally {
            reused.close();
        }
    }

    @Provide
    Arbitrary<Step> oneStep() {
        return steps().map(l -> l.get(0));
    }

    @net.jqwik.api.lifecycle.AfterContainer
    static void report() {
        System.out.println("ReliabilityProperties: " + solveTries + " solve call orders and " + gradientTries
                + " gradient call orders with valid options (the rest were refused when made); outcomes of the reused "
                + "solvers' calls: " + TALLY);
        Objects.requireNonNull(SQUARES);
    }
}
