package org.sundials4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sundials4j.cli.MainTest.list;
import static org.sundials4j.cli.MainTest.numbers;
import static org.sundials4j.cli.MainTest.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sundials4j.sbml.GradientTest;
import org.sundials4j.sbml.SbmlImporter;
import org.sundials4j.sbml.SbmlModel;
import org.sundials4j.sbml.Variable;
import org.sundials4j.sbml.suite.ExpectedResults;
import org.sundials4j.sbml.suite.SuiteRunner;

/** {@code sbml} and {@code sbml-suite} through {@code Main.run}, checked against the suite's expected results and central differences. */
class SbmlCommandsTest {
    private static final Path CASES = Path.of("src/test/resources/sbml-test-suite/cases");

    private static Path file(String id, String suffix) {
        return CASES.resolve(id).resolve(id + suffix);
    }

    @Test
    void settingsRunPrintsTheSuiteTimeCourse() {
        String id = "00706";
        MainTest.Run r = run("sbml", file(id, "-sbml-l3v2.xml").toString(), "--settings", file(id, "-settings.txt").toString(), "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = r.json();
        assertEquals(List.of("model", "times", "variables", "states", "stats", "rtol", "atol", "wallMillis"), List.copyOf(m.keySet()));
        ExpectedResults expected = ExpectedResults.read(file(id, "-results.csv"));
        List<Object> vars = list(m.get("variables"));
        List<Object> states = list(m.get("states"));
        double[] times = numbers(m.get("times"));
        assertEquals(expected.rows().length, times.length);
        for (int k = 0; k < times.length; k++) {
            assertEquals(expected.rows()[k][0], times[k], 1e-12);
            double[] row = numbers(states.get(k));
            for (int j = 0; j < vars.size(); j++) {
                double e = expected.rows()[k][expected.column((String) vars.get(j))];
                assertTrue(SuiteRunner.violation(row[j], e, 1e-7, 1e-4) <= 1, vars.get(j) + " at t = " + times[k]);
            }
        }
    }

    @Test
    void dataGivesTheLossAndItsGradient(@TempDir Path tmp) throws IOException {
        String id = "00706";
        ExpectedResults expected = ExpectedResults.read(file(id, "-results.csv"));
        StringBuilder csv = new StringBuilder("time,S1,S2\n");
        double[] times = new double[expected.rows().length];
        double[][] data = new double[times.length][2];
        for (int k = 0; k < times.length; k++) {
            times[k] = expected.rows()[k][0];
            data[k][0] = expected.rows()[k][expected.column("S1")] * 1.1;
            data[k][1] = expected.rows()[k][expected.column("S2")] * 0.9;
            csv.append(times[k]).append(',').append(data[k][0]).append(',').append(data[k][1]).append('\n');
        }
        Path obs = tmp.resolve("obs.csv");
        Files.writeString(obs, csv);
        MainTest.Run r = run("sbml", file(id, "-sbml-l3v2.xml").toString(), "--data", obs.toString(), "--sens", "adjoint",
                "--params", "reaction1.k,S1", "--rtol", "1e-11", "--atol", "1e-16", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = r.json();
        assertEquals(List.of("model", "loss", "params", "gradient", "method", "stats", "rtol", "atol", "wallMillis"), List.copyOf(m.keySet()));
        assertEquals("ADJOINT", m.get("method"));
        assertEquals(List.of("reaction1.k", "S1"), m.get("params"));
        SbmlModel model = SbmlImporter.read(file(id, "-sbml-l3v2.xml"));
        List<Variable> vars = List.of(Variable.value("S1"), Variable.value("S2"));
        double[] fd = GradientTest.centralDifferences(model, times, model.declaredValues(), vars, data, List.of("reaction1.k", "S1"));
        double[] g = numbers(m.get("gradient"));
        double norm = Math.hypot(fd[0], fd[1]);
        for (int j = 0; j < 2; j++) assertEquals(fd[j], g[j], 1e-6 * norm);
        assertEquals(GradientTest.loss(model, times, model.declaredValues(), vars, data), MainTest.number(m, "loss"), 1e-9);
    }

    @Test
    void suiteReportsAndChecksTheExpectedPasses(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("suite");
        for (String id : List.of("00014", "00706")) {
            Files.createDirectories(dir.resolve(id));
            try (var s = Files.list(CASES.resolve(id))) {
                for (Path f : s.toList()) Files.copy(f, dir.resolve(id).resolve(f.getFileName()));
            }
        }
        List<String> tsv = Files.readAllLines(CASES.resolveSibling("cases.tsv")).stream()
                .filter(l -> l.startsWith("case") || l.startsWith("00014\t") || l.startsWith("00706\t")).toList();
        Files.write(dir.resolve("cases.tsv"), tsv);
        Path expect = tmp.resolve("expected.txt");
        Files.writeString(expect, "# the cases that passed before\n00014\n00706\n");
        MainTest.Run ok = run("sbml-suite", dir.toString(), "--out", tmp.resolve("report").toString(), "--expect", expect.toString());
        assertEquals(0, ok.code(), ok.err());
        assertTrue(ok.out().contains("2 cases: 2 passed, 0 failed, 0 unsupported"), ok.out());
        String report = Files.readString(tmp.resolve("report/report.md"));
        assertTrue(report.contains("| Amount | 2 | 0 | 0 |") && report.contains("| LocalParameters | 1 | 0 | 0 |")
                && report.contains("| AssignmentRule | 1 | 0 | 0 |"), report);
        Files.writeString(expect, "00014\n00706\n00999\n");
        MainTest.Run missing = run("sbml-suite", dir.toString(), "--out", tmp.resolve("report").toString(), "--expect", expect.toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("00999"), missing.err());
    }

    @Test
    void refusedModelsAndBadArgumentsExitWithTheirCodes() {
        MainTest.Run refused = run("sbml", "src/test/resources/sbml-refusals/fast-reaction.xml");
        assertEquals(1, refused.code());
        assertTrue(refused.err().contains("reaction 'J0'") && refused.err().contains("fast reaction"), refused.err());
        assertEquals(2, run("sbml").code());
        assertEquals(2, run("sbml", file("00706", "-sbml-l3v2.xml").toString(), "--steps").code());
        MainTest.Run unknown = run("sbml", file("00706", "-sbml-l3v2.xml").toString(), "--variables", "nope");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("'nope'"), unknown.err());
    }
}
