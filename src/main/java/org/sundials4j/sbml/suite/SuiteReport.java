package org.sundials4j.sbml.suite;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verdicts over many cases: totals, counts per component tag and per test tag, and the wall time.
 * {@link #markdown()} is the report {@code sbml-suite} writes; {@link #tsv()} one line per case.
 */
public record SuiteReport(List<CaseResult> results, double wallSeconds) {

    /** {passed, failed, unsupported}. */
    public int[] totals() {
        return count(results);
    }

    public List<CaseResult> with(CaseResult.Status s) {
        return results.stream().filter(r -> r.status() == s).toList();
    }

    private static int[] count(List<CaseResult> rs) {
        int[] c = new int[3];
        for (CaseResult r : rs) c[r.status().ordinal()]++;
        return c;
    }

    /** tag → {passed, failed, unsupported}. */
    public Map<String, int[]> perTag(boolean component) {
        Map<String, int[]> m = new TreeMap<>();
        for (CaseResult r : results)
            for (String tag : component ? r.componentTags() : r.testTags())
                m.computeIfAbsent(tag, t -> new int[3])[r.status().ordinal()]++;
        return m;
    }

    public String summary() {
        int[] t = totals();
        return String.format(Locale.ROOT, "%d cases: %d passed, %d failed, %d unsupported in %.1f s",
                results.size(), t[0], t[1], t[2], wallSeconds);
    }

    public String markdown() {
        StringBuilder b = new StringBuilder("# SBML Test Suite run\n\n").append(summary()).append("\n\n");
        table(b, "Component tag", perTag(true));
        table(b, "Test tag", perTag(false));
        b.append("## Cases not passed\n\n| case | status | detail |\n|---|---|---|\n");
        for (CaseResult r : results)
            if (r.status() != CaseResult.Status.PASSED)
                b.append("| ").append(r.id()).append(" | ").append(r.status()).append(" | ")
                        .append(r.detail().replace('|', '/').replace('\n', ' ')).append(" |\n");
        return b.toString();
    }

    private static void table(StringBuilder b, String title, Map<String, int[]> m) {
        b.append("| ").append(title).append(" | passed | failed | unsupported |\n|---|---|---|---|\n");
        for (Map.Entry<String, int[]> e : m.entrySet())
            b.append("| ").append(e.getKey()).append(" | ").append(e.getValue()[0]).append(" | ").append(e.getValue()[1])
                    .append(" | ").append(e.getValue()[2]).append(" |\n");
        b.append('\n');
    }

    public String tsv() {
        StringBuilder b = new StringBuilder("case\tstatus\tworst\tmillis\tdetail\n");
        for (CaseResult r : results)
            b.append(r.id()).append('\t').append(r.status()).append('\t')
                    .append(String.format(Locale.ROOT, "%.3g", r.worst())).append('\t')
                    .append(String.format(Locale.ROOT, "%.1f", r.millis())).append('\t')
                    .append(r.detail().replace('\t', ' ').replace('\n', ' ')).append('\n');
        return b.toString();
    }

    /** The ids of the passed cases, one per line (the format of the expected-passes file). */
    public List<String> passedIds() {
        List<String> ids = new ArrayList<>();
        for (CaseResult r : results) if (r.status() == CaseResult.Status.PASSED) ids.add(r.id());
        return ids;
    }
}
