package org.sundials4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Problem;

/**
 * Time of one loss gradient by adjoint, forward and finite differences on the problem set (issue 4,
 * "Speed"), and the forward/adjoint crossover in the number of selected sensitivities that the AUTO
 * rule ({@link GradientSolver#choose}) is built from. Run by {@code tests/bench-gradients.sh}.
 *
 * <p>A plain repeated-median harness rather than JMH: the cases differ in cost by five orders of
 * magnitude (forward at neural-ode H = 1024 takes seconds, lotka-volterra microseconds), some must be
 * capped at one run, and forward and adjoint are interleaved rep by rep so that load from other work
 * on a 2-core machine hits both alike. Each method keeps one {@link GradientSolver} across reps, as a
 * fitting loop would; its first call (native setup, JIT) is a warm-up and not counted.
 *
 * <p>usage: {@code GradientBenchmark [--quick] [--full] [--budget-ms B] [--cap-ms C] [--only speed|crossover]}
 * — B is the time spent measuring one case (default 1500 ms), C the warm-up time above which a
 * method is reported from that single run (default 8000 ms); {@code --full} adds the runs of
 * minutes (forward at neural-ode H = 1024, forward and finite differences on brusselator-2d N = 16
 * with y(0) selected).
 */
public final class GradientBenchmark {
    private static final int MAX_REPS = 15;
    private static final int MIN_REPS = 3;

    private final long budgetNanos;
    private final long capNanos;
    private final boolean full;

    private GradientBenchmark(long budgetMillis, long capMillis, boolean full) {
        this.budgetNanos = budgetMillis * 1_000_000L;
        this.capNanos = capMillis * 1_000_000L;
        this.full = full;
    }

    /** One measured method: median ms over reps (NaN when not run) and the adjoint's sweeps per pair. */
    record Timing(double millis, int reps, double sweepsPerPair) {
        static final Timing NOT_RUN = new Timing(Double.NaN, 0, Double.NaN);

        boolean ran() { return reps > 0; }
    }

    record Row(String problem, int n, int s, int outputs, Timing adjoint, Timing forward, Timing fd) {
        /** forward / adjoint: above 1 the adjoint is faster. */
        double ratio() { return forward.millis / adjoint.millis; }
    }

