package org.sundials4j.bench.compare;

import java.util.List;
import java.util.Locale;

/** report.md (summary, then one table per problem) and report.json. */
final class Report {
    private Report() {}

    static String time(double s) {
        if (Double.isNaN(s)) return "–";
        if (s < 1e-3) return String.format(Locale.ROOT, "%.1f µs", s * 1e6);
        if (s < 1) return String.format(Locale.ROOT, "%.2f ms", s * 1e3);
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    private static String timeCell(BenchMain.Row r) {
        if (!r.first.finished()) return "DNF (" + r.first.failure() + ")";
        return time(r.median()) + " ± " + time(r.spread());
    }

    /** The sundials4j time a row is compared with: the solve for solves, AUTO for gradients. */
    static double baseline(List<BenchMain.Row> rows, String task) {
        for (BenchMain.Row r : rows)
            if (r.contender.baseline() && r.contender.task().equals(task)) return r.median();
        return Double.NaN;
    }

    private static String ratio(BenchMain.Row r, List<BenchMain.Row> rows) {
        if (!r.first.finished()) return "–";
        return String.format(Locale.ROOT, "%.2f×", r.median() / baseline(rows, r.contender.task()));
    }

    static String markdown(List<BenchMain.Result> results, BenchMain.Settings s, double wall) {
        StringBuilder b = new StringBuilder();
        b.append("# sundials4j benchmark report\n\n");
        b.append(String.format(Locale.ROOT, "Mode: %s (%d warm-up + up to %d measured rounds, interleaved; runs over %.1f s get fewer rounds; time limit %.1f s per run). "
                        + "Java %s, %d CPUs. Wall time %.0f s.%n%n", s.quick() ? "quick" : "full", s.warmups(), s.rounds(), s.contenderSeconds(),
                s.timeLimit(), System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), wall));
        b.append("Time: median ± half-range per run").append(s.cpuTime() ? " (thread CPU time of the measured rounds, --cpu-time)" : "")
                .append(". Error: solve in units of the task's tolerance at the last output "
                + "(max |y − ref| / (rtol·|ref| + atol)); gradient relative (max |g − ref| / max(|ref|, 1e-3·‖ref‖∞)), "
                + "against sundials4j at tight tolerances. Ratio: to the sundials4j solve, or to its AUTO gradient. "
                + "Pure-Java contenders integrate the tape model's RHS (Jacobians from its reverse/tangent sweeps). DNF: did not "
                + "finish (steps and RHS evaluations show how far it got).\n\n");
        b.append(String.format(Locale.ROOT, Matching.RULE, Matching.ladder(s.quick()))).append(" The summary takes the "
                + "fastest matched pure-Java row (a *closest* one only when none matched).\n\n");
        b.append("## Summary\n\n");
        b.append("| problem | sundials4j solve | best pure-Java solve | ratio | sundials4j gradient (AUTO) | best pure-Java gradient | ratio | answers |\n");
        b.append("|---|---|---|---|---|---|---|---|\n");
        for (BenchMain.Result r : results) {
            BenchMain.Row bs = best(r.rows(), Case.SOLVE), bg = best(r.rows(), Case.GRADIENT);
            double s0 = baseline(r.rows(), Case.SOLVE), g0 = baseline(r.rows(), Case.GRADIENT);
            boolean ok = r.rows().stream().allMatch(x -> x.ok);
            b.append("| ").append(r.c().label).append(" | ").append(time(s0)).append(" | ")
                    .append(bs == null ? noPureJava(r.c()) : bs.contender.name() + " " + time(bs.median()) + closest(bs)).append(" | ")
                    .append(bs == null ? "–" : String.format(Locale.ROOT, "%.1f×", bs.median() / s0)).append(" | ")
                    .append(time(g0)).append(" | ")
                    .append(bg == null ? noPureJava(r.c()) : bg.contender.name() + " " + time(bg.median()) + closest(bg)).append(" | ")
                    .append(bg == null ? "–" : String.format(Locale.ROOT, "%.1f×", bg.median() / g0)).append(" | ")
                    .append(ok ? "all within band" : "WRONG").append(" |\n");
        }
        b.append("\n");
        b.append(CLimit.summary(results));
        for (BenchMain.Result r : results) {
            b.append("## ").append(r.c().label).append("\n\n");
            b.append(String.format(Locale.ROOT, "Solve rtol %.0e; gradient rtol %.0e.%n%n", r.c().solveRtol, r.c().gradientRtol));
            b.append("| contender | task | rtol | time | RHS evals | steps | error | band | ratio | accuracy | rungs (error) |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (BenchMain.Row row : r.rows()) {
                b.append("| ").append(row.contender.name()).append(" | ").append(row.contender.task()).append(" | ")
                        .append(String.format(Locale.ROOT, "%.0e", Matching.rtol(r.c(), row))).append(" | ")
                        .append(timeCell(row)).append(" | ").append(row.first.rhsEvals()).append(" | ")
                        .append(row.first.steps()).append(" | ")
                        .append(row.first.finished() ? BenchMain.fmt(row.error) + (row.ok ? "" : " **WRONG**") : "–")
                        .append(" | ").append(BenchMain.fmt(row.contender.band())).append(" | ")
                        .append(ratio(row, r.rows())).append(" | ").append(Matching.cell(row)).append(" | ")
                        .append(Matching.probes(row)).append(" |\n");
            }
            b.append("\n");
        }
        return b.toString();
    }

