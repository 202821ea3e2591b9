package org.sundials4j.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Problem;

/**
 * Scaling sweeps of the report: time against problem size for brusselator-2d (N ∈ {8, 16, 32}:
 * sundials4j solve, its adjoint gradient, the Hipparchus DP853 solve where it finishes) and the
 * gradient time against parameter count for neural-ode (H ∈ {16, 64, 256, 1024}: forward against
 * adjoint), each as a markdown table, a log–log PNG chart and a report.json entry. Quick mode runs
 * N ∈ {8, 16} and H ∈ {16, 64}.
 *
 * <p>A point's time is the median of repeated runs after warm-up; a run longer than the
 * measuring time is its own figure (one run). The point budget is the run time limit (1.5 s quick,
 * 20 s full): a sundials4j point whose single run exceeds it is kept and marked over budget (drawn
 * hollow), and a forward-sensitivity point whose estimate (from the previous H: its cost grows ∝ H²,
 * the sensitivity count times the model size) exceeds three budgets is not run. Pure-Java solves run under the budget
 * like the comparison's; after a DNF the larger sizes are not run.
 */
final class Scaling {
    /** One measured (or skipped) point: NaN seconds when not run or DNF, with the reason in {@code note}. */
    record Point(double x, double seconds, int runs, boolean overBudget, String note) {
        static Point missing(double x, String why) {
            return new Point(x, Double.NaN, 0, false, why);
        }

        boolean ran() {
            return !Double.isNaN(seconds);
        }
    }

    record Series(String name, List<Point> points) {}

    /** One sweep: its problem, x axis, series, the chart's file name and extra lines for the table. */
    record Sweep(String problem, String x, String xDescription, List<Series> series, String png, List<String> lines,
                 double adjointGrowth) {}

    private final BenchMain.Settings settings;
    private final double measureSeconds;
    final List<Sweep> sweeps = new ArrayList<>();

    private Scaling(BenchMain.Settings s) {
        this.settings = s;
        this.measureSeconds = s.quick() ? 0.3 : 2.0;
    }

    /** Runs the sweeps whose problem is among {@code problems} and writes their charts to {@code out}. */
    static Scaling run(List<String> problems, BenchMain.Settings s, Path out) throws IOException {
        Scaling sc = new Scaling(s);
        if (problems.contains("brusselator-2d")) sc.brusselator(s.quick() ? new int[] {8, 16} : new int[] {8, 16, 32});
        if (problems.contains("neural-ode")) sc.neuralOde(s.quick() ? new int[] {16, 64} : new int[] {16, 64, 256, 1024});
        for (Sweep w : sc.sweeps) sc.chart(w).write(out.resolve(w.png()));
        return sc;
    }

    private void brusselator(int[] sizes) {
        System.err.println("bench: scaling brusselator-2d N " + Arrays.toString(sizes) + " ...");
        List<Point> solve = new ArrayList<>(), adjoint = new ArrayList<>(), pure = new ArrayList<>();
        Point lastPure = null;
        for (int n : sizes) {
            Objective o = Objectives.brusselator(n);
            Problem p = o.problem();
            try (CvodesSolver cs = new CvodesSolver(p.tapeModel(),
                    o.options().withRtol(p.relativeTolerance()).withAtol(p.absoluteTolerances()));
                 GradientSolver gs = solver(o, SensitivityMethod.ADJOINT)) {
                solve.add(measure(n, () -> cs.solve(0, p.initialState(), p.parameters(), p.outputTimes())));
                adjoint.add(measure(n, () -> gradient(gs, o)));
            }
            if (lastPure != null && !lastPure.ran()) {
                pure.add(Point.missing(n, "not run (DNF at a smaller N)"));
                continue;
            }
            double[] rtol = new double[p.stateCount()];
            Arrays.fill(rtol, p.relativeTolerance());
            Library lib = new HipparchusLibrary(HipparchusLibrary.Scheme.DP853, p.absoluteTolerances(), rtol);
            TapeRhs rhs = new TapeRhs(p.tapeModel(), null, p.parameters());
            lastPure = measure(n, () -> {
                Outcome r = PureJava.solve(lib, rhs, p.initialState(), p.outputTimes(),
                        new Budget(settings.timeLimit(), settings.maxEvaluations()));
                if (!r.finished()) throw new Dnf("DNF (" + r.failure() + ", " + r.steps() + " steps)");
                return r;
            });
            pure.add(lastPure);
            progress("N=" + n, solve, adjoint, pure);
        }
        sweeps.add(new Sweep("brusselator-2d", "N", "grid N (2N² states)",
                List.of(new Series("sundials4j solve (BDF)", solve), new Series("sundials4j gradient (adjoint)", adjoint),
                        new Series("Hipparchus DP853 solve", pure)),
                "scaling-brusselator-2d.png", List.of(String.format(Locale.ROOT,
                        "All at rtol %.0e (the problem's setting); the gradient is the objective's, over [A, B, α] and y(0).",
                        Objectives.brusselator(sizes[0]).problem().relativeTolerance())), Double.NaN));
    }

