package org.sundials4j.ode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The soak run behind {@code tests/soak.sh} (not a unit test: it takes minutes): N create/solve/close
 * cycles of each mode, after a warm-up of N/10 (at least {@value #WARM_UP}), and the process's resident memory and mapping count
 * before and after. A mode fails when RSS grew by more than {@code maxRssGrowthMiB} or the mappings
 * by more than {@code maxMapGrowth}; the exit code is the number of failed modes.
 */
public final class Soak {
    private Soak() {}

    interface Cycle {
        void run(int i);
    }

    static final double[] TIMES = {0.4, 4, 40};
    /**
     * Forward gradients raise RSS by 10-25 MiB over their first thousand cycles on a loaded machine
     * (JIT, malloc arenas) and then stay flat (4000 more cycles: within 6 MiB, the C heap too):
     * a shorter warm-up reads that plateau as growth.
     */
    static final int WARM_UP = 1000;

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        double maxRssGrowthMiB = args.length > 1 ? Double.parseDouble(args[1]) : 16;
        int maxMapGrowth = args.length > 2 ? Integer.parseInt(args[2]) : 16;
        SolverOptions o = RoberFixture.referenceOptions();
        Cycle solve = i -> {
            try (CvodesSolver s = new CvodesSolver(new RoberFixture(), o)) {
                s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            }
        };
        Cycle forward = i -> gradient(o, SensitivityMethod.FORWARD);
        Cycle adjoint = i -> gradient(o, SensitivityMethod.ADJOINT);
        // the refusal and cancellation paths: close() from inside the RHS (refused), then a cancel
        Cycle refused = i -> {
            AtomicReference<CvodesSolver> self = new AtomicReference<>();
            try (CvodesSolver s = new CvodesSolver(new LifecycleTest.Hooked(20, c -> self.get().close()), o)) {
                self.set(s);
                try {
                    s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
                    throw new AssertionError("close() inside the RHS was not refused");
                } catch (CallbackException expected) {
                    // the refusal
                }
                s.solve(RoberFixture.Y0, RoberFixture.P, TIMES);
            }
        };
        int failed = 0;
        System.out.printf(Locale.ROOT, "soak: %d cycles per mode, limits: RSS growth %.0f MiB, mapping growth %d%n", n,
                maxRssGrowthMiB, maxMapGrowth);
        String[] names = {"solve", "forward", "adjoint", "refused-close"};
        Cycle[] cycles = {solve, forward, adjoint, refused};
        for (int m = 0; m < cycles.length; m++) {
            for (int i = 0; i < Math.max(WARM_UP, n / 10); i++) cycles[m].run(i);
            settle();
            long rss0 = rssKiB(), maps0 = mappings();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) cycles[m].run(i);
            double secs = (System.nanoTime() - t0) / 1e9;
            settle();
            long rss1 = rssKiB(), maps1 = mappings();
            double growth = (rss1 - rss0) / 1024.0;
            boolean ok = growth <= maxRssGrowthMiB && maps1 - maps0 <= maxMapGrowth;
            if (!ok) failed++;
            System.out.printf(Locale.ROOT, "%-14s %7d cycles %7.1f s  %6.1f us/cycle  RSS %7.1f -> %7.1f MiB (%+.1f)  mappings %d -> %d (%+d)  %s%n",
                    names[m], n, secs, secs * 1e6 / n, rss0 / 1024.0, rss1 / 1024.0, growth, maps0, maps1, maps1 - maps0,
                    ok ? "ok" : "FAIL");
        }
        System.exit(failed);
    }

    static void gradient(SolverOptions o, SensitivityMethod m) {
        try (GradientSolver g = new GradientSolver(new RoberFixture(), LifecycleTest.SQUARES, LifecycleTest.Y3, o,
                SensitivityOptions.defaults().withMethod(m))) {
            g.gradient(0, RoberFixture.Y0, RoberFixture.P, TIMES);
        }
    }

    /** Lets the Cleaner and the collector run, so that only live memory is counted. */
    static void settle() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static long rssKiB() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D", ""));
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }
}
