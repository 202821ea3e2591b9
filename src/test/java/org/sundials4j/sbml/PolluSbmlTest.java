package org.sundials4j.sbml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Pollu;
import org.sundials4j.problems.Problem;

/**
 * POLLU written as SBML (src/test/resources/sbml-models/pollu.xml, made by tests/sbml/pollu_sbml.py)
 * against the problem set's hand-transcribed POLLU: the test set's published y(60), every species at
 * t = 60, and the gradient of {@code L = Σ_{t ∈ {1,5,10,30,60}} Σ y²} with respect to k1..k25.
 */
class PolluSbmlTest {
    static final Path POLLU = Path.of("src/test/resources/sbml-models/pollu.xml");
    private static final SolverOptions TIGHT = SolverOptions.defaults().withTolerances(1e-11, 1e-15).withMaxSteps(1_000_000);

    private static List<Variable> species() {
        List<Variable> v = new ArrayList<>();
        for (int i = 1; i <= 20; i++) v.add(Variable.value("y" + i));
        return v;
    }

    @Test
    void solveMatchesTheTestSetAndTheProblemSet() {
        SbmlModel model = SbmlImporter.read(POLLU);
        assertEquals(20, model.stateIds().size());
        TimeCourse tc = model.simulate(new double[] {0, Pollu.FINAL_TIME}, species(), TIGHT);
        assertEquals(Pollu.Y1_AT_60, tc.values()[1][0], 1e-8 * Pollu.Y1_AT_60);
        assertEquals(Pollu.Y8_AT_60, tc.values()[1][7], 1e-8 * Pollu.Y8_AT_60);
        Problem p = Pollu.problem();
        double[] ref;
        try (CvodesSolver s = new CvodesSolver(p.tapeModel(), TIGHT)) {
            ref = s.solve(p.initialState(), p.parameters(), new double[] {Pollu.FINAL_TIME}).state(0);
        }
        for (int i = 0; i < 20; i++) assertEquals(ref[i], tc.values()[1][i], 1e-8 * Math.abs(ref[i]) + 1e-18, "y" + (i + 1));
    }

    @Test
    void gradientMatchesTheProblemSetsObjective() {
        SbmlModel model = SbmlImporter.read(POLLU);
        Objective o = Objectives.pollu();
        double[] times = o.times();
        double[][] zeros = new double[times.length][20];
        List<String> ks = new ArrayList<>();
        for (int j = 1; j <= 25; j++) ks.add("k" + j);
        SensitivityOptions sens = SensitivityOptions.defaults().withBackwardTolerances(1e-11, 1e-15).withQuadratureTolerances(1e-11, 1e-15);
        LossGradient sbml = model.lossGradient(0, times, model.declaredValues(), species(), zeros, ks, TIGHT,
                sens.withMethod(SensitivityMethod.ADJOINT));
        Problem p = o.problem();
        Gradient ref;
        try (GradientSolver gs = new GradientSolver(p.tapeModel(), o.loss(), null, TIGHT,
                sens.withMethod(SensitivityMethod.FORWARD).withInitialStates())) {
            ref = gs.gradient(0, p.initialState(), p.parameters(), times);
        }
        assertEquals(ref.loss(), sbml.loss(), 1e-9 * ref.loss());
        double norm = 0;
        for (double g : ref.params()) norm += g * g;
        norm = Math.sqrt(norm);
        for (int j = 0; j < 25; j++) assertEquals(ref.params()[j], sbml.gradient()[j], 1e-6 * norm, "dL/dk" + (j + 1));
    }
}