    private void neuralOde(int[] widths) {
        System.err.println("bench: scaling neural-ode H " + Arrays.toString(widths) + " ...");
        List<Point> forward = new ArrayList<>(), adjoint = new ArrayList<>();
        for (int h : widths) {
            Objective o = Objectives.neuralOde(h);
            try (GradientSolver gs = solver(o, SensitivityMethod.ADJOINT)) {
                adjoint.add(measure(h, () -> gradient(gs, o)));
            }
            Point prev = forward.isEmpty() ? null : forward.get(forward.size() - 1);
            double estimate = prev == null || !prev.ran() ? 0 : prev.seconds() * Math.pow((double) h / prev.x(), 2);
            if (prev != null && !prev.ran() || estimate > 3 * settings.timeLimit()) {
                forward.add(Point.missing(h, prev.ran() ? String.format(Locale.ROOT, "not run (estimated %s > 3 × budget %s)",
                        Report.time(estimate), Report.time(settings.timeLimit())) : "not run (skipped at a smaller H)"));
            } else {
                try (GradientSolver gs = solver(o, SensitivityMethod.FORWARD)) {
                    forward.add(measure(h, () -> gradient(gs, o)));
                }
            }
            progress("H=" + h, forward, adjoint);
        }
        List<String> lines = new ArrayList<>();
        Point a0 = adjoint.get(0), a1 = adjoint.get(adjoint.size() - 1);
        double growth = a1.seconds() / a0.seconds();
        lines.add(String.format(Locale.ROOT, "Adjoint gradient time H = %.0f → H = %.0f: **%.2f×**%s", a0.x(), a1.x(), growth,
                a0.x() == 16 && a1.x() == 1024 ? " (issue target ≤ 1.5×: " + (growth <= 1.5 ? "met" : "not met") + ")"
                        : " (the issue target, ≤ 1.5× from H = 16 to H = 1024, needs the full run)"));
        lines.add(String.format(Locale.ROOT, "Gradient over all 5H + 2 parameters at rtol %.0e (Adams).",
                Objectives.neuralOde(widths[0]).options().rtol()));
        sweeps.add(new Sweep("neural-ode", "H", "hidden width H (5H + 2 parameters)",
                List.of(new Series("sundials4j forward", forward), new Series("sundials4j adjoint", adjoint)),
                "scaling-neural-ode.png", lines, growth));
    }

