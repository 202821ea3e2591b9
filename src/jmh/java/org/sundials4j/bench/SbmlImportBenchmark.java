package org.sundials4j.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.sbml.SbmlImporter;
import org.sundials4j.sbml.SbmlModel;
import org.sundials4j.sbml.TimeCourse;
import org.sundials4j.sbml.Variable;

/**
 * Import of an SBML model and its first solve, after JVM warm-up: POLLU as SBML (20 species, 25
 * reactions, src/test/resources/sbml-models/pollu.xml) read from a string (JSBML parse, structure,
 * tape recordings of the initial values, right-hand side and outputs) and solved to t = 60 with
 * 60 outputs at rtol 1e-6, atol 1e-10. {@code importOnly} stops after the import; {@code importAndSolve}
 * is what a user waits for. {@code importAndSolveWithEvents}: the same model with two delayed
 * events (SBML Level 3 semantics: a dose into y1 at time 20 + 5 with values from trigger time, and
 * a non-persistent one triggered when y1 falls below 0.05, executing 2 later), added with JSBML.
 * Run: {@code java -cp ... org.openjdk.jmh.Main SbmlImportBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SbmlImportBenchmark {
    private String xml;
    private String withEvents;
    private final double[] times = SbmlModel.uniformTimes(0, 60, 60);
    private final SolverOptions options = SolverOptions.defaults().withTolerances(1e-6, 1e-10);

    @Setup
    public void setUp() throws Exception {
        xml = Files.readString(Path.of("src/test/resources/sbml-models/pollu.xml"));
        TimeCourse tc = importAndSolve();
        // a benchmark of a wrong solve would be worthless: the test set's y1(60)
        double y1 = tc.values()[60][0];
        if (Math.abs(y1 - 0.05646255480022769) > 1e-4 * 0.0565) throw new IllegalStateException("pollu y1(60) = " + y1);
        org.sbml.jsbml.SBMLDocument doc = new org.sbml.jsbml.SBMLReader().readSBMLFromString(xml);
        org.sbml.jsbml.Model model = doc.getModel();
        org.sbml.jsbml.Event dose = model.createEvent("dose");
        dose.setUseValuesFromTriggerTime(true);
        dose.createTrigger(true, true, org.sbml.jsbml.ASTNode.parseFormula("y2 > 0 && time >= 20"));
        dose.createDelay(org.sbml.jsbml.ASTNode.parseFormula("5"));
        dose.createEventAssignment("y1", org.sbml.jsbml.ASTNode.parseFormula("y1 + 0.1"));
        org.sbml.jsbml.Event low = model.createEvent("low");
        low.setUseValuesFromTriggerTime(false);
        low.createTrigger(true, false, org.sbml.jsbml.ASTNode.parseFormula("y1 < 0.05"));
        low.createDelay(org.sbml.jsbml.ASTNode.parseFormula("2"));
        low.createEventAssignment("y3", org.sbml.jsbml.ASTNode.parseFormula("y3 * 2"));
        withEvents = new org.sbml.jsbml.SBMLWriter().writeSBMLToString(doc);
        TimeCourse te = importAndSolveWithEvents();
        if (!(te.values()[25][0] > te.values()[24][0] + 0.05)) throw new IllegalStateException("the dose did not arrive at 25");
    }

    @Benchmark
    public SbmlModel importOnly() {
        return SbmlImporter.fromString(xml);
    }

    @Benchmark
    public TimeCourse importAndSolveWithEvents() {
        SbmlModel m = SbmlImporter.fromString(withEvents);
        return m.simulate(times, m.defaultVariables(), options);
    }

    @Benchmark
    public TimeCourse importAndSolve() {
        SbmlModel m = SbmlImporter.fromString(xml);
        List<Variable> vars = m.defaultVariables();
        return m.simulate(times, vars, options);
    }
}
