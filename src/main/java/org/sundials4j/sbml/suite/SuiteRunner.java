package org.sundials4j.sbml.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.sbml.SbmlImporter;
import org.sundials4j.sbml.SbmlModel;
import org.sundials4j.sbml.TimeCourse;
import org.sundials4j.sbml.UnsupportedSbmlException;
import org.sundials4j.sbml.Variable;

/**
 * Runs SBML Test Suite semantic cases ({@code DIR/NNNNN/NNNNN-sbml-lXvY.xml}, {@code -settings.txt},
 * {@code -results.csv}; tags from {@code DIR/cases.tsv} when present) and judges each with the
 * suite's rule: {@code |actual - expected| <= absolute + relative·|expected|} for every reported value,
 * with the case's own tolerances. The solve itself runs {@value #TIGHTENING}× tighter than the case's
 * tolerances, so the integration error is far inside what the case allows.
 */
public final class SuiteRunner {
    /** How much tighter than the case's tolerances the solver runs. */
    public static final double TIGHTENING = 1e5;

    private final Map<String, String[]> tags;

    private SuiteRunner(Map<String, String[]> tags) {
        this.tags = tags;
    }

    /** A runner for the cases under {@code dir}, with the tags of {@code dir/cases.tsv} if there is one. */
    public static SuiteRunner forDirectory(Path dir) {
        Map<String, String[]> tags = new HashMap<>();
        Path tsv = dir.resolve("cases.tsv");
        if (Files.isRegularFile(tsv)) {
            try {
                for (String line : Files.readAllLines(tsv)) {
                    String[] f = line.split("\t", -1);
                    if (f.length >= 5 && f[0].matches("\\d+")) tags.put(f[0], new String[] {f[2], f[3], f[4]});
                }
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + tsv + ": " + e.getMessage(), e);
            }
        }
        return new SuiteRunner(tags);
    }

    /** The case folders under {@code dir} (folders whose name is a case number), in order. */
    public static List<Path> caseDirectories(Path dir) {
        Path cases = Files.isDirectory(dir.resolve("cases")) ? dir.resolve("cases") : dir;
        try (Stream<Path> s = Files.list(cases)) {
            return s.filter(Files::isDirectory).filter(p -> p.getFileName().toString().matches("\\d{5}"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + cases + ": " + e.getMessage(), e);
        }
    }

    /** Runs one case folder. Never throws for a bad case: the verdict says what went wrong. */
    public CaseResult run(Path caseDir) {
        String id = caseDir.getFileName().toString();
        String[] t = tags.getOrDefault(id, new String[] {"", "", ""});
        List<String> component = split(t[1]), test = split(t[2]);
        long start = System.nanoTime();
        CaseResult.Status status;
        String detail;
        double worst = Double.NaN;
        try {
            if (!t[0].isEmpty() && !t[0].equals("TimeCourse"))
                throw new UnsupportedSbmlException("testType " + t[0], "case", id, "only TimeCourse cases are simulated");
            CaseSettings settings = CaseSettings.read(caseDir.resolve(id + "-settings.txt"));
            ExpectedResults expected = ExpectedResults.read(caseDir.resolve(id + "-results.csv"));
            SbmlModel model = SbmlImporter.read(modelFile(caseDir, id));
            TimeCourse tc = model.simulate(settings.times(), settings.variables(), options(settings));
            Judgement j = judge(settings, expected, tc);
            worst = j.worst;
            status = j.worst <= 1 ? CaseResult.Status.PASSED : CaseResult.Status.FAILED;
            detail = j.where;
        } catch (UnsupportedSbmlException e) {
            status = CaseResult.Status.UNSUPPORTED;
            detail = e.getMessage();
        } catch (RuntimeException e) {
            status = CaseResult.Status.FAILED;
            detail = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        return new CaseResult(id, status, detail, worst, (System.nanoTime() - start) / 1e6, component, test);
    }

    /** The case's model: the newest SBML Level/Version given. */
    static Path modelFile(Path caseDir, String id) {
        try (Stream<Path> s = Files.list(caseDir)) {
            return s.filter(p -> p.getFileName().toString().matches(id + "-sbml-l\\dv\\d\\.xml"))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new IllegalArgumentException("case " + id + " has no model file"));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + caseDir + ": " + e.getMessage(), e);
        }
    }

    /** Solver settings for a case: BDF, tolerances {@link #TIGHTENING}× tighter than the pass rule's. */
    static SolverOptions options(CaseSettings s) {
        double rtol = Math.max(1e-13, Math.min(1e-8, s.relative() / TIGHTENING));
        double atol = Math.max(1e-20, Math.min(1e-10, s.absolute() / TIGHTENING));
        return SolverOptions.defaults().withTolerances(rtol, atol).withMaxSteps(1_000_000);
    }

    private record Judgement(double worst, String where) { }

    private static Judgement judge(CaseSettings s, ExpectedResults expected, TimeCourse tc) {
        double[] times = tc.times();
        if (expected.rows().length != times.length)
            throw new IllegalArgumentException("the results file has " + expected.rows().length + " rows for "
                    + times.length + " output times");
        double worst = 0;
        String where = "all values within tolerance";
        List<Variable> vars = tc.variables();
        for (int j = 0; j < vars.size(); j++) {
            int col = expected.column(vars.get(j).id());
            if (col < 0) throw new IllegalArgumentException("the results file has no column '" + vars.get(j).id() + "'");
            for (int k = 0; k < times.length; k++) {
                double e = expected.rows()[k][col], a = tc.values()[k][j];
                double r = violation(a, e, s.absolute(), s.relative());
                if (r > worst || Double.isNaN(r)) {
                    worst = Double.isNaN(r) ? Double.POSITIVE_INFINITY : r;
                    where = vars.get(j).id() + " at t = " + times[k] + ": expected " + e + ", got " + a;
                }
            }
        }
        return new Judgement(worst, where);
    }

    /** {@code |a - e| / (abs + rel·|e|)}: at most 1 passes; NaN and infinities must match exactly. */
    public static double violation(double a, double e, double abs, double rel) {
        if (Double.isNaN(e) || Double.isInfinite(e)) return Double.compare(a, e) == 0 ? 0 : Double.POSITIVE_INFINITY;
        if (!Double.isFinite(a)) return Double.POSITIVE_INFINITY;
        double bound = abs + rel * Math.abs(e);
        double d = Math.abs(a - e);
        return bound > 0 ? d / bound : d == 0 ? 0 : Double.POSITIVE_INFINITY;
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        for (String x : s.split(",")) if (!x.isBlank()) out.add(x.trim());
        return out;
    }
}
