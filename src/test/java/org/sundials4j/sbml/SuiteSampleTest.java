package org.sundials4j.sbml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sundials4j.sbml.suite.CaseResult;
import org.sundials4j.sbml.suite.SuiteReport;
import org.sundials4j.sbml.suite.SuiteRunner;
import static org.sundials4j.sbml.suite.SuiteRunner.violation;

/**
 * A curated sample of the SBML Test Suite's semantic cases (100 cases covering every component and
 * test tag the importer supports, each tag at least twice where the suite has two passing cases;
 * the suite's LICENSE.txt beside them),
 * each judged by the suite's own rule against the suite's expected results.
 */
class SuiteSampleTest {
    static final Path SAMPLE = Path.of("src/test/resources/sbml-test-suite");

    @TestFactory
    Stream<DynamicTest> everySampledCasePassesTheSuiteRule() {
        SuiteRunner runner = SuiteRunner.forDirectory(SAMPLE);
        return SuiteRunner.caseDirectories(SAMPLE).stream().map(dir -> DynamicTest.dynamicTest("case " + dir.getFileName(), () -> {
            CaseResult r = runner.run(dir);
            assertEquals(CaseResult.Status.PASSED, r.status(), r.id() + ": " + r.detail());
            assertTrue(r.worst() <= 1, r.id() + " worst " + r.worst());
        }));
    }

    @Test
    void sampleCoversTheSupportedTags() {
        SuiteRunner runner = SuiteRunner.forDirectory(SAMPLE);
        List<CaseResult> results = SuiteRunner.caseDirectories(SAMPLE).stream().map(runner::run).toList();
        SuiteReport report = new SuiteReport(results, 0);
        assertEquals(100, results.size());
        for (String tag : List.of("AssignmentRule", "RateRule", "InitialAssignment", "FunctionDefinition",
                "StoichiometryMath", "CSymbolTime", "CSymbolAvogadro", "CSymbolRateOf", "Compartment", "Species",
                "EventNoDelay", "EventWithDelay", "EventPriority",
                "Reaction", "Parameter")) {
            int[] c = report.perTag(true).get(tag);
            assertTrue(c != null && c[0] >= 2, "component tag " + tag + " is covered by at least two passing cases");
        }
        for (String tag : List.of("Amount", "Concentration", "HasOnlySubstanceUnits", "BoundaryCondition",
                "ConstantSpecies", "ConversionFactors", "LocalParameters", "NonConstantCompartment", "0D-Compartment",
                "NonUnityStoichiometry", "AssignedVariableStoichiometry", "SpeciesReferenceInMath", "UncommonMathML",
                "L3v2MathML", "BoolNumericSwap", "VolumeConcentrationRates", "NoMathML", "EventT0Firing",
                "EventIsNotPersistent", "EventIsPersistent", "EventUsesTriggerTimeValues", "EventUsesAssignmentTimeValues",
                "RandomEventExecution")) {
            int[] c = report.perTag(false).get(tag);
            assertTrue(c != null && c[0] >= 2, "test tag " + tag + " is covered by at least two passing cases");
        }
        Map<String, int[]> perTag = report.perTag(false);
        assertTrue(perTag.values().stream().allMatch(c -> c[1] == 0), "no failures in any tag");
    }

    @Test
    void ruleIsTheSuitesAbsolutePlusRelative() {
        // |a - e| <= abs + rel |e|: exactly at the bound passes, just beyond fails
        assertEquals(1.0, violation(1 + (1e-7 + 1e-4), 1, 1e-7, 1e-4), 1e-9);
        assertTrue(violation(1 + 1.01 * (1e-7 + 1e-4), 1, 1e-7, 1e-4) > 1);
        assertEquals(0.0, violation(Double.NaN, Double.NaN, 1e-7, 1e-4));
        assertEquals(Double.POSITIVE_INFINITY, violation(1, Double.NaN, 1e-7, 1e-4));
        assertEquals(Double.POSITIVE_INFINITY, violation(Double.NaN, 1, 1e-7, 1e-4));
    }
}
