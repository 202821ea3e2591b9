package org.sundials4j.sbml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sundials4j.ode.EventRecord;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.sbml.suite.CaseSettings;
import org.sundials4j.sbml.suite.ExpectedResults;

/**
 * Gradients of a sum-of-squares loss on imported models, with respect to every declared value that
 * is nonzero (global and local parameters, compartment sizes, species initial amounts or
 * concentrations, stoichiometries): forward sensitivities, the adjoint and fourth-order central
 * differences of the simulated loss agree to 1e-6 (relative to the gradient's norm) at tight tolerances.
 * Models: suite cases 00643 (rate rule, assignment rule, initial assignments), 00706 (local
 * parameters, assignment rules, initial assignments) and 01121 (conversion factors, variable
 * stoichiometry, several compartments, one of varying size, function definitions, local parameters),
 * 00041 (two events whose triggers depend on the states they reset, so the event times move with
 * every parameter: the event-time terms of the sensitivity jumps matter), and four with delayed
 * events whose triggers depend on the states: 00453 (one delayed reset), 00454 (two, each
 * triggered by a state the other resets), 00459 (S1 := S2 with S2 from trigger time),
 * 01678 (a non-persistent event whose trigger holds only in a window of S1; conversion factors).
 */
public class GradientTest {
    private static final SolverOptions TIGHT = SolverOptions.defaults().withTolerances(1e-12, 1e-16).withMaxSteps(1_000_000);

    @ParameterizedTest
    @ValueSource(strings = {"00643", "00706", "01121", "00041", "00453", "00454", "00459", "01678"})
    void forwardAdjointAndCentralDifferencesAgree(String id) {
        Path dir = SuiteSampleTest.SAMPLE.resolve("cases").resolve(id);
        SbmlModel model = SbmlImporter.read(dir.resolve(id + "-sbml-l3v2.xml"));
        CaseSettings settings = CaseSettings.read(dir.resolve(id + "-settings.txt"));
        ExpectedResults expected = ExpectedResults.read(dir.resolve(id + "-results.csv"));
        double[] times = settings.times();
        List<Variable> vars = settings.variables();
        // data: the suite's expected values, perturbed so the residuals (and the gradient) are not zero
        double[][] data = new double[times.length][vars.size()];
        for (int k = 0; k < times.length; k++)
            for (int j = 0; j < vars.size(); j++)
                data[k][j] = expected.rows()[k][expected.column(vars.get(j).id())] * (1 + 0.1 * Math.sin(k + 3 * j));
        double[] p = model.declaredValues();
        // The loss jumps where an event time crosses an output time; central differences see the jump,
        // the gradient does not. Outputs within 0.05 of an event (NaN data: not in the loss) keep the
        // loss smooth over the differences' steps.
        for (EventRecord ev : model.simulate(times, p, vars, TIGHT).events())
            for (int k = 0; k < times.length; k++)
                if (Math.abs(times[k] - ev.time()) < 0.05) java.util.Arrays.fill(data[k], Double.NaN);
        List<String> wrt = new ArrayList<>();
        for (String d : model.declaredIds()) {
            double v = p[model.declaredIndex(d)];
            if (Double.isFinite(v) && v != 0) wrt.add(d);
        }
        assertTrue(wrt.size() >= 3, id + " has declared values to differentiate: " + wrt);

        SensitivityOptions sens = SensitivityOptions.defaults().withBackwardTolerances(1e-12, 1e-16)
                .withQuadratureTolerances(1e-12, 1e-16);
        LossGradient fwd = model.lossGradient(times, p, vars, data, wrt, TIGHT, sens.withMethod(SensitivityMethod.FORWARD));
        LossGradient adj = model.lossGradient(times, p, vars, data, wrt, TIGHT, sens.withMethod(SensitivityMethod.ADJOINT));
        double[] fd = centralDifferences(model, times, p, vars, data, wrt);

        assertEquals(loss(model, times, p, vars, data), fwd.loss(), 1e-9 * Math.abs(fwd.loss()));
        assertEquals(fwd.loss(), adj.loss(), 1e-10 * Math.abs(fwd.loss()));
        double norm = 0;
        for (double g : fd) norm += g * g;
        norm = Math.sqrt(norm);
        assertTrue(norm > 0, "nonzero gradient");
        double fwdFd = 0, adjFd = 0, fwdAdj = 0;
        for (int j = 0; j < wrt.size(); j++) {
            fwdFd = Math.max(fwdFd, Math.abs(fwd.gradient()[j] - fd[j]) / norm);
            adjFd = Math.max(adjFd, Math.abs(adj.gradient()[j] - fd[j]) / norm);
            fwdAdj = Math.max(fwdAdj, Math.abs(fwd.gradient()[j] - adj.gradient()[j]) / norm);
        }
        System.out.printf("%s: %d declared values %s; largest difference / |gradient|: forward-fd %.2e, "
                + "adjoint-fd %.2e, forward-adjoint %.2e%n", id, wrt.size(), wrt, fwdFd, adjFd, fwdAdj);
        for (int j = 0; j < wrt.size(); j++) {
            String what = id + " dL/d" + wrt.get(j) + ": forward " + fwd.gradient()[j] + ", adjoint " + adj.gradient()[j]
                    + ", central differences " + fd[j];
            assertEquals(fd[j], fwd.gradient()[j], 1e-6 * norm, what);
            assertEquals(fd[j], adj.gradient()[j], 1e-6 * norm, what);
            assertEquals(fwd.gradient()[j], adj.gradient()[j], 1e-6 * norm, what);
        }
    }

    /** The loss by simulation alone, the reference the derivatives are checked against. */
    public static double loss(SbmlModel model, double[] times, double[] p, List<Variable> vars, double[][] data) {
        TimeCourse tc = model.simulate(times, p, vars, TIGHT);
        double s = 0;
        for (int k = 0; k < times.length; k++)
            for (int j = 0; j < vars.size(); j++) {
                double r = tc.values()[k][j] - data[k][j];
                if (!Double.isNaN(r)) s += r * r;
            }
        return s;
    }

    /** {@code (-L(θ+2h) + 8L(θ+h) - 8L(θ-h) + L(θ-2h)) / 12h}, h relative to the value. */
    public static double[] centralDifferences(SbmlModel model, double[] times, double[] p, List<Variable> vars,
                                       double[][] data, List<String> wrt) {
        double[] g = new double[wrt.size()];
        for (int j = 0; j < g.length; j++) {
            int i = model.declaredIndex(wrt.get(j));
            double h = 1e-3 * Math.abs(p[i]);
            double[] f = new double[4];
            double[] steps = {2 * h, h, -h, -2 * h};
            for (int s = 0; s < 4; s++) {
                double[] q = p.clone();
                q[i] += steps[s];
                f[s] = loss(model, times, q, vars, data);
            }
            g[j] = (-f[0] + 8 * f[1] - 8 * f[2] + f[3]) / (12 * h);
        }
        return g;
    }
}
