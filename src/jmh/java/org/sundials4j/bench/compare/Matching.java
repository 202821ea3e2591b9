package org.sundials4j.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Matched accuracy: each pure-Java contender runs at the tolerance, from a short ladder of factors
 * on the task's setting, at which its achieved error is at most sundials4j's achieved error for the
 * same task (its baseline row: the solve, or the AUTO gradient). Rungs are probed loosest first, one
 * run each (the run that also checks the answer), and probing stops at the first rung that matches
 * (the cheapest matched setting), at the first rung that runs out of time or evaluations (tighter
 * ones would too; a rung whose integrator fails otherwise is passed over), or when the contender's probing time is spent. A contender that never matches is timed
 * at its closest rung, the one with the smallest error, and marked so.
 */
final class Matching {
    private Matching() {}

    static final String RULE = "Matched accuracy: every pure-Java contender's tolerance (rtol and atol together) is "
            + "chosen from the ladder %s × the sundials4j setting, loosest first, one run per rung: the first rung whose "
            + "achieved error is at most sundials4j's achieved error on the same task (the solve row, or the AUTO "
            + "gradient row: the *target*) is the one timed. Probing stops at the first rung that runs out of time or "
            + "evaluations (a rung whose integrator fails otherwise, e.g. NaN, is passed over); a contender that never "
            + "reaches the target is timed at its closest rung (smallest error) and marked *closest*; one that finishes "
            + "no rung is DNF. Bands widen with a looser rung (×f for solves and variational gradients, ×f^(2/3) for "
            + "central FD).";

    /** The factors tried, loosest first. */
    static double[] rungs(boolean quick) {
        return quick ? new double[] {10, 1, 0.1, 0.01} : new double[] {100, 10, 1, 0.1, 0.01, 0.001};
    }

    static String ladder(boolean quick) {
        StringBuilder b = new StringBuilder("{");
        for (double f : rungs(quick)) b.append(b.length() > 1 ? ", " : "").append(factor(f));
        return b.append('}').toString();
    }

    /** One rung: its factor, the achieved error (NaN if it did not finish), the run's seconds. */
    record Probe(double factor, double error, double seconds, String failure) {}

    /** The rung a row was timed at; {@code matched} false means the closest rung (or DNF). */
    record Choice(double factor, double target, boolean matched, List<Probe> probes) {}

    /** sundials4j's achieved error on a task: its baseline row's, NaN if that did not finish. */
    static double target(List<BenchMain.Row> rows, String task) {
        for (BenchMain.Row r : rows)
            if (r.contender.baseline() && r.contender.task().equals(task)) return r.error;
        return Double.NaN;
    }

    /** Probes {@code k}'s ladder and returns the row of the chosen rung, its first run done. */
    static BenchMain.Row choose(Case c, Case.Contender k, double target, BenchMain.Settings s) {
        List<Probe> probes = new ArrayList<>();
        BenchMain.Row closest = null, last = null;
        double closestFactor = 1, lastFactor = 1, spent = 0;
        for (double f : Double.isNaN(target) ? new double[] {1} : rungs(s.quick())) {
            BenchMain.Row r = BenchMain.firstRun(new BenchMain.Row(k.ladder().apply(f)), c, s);
            probes.add(new Probe(f, r.error, r.firstSeconds, r.first.failure()));
            last = r;
            lastFactor = f;
            spent += r.firstSeconds;
            // out of budget: a tighter rung costs more; an integrator failure (NaN at a loose setting) may not recur
            if (Budget.exceeded(r.first.failure())) break;
            if (!r.first.finished()) continue;
            if (r.error <= target) {
                r.match = new Choice(f, target, true, probes);
                return r;
            }
            if (closest == null || r.error < closest.error) {
                closest = r;
                closestFactor = f;
            }
            if (spent > 3 * s.contenderSeconds()) break;
        }
        BenchMain.Row r = closest != null ? closest : last;
        r.match = new Choice(closest != null ? closestFactor : lastFactor, target, false, probes);
        return r;
    }

    static String factor(double f) {
        return f == 1 ? "1" : f > 1 ? String.format(Locale.ROOT, "%.0f", f) : String.format(Locale.ROOT, "%.0e", f);
    }

    /** The rtol a row ran at. */
    static double rtol(Case c, BenchMain.Row r) {
        return c.rtol(r.contender.task()) * (r.match == null ? 1 : r.match.factor());
    }

    /** The report cell: target for the sundials4j baselines, matched/closest for tuned rows. */
    static String cell(BenchMain.Row r) {
        if (r.match == null) return r.contender.baseline() ? "target" : "–";
        if (!r.first.finished()) return "DNF";
        if (Double.isNaN(r.match.target())) return "no target ×1";
        return (r.match.matched() ? "matched ×" : "*closest* ×") + factor(r.match.factor());
    }

    /** The rungs probed: factor and error, or DNF. */
    static String probes(BenchMain.Row r) {
        if (r.match == null) return "–";
        StringBuilder b = new StringBuilder();
        for (Probe p : r.match.probes()) {
            if (b.length() > 0) b.append(", ");
            b.append('×').append(factor(p.factor())).append(' ')
                    .append(p.failure() == null ? BenchMain.fmt(p.error()) : "DNF");
        }
        return b.toString();
    }

    /** The row's matching fields for report.json (empty for rows that are not tuned). */
    static String json(Case c, BenchMain.Row r) {
        StringBuilder b = new StringBuilder(",\"rtolUsed\":").append(Report.num(rtol(c, r)));
        if (r.match == null) return b.toString();
        b.append(",\"toleranceFactor\":").append(Report.num(r.match.factor())).append(",\"targetError\":")
                .append(Report.num(r.match.target())).append(",\"matched\":").append(r.match.matched()).append(",\"rungs\":[");
        for (int i = 0; i < r.match.probes().size(); i++) {
            Probe p = r.match.probes().get(i);
            b.append(i > 0 ? "," : "").append("{\"factor\":").append(Report.num(p.factor())).append(",\"error\":")
                    .append(Report.num(p.error())).append(",\"seconds\":").append(Report.num(p.seconds()))
                    .append(",\"finished\":").append(p.failure() == null).append('}');
        }
        return b.append(']').toString();
    }
}