    private static GradientSolver solver(Objective o, SensitivityMethod m) {
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity().withMethod(m));
    }

    private static Object gradient(GradientSolver gs, Objective o) {
        Problem p = o.problem();
        return gs.gradient(0, p.initialState(), p.parameters(), o.times());
    }

    /** A pure-Java run that did not finish. */
    private static final class Dnf extends RuntimeException {
        Dnf(String why) {
            super(why, null, false, false);
        }
    }

    /** Warm-up, then the median of 3 to 50 runs within the measuring time; a slow first run is the figure. */
    private Point measure(double x, Supplier<Object> run) {
        try {
            return measured(x, run);
        } catch (Dnf e) {
            return Point.missing(x, e.getMessage());
        }
    }

    private Point measured(double x, Supplier<Object> run) {
        double first = timed(run);
        // warm-up for a third of the measuring time (JIT of a new tape size)
        for (double warm = first; warm < measureSeconds / 3; ) warm += timed(run);
        if (first > measureSeconds) return new Point(x, first, 1, first > settings.timeLimit(), first > settings.timeLimit()
                ? "over the " + Report.time(settings.timeLimit()) + " budget (one run)" : "one run");
        List<Double> t = new ArrayList<>();
        double spent = 0;
        while (t.size() < 50 && (t.size() < 3 || spent < measureSeconds)) {
            t.add(timed(run));
            spent += t.get(t.size() - 1);
        }
        double[] v = t.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
        return new Point(x, median, v.length, false, null);
    }

    private static double timed(Supplier<Object> run) {
        long t0 = System.nanoTime();
        run.get();
        return (System.nanoTime() - t0) / 1e9;
    }

    @SafeVarargs
    private static void progress(String at, List<Point>... series) {
        StringBuilder b = new StringBuilder("  ").append(at);
        for (List<Point> s : series) b.append("  ").append(cell(s.get(s.size() - 1)));
        System.err.println(b);
    }

    private static String cell(Point p) {
        if (!p.ran()) return p.note();
        String t = Report.time(p.seconds()) + (p.runs() == 1 ? " (1 run)" : "");
        return p.overBudget() ? t + " **over budget**" : t;
    }

    private Chart chart(Sweep w) {
        String kind = w.problem().equals("neural-ode") ? "gradient time" : "time";
        Chart c = new Chart(w.problem() + ": " + kind + " vs " + w.xDescription()
                + (settings.quick() ? " (quick)" : ""), w.xDescription(), kind + " per run (log)");
        for (Series s : w.series()) {
            double[] x = s.points().stream().mapToDouble(Point::x).toArray();
            double[] y = s.points().stream().mapToDouble(Point::seconds).toArray();
            boolean[] flagged = new boolean[x.length];
            for (int i = 0; i < x.length; i++) {
                Point p = s.points().get(i);
                flagged[i] = p.overBudget();
                if (!p.ran()) c.note(s.name() + " at " + w.x() + " = " + size(p.x()) + " omitted: " + p.note());
            }
            c.series(s.name(), x, y, flagged);
        }
        return c;
    }

    private static String size(double x) {
        return String.format(Locale.ROOT, "%.0f", x);
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        for (Sweep w : sweeps) {
            b.append("## Scaling: ").append(w.problem()).append("\n\n");
            b.append("| ").append(w.x());
            for (Series s : w.series()) b.append(" | ").append(s.name());
            boolean ratio = w.problem().equals("neural-ode");
            if (ratio) b.append(" | forward / adjoint");
            b.append(" |\n|---").append("|---".repeat(w.series().size() + (ratio ? 1 : 0))).append("|\n");
            for (int i = 0; i < w.series().get(0).points().size(); i++) {
                b.append("| ").append(size(w.series().get(0).points().get(i).x()));
                for (Series s : w.series()) b.append(" | ").append(cell(s.points().get(i)));
                if (ratio) {
                    double r = w.series().get(0).points().get(i).seconds() / w.series().get(1).points().get(i).seconds();
                    b.append(" | ").append(Double.isNaN(r) ? "–" : String.format(Locale.ROOT, "%.1f×", r));
                }
                b.append(" |\n");
            }
            b.append('\n');
            for (String line : w.lines()) b.append(line).append("\n\n");
            b.append("![").append(w.problem()).append(" scaling](").append(w.png()).append(")\n\n");
        }
        return b.toString();
    }

    /** The sweeps as a JSON array. */
    String json() {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < sweeps.size(); k++) {
            Sweep w = sweeps.get(k);
            b.append(k > 0 ? "," : "").append("\n {\"problem\":\"").append(w.problem()).append("\",\"x\":\"").append(w.x())
                    .append("\",\"chart\":\"").append(w.png()).append("\",\"adjointGrowthFirstToLast\":")
                    .append(Report.num(w.adjointGrowth())).append(",\"series\":[");
            for (int j = 0; j < w.series().size(); j++) {
                Series s = w.series().get(j);
                b.append(j > 0 ? "," : "").append("\n  {\"name\":").append(Report.str(s.name())).append(",\"points\":[");
                for (int i = 0; i < s.points().size(); i++) {
                    Point p = s.points().get(i);
                    b.append(i > 0 ? "," : "").append("{\"x\":").append(size(p.x())).append(",\"seconds\":")
                            .append(Report.num(p.seconds())).append(",\"runs\":").append(p.runs()).append(",\"overBudget\":")
                            .append(p.overBudget()).append(",\"note\":")
                            .append(p.note() == null ? "null" : Report.str(p.note())).append('}');
                }
                b.append("]}");
            }
            b.append("]}");
        }
        return b.append("]").toString();
    }

    /** report.json with the sweeps added as {@code "scaling"}. */
    String into(String reportJson) {
        int end = reportJson.lastIndexOf('}');
        return reportJson.substring(0, end) + ",\"scaling\":" + json() + "}\n";
    }
}