    public static void main(String[] args) {
        long budget = 1500, cap = 8000;
        boolean quick = false, full = false;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--full" -> full = true;
                case "--budget-ms" -> budget = Long.parseLong(args[++i]);
                case "--cap-ms" -> cap = Long.parseLong(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (quick) budget = Math.min(budget, 600);
        GradientBenchmark b = new GradientBenchmark(budget, cap, full);
        b.warmUp();
        if (only == null || only.equals("speed")) b.speed();
        if (only == null || only.equals("crossover")) b.crossover();
    }

    /** Compiles the tape replay and the engines' Java side before anything is timed. */
    private void warmUp() {
        long end = System.nanoTime() + 3_000_000_000L;
        Objective lv = Objectives.byName("lotka-volterra"), pollu = Objectives.byName("pollu");
        while (System.nanoTime() < end)
            for (Objective o : List.of(lv, pollu))
                for (SensitivityMethod m : List.of(SensitivityMethod.ADJOINT, SensitivityMethod.FORWARD))
                    try (GradientSolver gs = solver(o, o.sensitivity().withMethod(m))) {
                        for (int k = 0; k < 5; k++) run(gs, o);
                    }
    }

    private void speed() {
        System.out.println("## Gradient time at the objectives' default tolerances (all parameters and initial states)");
        header();
        for (String name : List.of("rober", "pollu", "lotka-volterra", "advection-diffusion", "neural-ode"))
            print(measure(Objectives.byName(name), name, UnaryOperator.identity(), true, true));
        for (int h : new int[] {16, 64, 256, 1024})
            // forward at H = 1024 (5124 sensitivities) takes ~40 s
            print(measure(Objectives.neuralOde(h), "neural-ode H=" + h, UnaryOperator.identity(), h < 1024 || full, false));
        // (A, B, α) alone, the gradient PROBLEMS.md names, keeps forward affordable at every grid size;
        // with y(0) too the forward system has 2N² + 3 sensitivities of 2N² states
        for (int n : new int[] {8, 16, 32})
            print(measure(Objectives.brusselator(n), "brusselator-2d N=" + n + " p", s -> s.withInitialStates(), true, false));
        // the problem's own gradient (N = 16 is the default grid); forward at N = 16 takes ~15 s and
        // finite differences ~2 min, at N = 32 both far longer
        for (int n : new int[] {8, 16, 32}) {
            boolean slow = n == 16 && full;
            print(measure(Objectives.brusselator(n), "brusselator-2d N=" + n + " p,y0", UnaryOperator.identity(),
                    n == 8 || slow, n == 8 || slow));
        }
        System.out.println();
    }

    /**
     * Forward vs adjoint as the selection grows, on problems of 2 to 128 states and 1 to 200
     * outputs: each family reports the first s at which the adjoint is faster.
     */
    private void crossover() {
        System.out.println("## Crossover: forward vs adjoint by number of selected sensitivities s");
        header();
        List<String> summary = new ArrayList<>();
        summary.add(crossoverFamily("lotka-volterra", Objectives.byName("lotka-volterra"), 4, 2, new int[] {1, 2, 4, 6}));
        summary.add(crossoverFamily("rober", Objectives.byName("rober"), 3, 3, new int[] {1, 2, 4, 6}));
        summary.add(crossoverFamily("neural-ode H=16", Objectives.neuralOde(16), 82, 0, new int[] {1, 2, 4, 8, 16, 32, 64, 82}));
        summary.add(crossoverFamily("pollu", Objectives.byName("pollu"), 25, 20, new int[] {1, 2, 4, 8, 16, 32, 45}));
        summary.add(crossoverFamily("advection-diffusion", Objectives.byName("advection-diffusion"), 2, 50,
                new int[] {1, 2, 4, 8, 16, 32, 52}));
        summary.add(crossoverFamily("brusselator-2d N=8", Objectives.brusselator(8), 0, 128,
                new int[] {1, 2, 4, 8, 16, 32, 64, 128}));
        if (full) // forward at s = 16 alone takes ~10 s
            summary.add(crossoverFamily("brusselator-2d N=32", Objectives.brusselator(32), 3, 2048, new int[] {1, 3, 8, 16}));
        System.out.println();
        System.out.println("## Crossover summary (s* = smallest measured s with adjoint faster; AUTO = choose(n, s*, outputs))");
        System.out.printf("%-22s %5s %8s %6s %s%n", "problem", "n", "outputs", "s*", "forward/adjoint at each s");
        summary.forEach(System.out::println);
    }

    /**
     * Selects the first s of (parameters 0..np-1 then initial states 0..ns-1), s in {@code sizes}.
     * Parameters come first because a model's parameters, not its initial states, are what a fit
     * usually selects.
     */
    private String crossoverFamily(String label, Objective o, int np, int ns, int[] sizes) {
        StringBuilder ratios = new StringBuilder();
        int crossing = -1;
        Row last = null;
        for (int s : sizes) {
            if (s > np + ns) continue;
            int[] p = range(Math.min(s, np)), y = range(s - Math.min(s, np));
            last = measure(o, label, sel -> sel.withParameters(p).withInitialStates(y), true, false);
            print(last);
            ratios.append(String.format(Locale.ROOT, " s=%d:%.2f", s, last.ratio()));
            if (crossing < 0 && last.ratio() > 1) crossing = s;
        }
        String auto = crossing < 0 ? "-" : String.valueOf(GradientSolver.choose(last.n, crossing, last.outputs));
        return String.format(Locale.ROOT, "%-22s %5d %8d %6s%s  AUTO(s*)=%s", label, last.n, last.outputs,
                crossing < 0 ? ">" + sizes[sizes.length - 1] : String.valueOf(crossing), ratios, auto);
    }

    private static int[] range(int k) {
        int[] r = new int[k];
        for (int i = 0; i < k; i++) r[i] = i;
        return r;
    }

    private Row measure(Objective o, String label, UnaryOperator<SensitivityOptions> select, boolean forward, boolean fd) {
        SensitivityOptions base = select.apply(o.sensitivity());
        Problem p = o.problem();
        int s = base.parameters(p.parameterCount()).length + base.initialStates(p.stateCount()).length;
        Timing[] af = interleaved(o, base, forward);
        Timing f = fd ? alone(o, base.withMethod(SensitivityMethod.FINITE_DIFFERENCE)) : Timing.NOT_RUN;
        return new Row(label, p.stateCount(), s, o.times().length, af[0], af[1], f);
    }

    /** Adjoint and (optionally) forward, alternating rep by rep on one solver each. */
    private Timing[] interleaved(Objective o, SensitivityOptions base, boolean withForward) {
        try (GradientSolver adj = solver(o, base.withMethod(SensitivityMethod.ADJOINT));
             GradientSolver fwd = withForward ? solver(o, base.withMethod(SensitivityMethod.FORWARD)) : null) {
            double warmA = timed(adj, o, null);
            double warmF = withForward ? timed(fwd, o, null) : 0;
            boolean capA = warmA * 1e6 > capNanos, capF = warmF * 1e6 > capNanos;
            List<Double> a = new ArrayList<>(), f = new ArrayList<>();
            double[] sweeps = {Double.NaN};
            long end = System.nanoTime() + budgetNanos;
            if (!(capA && (capF || !withForward))) {
                // a capped method's warm-up run is its figure; the other keeps its full set of reps
                while (Math.max(a.size(), f.size()) < MAX_REPS
                        && (Math.max(a.size(), f.size()) < MIN_REPS || System.nanoTime() < end)) {
                    if (!capA) a.add(timed(adj, o, sweeps));
                    if (withForward && !capF) f.add(timed(fwd, o, null));
                }
            }
            if (Double.isNaN(sweeps[0])) timed(adj, o, sweeps);
            Timing ta = capA ? new Timing(warmA, 1, sweeps[0]) : new Timing(median(a), a.size(), sweeps[0]);
            Timing tf = !withForward ? Timing.NOT_RUN : capF ? new Timing(warmF, 1, Double.NaN) : new Timing(median(f), f.size(), Double.NaN);
            return new Timing[] {ta, tf};
        }
    }

    private Timing alone(Objective o, SensitivityOptions sens) {
        try (GradientSolver gs = solver(o, sens)) {
            double warm = timed(gs, o, null);
            if (warm * 1e6 > capNanos) return new Timing(warm, 1, Double.NaN);
            List<Double> t = new ArrayList<>();
            long end = System.nanoTime() + budgetNanos;
            while (t.size() < MAX_REPS && (t.size() < MIN_REPS || System.nanoTime() < end)) t.add(timed(gs, o, null));
            return new Timing(median(t), t.size(), Double.NaN);
        }
    }

    /** Milliseconds of one gradient; stores the adjoint's reverse sweeps per backward pair in {@code sweeps}. */
    private static double timed(GradientSolver gs, Objective o, double[] sweeps) {
        long t0 = System.nanoTime();
        Gradient g = run(gs, o);
        double ms = (System.nanoTime() - t0) / 1e6;
        if (sweeps != null && g.backwardPairs() > 0) sweeps[0] = (double) g.reverseSweeps() / g.backwardPairs();
        return ms;
    }

    private static Gradient run(GradientSolver gs, Objective o) {
        Problem p = o.problem();
        return gs.gradient(p.initialTime(), p.initialState(), p.parameters(), o.times());
    }

    private static GradientSolver solver(Objective o, SensitivityOptions sens) {
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), sens);
    }

    private static double median(List<Double> xs) {
        double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int k = v.length / 2;
        return v.length % 2 == 1 ? v[k] : (v[k - 1] + v[k]) / 2;
    }

    private static void header() {
        System.out.printf("%-30s %5s %5s %7s %12s %12s %12s %8s %11s%n", "problem", "n", "s", "outputs", "adjoint ms",
                "forward ms", "FD ms", "fwd/adj", "sweeps/pair");
    }

    private static void print(Row r) {
        System.out.printf(Locale.ROOT, "%-30s %5d %5d %7d %12s %12s %12s %8s %11s%n", r.problem, r.n, r.s, r.outputs,
                ms(r.adjoint), ms(r.forward), ms(r.fd), r.forward.ran() ? String.format(Locale.ROOT, "%.2f", r.ratio()) : "-",
                Double.isNaN(r.adjoint.sweepsPerPair) ? "-" : String.format(Locale.ROOT, "%.3f", r.adjoint.sweepsPerPair));
        System.out.flush();
    }

    /** A single-run figure is marked with "(1)": it includes the first call's setup and JIT time. */
    private static String ms(Timing t) {
        if (!t.ran()) return "-";
        String v = t.millis >= 100 ? String.format(Locale.ROOT, "%.0f", t.millis) : String.format(Locale.ROOT, "%.3g", t.millis);
        return t.reps == 1 ? v + " (1)" : v;
    }

}