    private static String noPureJava(Case c) {
        return c.pureJavaSkipped == null ? "all DNF" : "not run (" + c.pureJavaSkipped + ")";
    }

    /** The fastest finished pure-Java row, matched rows before closest ones. */
    private static BenchMain.Row best(List<BenchMain.Row> rows, String task) {
        BenchMain.Row best = null;
        for (BenchMain.Row r : rows)
            if (!r.contender.name().startsWith("sundials4j") && !CLimit.is(r.contender) && r.contender.task().equals(task)
                    && r.first.finished()
                    && (best == null || matched(r) && !matched(best) || matched(r) == matched(best) && r.median() < best.median()))
                best = r;
        return best;
    }

    private static boolean matched(BenchMain.Row r) {
        return r.match == null || r.match.matched();
    }

    private static String closest(BenchMain.Row r) {
        return matched(r) ? "" : " (*closest*)";
    }

    static String json(List<BenchMain.Result> results, BenchMain.Settings s, double wall) {
        StringBuilder b = new StringBuilder();
        b.append("{\"mode\":").append(str(s.quick() ? "quick" : "full")).append(",\"clock\":").append(str(s.cpuTime() ? "thread-cpu" : "wall"))
                .append(",\"rounds\":").append(s.rounds())
                .append(",\"warmups\":").append(s.warmups()).append(",\"timeLimitSeconds\":").append(num(s.timeLimit()))
                .append(",\"java\":").append(str(System.getProperty("java.version"))).append(",\"wallSeconds\":")
                .append(num(wall)).append(",\"problems\":[");
        for (int i = 0; i < results.size(); i++) {
            BenchMain.Result r = results.get(i);
            if (i > 0) b.append(',');
            b.append("\n {\"problem\":").append(str(r.c().problem.name())).append(",\"label\":").append(str(r.c().label))
                    .append(",\"solveRtol\":").append(num(r.c().solveRtol)).append(",\"gradientRtol\":")
                    .append(num(r.c().gradientRtol)).append(",\"rows\":[");
            for (int j = 0; j < r.rows().size(); j++) {
                BenchMain.Row row = r.rows().get(j);
                if (j > 0) b.append(',');
                double base = baseline(r.rows(), row.contender.task());
                b.append("\n  {\"contender\":").append(str(row.contender.name())).append(",\"task\":")
                        .append(str(row.contender.task())).append(",\"finished\":").append(row.first.finished())
                        .append(",\"failure\":").append(row.first.failure() == null ? "null" : str(row.first.failure()))
                        .append(",\"medianSeconds\":").append(num(row.median())).append(",\"spreadSeconds\":")
                        .append(num(row.spread())).append(",\"timesSeconds\":").append(row.times.stream()
                                .map(Report::num).toList().toString().replace(" ", ""))
                        .append(",\"runsPerMeasurement\":").append(row.iterations)
                        .append(",\"rhsEvals\":").append(row.first.rhsEvals()).append(",\"steps\":").append(row.first.steps())
                        .append(",\"error\":").append(num(row.error)).append(",\"band\":").append(num(row.contender.band()))
                        .append(Matching.json(r.c(), row)).append(",\"withinBand\":").append(row.ok).append(",\"ratioToSundials4j\":")
                        .append(num(row.median() / base)).append(replayJson(r.c().paths.get(row.contender.name()))).append('}');
            }
            b.append("]}");
        }
        return b.append("]}\n").toString();
    }

    /** A sundials4j row's replay statistics: native share, reverse sweeps per backward pair (adjoint rows), engine. */
    private static String replayJson(org.sundials4j.ode.ReplayStatistics st) {
        return st == null ? "" : ",\"nativeShare\":" + num(st.nativeShare()) + ",\"sweepsPerPair\":" + num(st.sweepsPerPair())
                + ",\"replayPath\":\"" + st.path() + "\"";
    }

    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    static String str(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
