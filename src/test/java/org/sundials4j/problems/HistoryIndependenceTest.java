package org.sundials4j.problems;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverStatistics;

/**
 * Results do not depend on history: a solver reused with other inputs answers bit for bit what a
 * fresh solver answers, in the plain solve and in both sensitivity modes, and 8 threads running
 * their own solvers answer bit for bit what one thread does. The reference is the fresh object;
 * the comparison is exact (every double by its bits, every counter), since anything less would let
 * a history-dependent step size pass as "close".
 */
class HistoryIndependenceTest {

    /** One gradient input: parameters and initial state scaled from the nominal ones. */
    record Input(double[] p, double[] y0) {}

    /** Nominal inputs, then both perturbed (parameters up, initial state down), then nominal again. */
    static List<Input> inputs(Objective o) {
        double[] p = o.problem().parameters(), y0 = o.problem().initialState();
        List<Input> in = new ArrayList<>();
        in.add(new Input(p, y0));
        in.add(new Input(scale(p, 1.07), scale(y0, 0.93)));
        in.add(new Input(scale(p, 0.96), y0));
        in.add(new Input(p, y0));
        return in;
    }

    static double[] scale(double[] v, double f) {
        double[] r = v.clone();
        for (int i = 0; i < r.length; i++) r[i] *= f;
        return r;
    }

    static Stream<Arguments> cases() {
        List<Arguments> a = new ArrayList<>();
        for (Objective o : objectives())
            for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT})
                a.add(Arguments.of(o.name(), o, m));
        // sensitivities outside the error test (errconS false): Adams with quadrature sensitivities,
        // where CVODES left state of the previous run in use (cmake/README, s4j-3)
        Objective lv = adamsIntegral();
        a.add(Arguments.of(lv.name() + " errcon=false", selecting(lv, lv.sensitivity().withErrorControl(false)), SensitivityMethod.FORWARD));
        return a.stream();
    }

    /**
     * Dense (rober with its integral, pollu), Adams with polynomial interpolation, band, KLU; on
     * brusselator-2d three initial states stand for all 128 (forward mode pays per sensitivity).
     */
    static List<Objective> objectives() {
        Objective b = Objectives.brusselator(8);
        return List.of(Objectives.rober(), Objectives.pollu(), Objectives.lotkaVolterra(), adamsIntegral(),
                Objectives.advectionDiffusion(), Objectives.neuralOde(4), selecting(b, b.sensitivity().withInitialStates(0, 17, 100)));
    }

    /**
     * lotka-volterra (Adams) with an integral ∫ x·y dt as well: Adams order increases with
     * quadrature sensitivities, where CVODES left a column uninitialised (cmake/README, s4j-1).
     */
    static Objective adamsIntegral() {
        Objective lv = Objectives.lotkaVolterra();
        return new Objective(lv.problem(), lv.times(), lv.loss(),
                org.sundials4j.tape.TapeIntegrand.of(2, 4, (tape, t, y, p) -> y.get(0).times(y.get(1))), lv.options(), lv.sensitivity());
    }

    static Objective selecting(Objective o, org.sundials4j.ode.SensitivityOptions s) {
        return new Objective(o.problem(), o.times(), o.loss(), o.integrand(), o.options(), s);
    }

    static Gradient fresh(Objective o, SensitivityMethod m, Input in) {
        try (GradientSolver gs = solver(o, m)) {
            return gs.gradient(0, in.y0(), in.p(), o.times());
        }
    }

    static GradientSolver solver(Objective o, SensitivityMethod m) {
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity().withMethod(m));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void reusedGradientSolverAnswersAsAFreshOne(String name, Objective o, SensitivityMethod m) {
        try (GradientSolver reused = solver(o, m)) {
            int k = 0;
            for (Input in : inputs(o)) {
                assertSameGradient(name + " " + m + " input " + k++, fresh(o, m, in), reused.gradient(0, in.y0(), in.p(), o.times()));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("solveCases")
    void reusedSolverAnswersAsAFreshOne(String name, Objective o) {
        Problem pr = o.problem();
        try (CvodesSolver reused = new CvodesSolver(o.model(), o.options())) {
            int k = 0;
            for (Input in : inputs(o)) {
                Solution expected;
                try (CvodesSolver f = new CvodesSolver(o.model(), o.options())) {
                    expected = f.solve(in.y0(), in.p(), pr.outputTimes());
                }
                assertSameSolution(name + " input " + k++, expected, reused.solve(in.y0(), in.p(), pr.outputTimes()));
            }
        }
    }

    static Stream<Arguments> solveCases() {
        return objectives().stream().map(o -> Arguments.of(o.name(), o));
    }

    /**
     * 8 threads, each with its own solvers, work through the same mixed list of inputs and modes in
     * different orders; every answer equals the sequential fresh one bit for bit.
     */
    @Test
    void eightThreadsAnswerAsOne() throws Exception {
        Objective p = Objectives.pollu();
        Objective o = selecting(p, p.sensitivity().withParameters(0, 5, 10, 24).withInitialStates(1, 3));
        List<Input> in = inputs(o);
        SensitivityMethod[] modes = {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT};
        Gradient[][] expected = new Gradient[modes.length][in.size()];
        for (int mi = 0; mi < modes.length; mi++)
            for (int i = 0; i < in.size(); i++) expected[mi][i] = fresh(o, modes[mi], in.get(i));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int shift = t;
                done.add(pool.submit(() -> {
                    GradientSolver[] solvers = {solver(o, modes[0]), solver(o, modes[1])};
                    try {
                        for (int r = 0; r < in.size() * modes.length; r++) {
                            int j = (r + shift) % (in.size() * modes.length), mi = j % modes.length, i = j / modes.length;
                            Input x = in.get(i);
                            assertSameGradient("thread " + shift + " round " + r, expected[mi][i],
                                    solvers[mi].gradient(0, x.y0(), x.p(), o.times()));
                        }
                    } finally {
                        for (GradientSolver s : solvers) s.close();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
    }

    static void assertSameGradient(String what, Gradient expected, Gradient actual) {
        assertBits(what + " loss", new double[] {expected.loss()}, new double[] {actual.loss()});
        assertBits(what + " dL/dp", expected.params(), actual.params());
        assertBits(what + " dL/dy0", expected.initialState(), actual.initialState());
        assertSameSolution(what, expected.solution(), actual.solution());
        assertEquals(String.valueOf(expected.backwardStatistics()), String.valueOf(actual.backwardStatistics()),
                what + " backward statistics");
        assertEquals(expected.checkpoints(), actual.checkpoints(), what + " checkpoints");
    }

    static void assertSameSolution(String what, Solution expected, Solution actual) {
        for (int k = 0; k < expected.size(); k++) assertBits(what + " y(t_" + k + ")", expected.state(k), actual.state(k));
        SolverStatistics e = expected.statistics(), a = actual.statistics();
        assertEquals(String.valueOf(e), String.valueOf(a), what + " statistics");
    }

    static void assertBits(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++)
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i]))
                throw new AssertionError(what + "[" + i + "]: fresh " + expected[i] + ", reused " + actual[i]
                        + " (relative difference " + Math.abs(actual[i] - expected[i]) / Math.abs(expected[i]) + "); all: "
                        + Arrays.toString(expected) + " vs " + Arrays.toString(actual));
    }
}
