package org.sundials4j.problems;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.NonlinearSolver;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/** The loss of every problem of the set, by name (the gradient runs of tests, CLI and benchmarks). */
public final class Objectives {
    private static final Map<String, Supplier<Objective>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put(Rober.NAME, Objectives::rober);
        BY_NAME.put(Pollu.NAME, Objectives::pollu);
        BY_NAME.put(LotkaVolterra.NAME, Objectives::lotkaVolterra);
        BY_NAME.put(AdvectionDiffusion.NAME, Objectives::advectionDiffusion);
        BY_NAME.put(NeuralOde.NAME, () -> neuralOde(NeuralOde.DEFAULT_HIDDEN));
        BY_NAME.put(Brusselator2d.NAME, () -> brusselator(Brusselator2d.DEFAULT_GRID));
        BY_NAME.put(PkDosing.NAME, Objectives::pkDosing);
    }

    private Objectives() {}

    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static Objective byName(String name) {
        Supplier<Objective> s = name == null ? null : BY_NAME.get(name);
        if (s == null) throw new IllegalArgumentException("name = " + name + " is not a problem; known: " + names());
        return s.get();
    }

    private static SolverOptions options(Problem p) {
        return SolverOptions.defaults().withRtol(p.relativeTolerance()).withAtol(p.absoluteTolerances())
                .withMaxSteps(100_000).withLinearSolver(LinearSolver.auto()).withNonlinearSolver(NonlinearSolver.auto());
    }

    /**
     * Backward and quadrature tolerances as the forward ones. Adams problems interpolate the forward
     * solution with CVODES' polynomial (Nordsieck) interpolation: Hermite's cubic limits the
     * adjoint to about 1e-6 relative at the high orders Adams reaches.
     */
    private static SensitivityOptions sensitivity(SolverOptions o) {
        double atol = Double.POSITIVE_INFINITY;
        for (double a : o.atol()) atol = Math.min(atol, a);
        SensitivityOptions s = SensitivityOptions.defaults().withBackwardTolerances(o.rtol(), atol)
                .withQuadratureTolerances(o.rtol(), atol);
        return o.method() == Method.ADAMS ? s.withInterpolation(SensitivityOptions.Interpolation.POLYNOMIAL) : s;
    }

    /** G = ∫₀^T y3 dt, T = 4e7, with the settings of cvsRoberts_ASAi_dns. */
    public static Objective rober() {
        Problem p = Rober.problem();
        SolverOptions o = SolverOptions.defaults().withRtol(Rober.GRADIENT_RTOL).withAtol(Rober.GRADIENT_ATOL)
                .withMaxSteps(100_000).withLinearSolver(LinearSolver.auto());
        SensitivityOptions s = SensitivityOptions.defaults().withCheckpointSteps(Rober.STEPS_BETWEEN_CHECKPOINTS)
                .withBackwardTolerances(Rober.GRADIENT_RTOL, Rober.ADJOINT_ATOL)
                .withQuadratureTolerances(Rober.GRADIENT_RTOL, Rober.QUADRATURE_ATOL);
        TapeIntegrand y3 = TapeIntegrand.of(3, 3, (tape, t, y, q) -> y.get(2));
        return new Objective(p, new double[] {Rober.GRADIENT_FINAL_TIME}, null, y3, o, s);
    }

    /** L = Σ_{t ∈ {1,5,10,30,60}} Σᵢ yᵢ(t)². */
    public static Objective pollu() {
        Problem p = Pollu.problem();
        SolverOptions o = options(p);
        return new Objective(p, Pollu.outputTimes(), sumOfSquares(1.0), null, o, sensitivity(o));
    }

    /** L = mean over all 400 values of (state - 1)². */
    public static Objective lotkaVolterra() {
        Problem p = LotkaVolterra.problem();
        SolverOptions o = options(p).withMethod(Method.ADAMS);
        double[] times = LotkaVolterra.outputTimes();
        double scale = 1.0 / (2.0 * times.length);
        TapeLoss loss = TapeLoss.of((tape, t, y, q) -> {
            Var s = tape.constant(0);
            for (VarVector yk : y) s = s.plus(yk.get(0).minus(1).square()).plus(yk.get(1).minus(1).square());
            return s.times(scale);
        });
        return new Objective(p, times, loss, null, o, sensitivity(o));
    }

    /** L = (1/N) Σ over outputs of Σᵢ cᵢ(t)². */
    public static Objective advectionDiffusion() {
        Problem p = AdvectionDiffusion.problem();
        SolverOptions o = options(p);
        return new Objective(p, AdvectionDiffusion.outputTimes(), sumOfSquares(1.0 / AdvectionDiffusion.N), null, o,
                sensitivity(o));
    }

    /** L = Σ over outputs of Σᵢ (uᵢ(t) - dataᵢ(t))², data from the cubic system at rtol 1e-10. */
    public static Objective neuralOde(int hidden) {
        Problem p = NeuralOde.problem(hidden);
        SolverOptions o = options(p).withMethod(Method.ADAMS);
        double[][] data = neuralOdeData();
        TapeLoss loss = TapeLoss.of((tape, t, y, q) -> {
            Var s = tape.constant(0);
            for (int k = 0; k < y.length; k++)
                for (int i = 0; i < 2; i++) s = s.plus(y[k].get(i).minus(data[k][i]).square());
            return s;
        });
        return new Objective(p, NeuralOde.outputTimes(), loss, null, o, sensitivity(o));
    }

    /** The neural-ode data: the cubic spiral at its output times. */
    public static double[][] neuralOdeData() {
        Problem truth = NeuralOde.truthProblem();
        SolverOptions o = SolverOptions.defaults().withTolerances(NeuralOde.DATA_RTOL, NeuralOde.DATA_ATOL)
                .withMethod(Method.ADAMS).withMaxSteps(100_000);
        try (CvodesSolver s = new CvodesSolver(truth.tapeModel(), o)) {
            Solution sol = s.solve(truth.initialState(), truth.parameters(), truth.outputTimes());
            return sol.states();
        }
    }

    /** L = (1/N²) Σ (u² + v²) at t = 1. */
    public static Objective brusselator(int grid) {
        Problem p = Brusselator2d.problem(grid);
        SolverOptions o = options(p);
        return new Objective(p, Brusselator2d.outputTimes(), sumOfSquares(1.0 / ((double) grid * grid)), null, o,
                sensitivity(o));
    }

    /** L = Σₖ (C(tₖ) - dₖ)², C = A_c / V; BDF, rtol 1e-8, atol 1e-10. */
    public static Objective pkDosing() {
        Problem p = PkDosing.problem();
        SolverOptions o = options(p);
        double[] data = PkDosing.DATA;
        TapeLoss loss = TapeLoss.of((tape, t, y, q) -> {
            Var s = tape.constant(0);
            for (int k = 0; k < y.length; k++) s = s.plus(y[k].get(1).div(q.get(2)).minus(data[k]).square());
            return s;
        });
        return new Objective(p, PkDosing.OUTPUT_TIMES, loss, null, o, sensitivity(o));
    }

    /** scale · Σ over outputs of |y(t_k)|². */
    private static TapeLoss sumOfSquares(double scale) {
        return TapeLoss.of((tape, t, y, q) -> {
            Var s = tape.constant(0);
            for (VarVector yk : y) s = s.plus(yk.dot(yk));
            return s.times(scale);
        });
    }
}
