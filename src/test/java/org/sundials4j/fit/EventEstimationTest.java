package org.sundials4j.fit;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.PkDosing;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

/** Experiments with dose schedules: the likelihood, its gradient and its Hessian follow the events. */
class EventEstimationTest {
    static final SolverOptions TIGHT = SolverOptions.defaults().withTolerances(1e-11, 1e-13).withMaxSteps(100_000);

    /** Doses of F·dose into the gut at {@code times}, and the problem set's rescue dose. */
    static EventSchedule doses(double dose, double... times) {
        return (n, np) -> List.of(
                TapeEvents.at("dose", times, n, np, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(dose)), y.get(1)}),
                TapeEvents.whenZero("rescue", n, np, (tape, t, y, p) -> y.get(1).div(p.get(2)).minus(PkDosing.C_MIN),
                        Event.Direction.DOWN, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(PkDosing.RESCUE_DOSE)), y.get(1)}));
    }

    static double[][] concentrations(EventSchedule s, double[] p, double[] times) {
        TapeOdeModel m = TapeOdeModel.record(2, 4, PkDosing.definition(), 0, PkDosing.Y0, p);
        try (CvodesSolver solver = new CvodesSolver(EventModel.of(m, s.events(2, 4)), SolverOptions.defaults().withTolerances(1e-13, 1e-15).withMaxSteps(100_000))) {
            double[][] y = solver.solve(0, PkDosing.Y0, p, times).states();
            double[][] c = new double[times.length][1];
            for (int k = 0; k < times.length; k++) c[k][0] = y[k][1] / p[2];
            return c;
        }
    }

    static EstimationProblem problem(double factor, NoiseModel noise, SensitivityMethod method) {
        double[] t = PkDosing.OUTPUT_TIMES, p = PkDosing.PARAMETERS;
        EventSchedule a = doses(PkDosing.DOSE, PkDosing.DOSE_TIMES), b = doses(200, 0, 24);
        return EstimationProblem.builder(2, PkDosing.definition())
                .parameters(FitParameter.of("ka", p[0] * factor).withLogScale().withBounds(0.05, 20),
                        FitParameter.of("CL", p[1] / factor).withLogScale().withBounds(0.1, 100),
                        FitParameter.of("V", p[2] * factor).withLogScale().withBounds(1, 500),
                        FitParameter.of("F", p[3]).asFixed())
                .observables((tape, time, y, q) -> new Var[] {y.get(1).div(q.get(2))})
                .noise(noise)
                .experiment(Experiment.of("a", PkDosing.Y0, t, concentrations(a, p, t)).withEvents(a))
                .experiment(Experiment.of("b", PkDosing.Y0, t, concentrations(b, p, t)).withEvents(b))
                .solverOptions(TIGHT)
                .sensitivityOptions(SensitivityOptions.defaults().withMethod(method).withBackwardTolerances(1e-11, 1e-13)
                        .withQuadratureTolerances(1e-11, 1e-13))
                .build();
    }

    /** Two subjects, two dose schedules with rescue doses, noise-free data: ka, CL, V recovered to 1e-6. */
    @Test
    void recoversPkParametersThroughDoses() {
        EstimationProblem problem = problem(1.08, NoiseModel.gaussian(0.05), SensitivityMethod.AUTO);
        FitResult r = problem.fit(OptimizerOptions.defaults().withGradientTolerance(1e-10).withFunctionTolerance(0), null);
        assertTrue(r.optimization().converged(), r.optimization().toString());
        double[] p = PkDosing.PARAMETERS;
        for (int i = 0; i < 3; i++) assertEquals(p[i], r.estimates()[i], 1e-6 * p[i], r.names()[i]);
        assertNotNull(r.uncertainty(), r.uncertaintyFailure());
        assertEquals("second-order adjoint through events", r.uncertainty().hessianMethod());
        // standard errors from the exact Hessian against those from central differences of the exact gradient
        try (Likelihood l = problem.likelihood()) {
            Uncertainty fd = Uncertainty.at(problem, r.theta(), l.hessianByDifferences(r.theta()), "differences");
            for (int i = 0; i < 3; i++)
                assertEquals(fd.standardErrors()[i], r.uncertainty().standardErrors()[i], 1e-5 * fd.standardErrors()[i], r.names()[i]);
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    assertEquals(fd.correlation()[i][j], r.uncertainty().correlation()[i][j], 1e-5, "correlation " + i + ", " + j);
        }
    }

    /** The likelihood gradient through the doses and rescue events against central differences, both methods. */
    @Test
    void gradientThroughEventsMatchesCentralDifferences() {
        for (SensitivityMethod m : new SensitivityMethod[] {SensitivityMethod.FORWARD, SensitivityMethod.ADJOINT}) {
            EstimationProblem problem = problem(1.05, NoiseModel.logNormal(0.1).estimated(), m);
            try (Likelihood l = problem.likelihood()) {
                double[] theta = problem.initialTheta(), g = new double[theta.length];
                l.value(theta, g);
                for (int i = 0; i < theta.length; i++) {
                    double h = 1e-4;
                    double[] a = theta.clone(), b = theta.clone();
                    a[i] += h;
                    b[i] -= h;
                    double fd = (l.value(a, new double[theta.length]) - l.value(b, new double[theta.length])) / (2 * h);
                    assertEquals(fd, g[i], 1e-5 * Math.max(1, Math.abs(fd)), m + " " + problem.estimatedNames()[i]);
                }
                // H v in θ (log scales, an estimated σ) against central differences of the gradient
                double[] v = new double[theta.length];
                for (int i = 0; i < v.length; i++) v[i] = 1 - 0.4 * i;
                double[] hv = l.hessianVector(theta, v), a = theta.clone(), b = theta.clone(), ga = new double[theta.length],
                        gb = new double[theta.length];
                double h = 1e-5;
                for (int i = 0; i < theta.length; i++) {
                    a[i] += h * v[i];
                    b[i] -= h * v[i];
                }
                l.value(a, ga);
                l.value(b, gb);
                for (int i = 0; i < theta.length; i++) {
                    double fd = (ga[i] - gb[i]) / (2 * h);
                    assertEquals(fd, hv[i], 1e-5 * Math.max(1, Math.abs(fd)), m + " (H v)_" + problem.estimatedNames()[i]);
                }
            }
        }
    }
}
