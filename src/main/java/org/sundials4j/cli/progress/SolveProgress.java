package org.sundials4j.cli.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import org.sundials4j.ode.SolveListener;

/**
 * A progress bar for one solve, driven by its {@link SolveListener}: the bar is the fraction of
 * {@code [t0, tEnd]} reached, in thousandths, and its message CVODES' step count and the time reached
 * (kept short: the library cuts the line to the terminal's width). When not
 * {@linkplain ProgressBars#shown shown}, {@link #listener()} is null (the solver then reports nothing
 * at all) and nothing is written.
 */
public final class SolveProgress implements AutoCloseable {
    /** The bar's resolution: thousandths of the time span. */
    static final int SCALE = 1000;

    private final ProgressBar bar;
    private final double t0, span;

    private SolveProgress(ProgressBar bar, double t0, double tEnd) {
        this.bar = bar;
        this.t0 = t0;
        this.span = tEnd - t0;
    }

    /** A bar for a solve over {@code [t0, tEnd]} on {@code stream} when {@code shown}, else an inert one. */
    public static SolveProgress open(String task, double t0, double tEnd, boolean shown, PrintStream stream) {
        return new SolveProgress(shown ? ProgressBars.open(task, SCALE, "", stream) : null, t0, tEnd);
    }

    /** The listener to give the solver, or null when no bar is shown. */
    public SolveListener listener() {
        if (bar == null) return null;
        return (t, steps) -> {
            bar.stepTo(permille(t));
            bar.setExtraMessage(String.format(" %d steps, t %.3g", steps, t));
        };
    }

    /** The bar position of time {@code t}: 0 at {@code t0}, {@link #SCALE} at {@code tEnd}, clamped. */
    long permille(double t) {
        return permille(t, t0, span);
    }

    /** The bar position of time {@code t} on a span of {@code span} from {@code t0}. */
    static long permille(double t, double t0, double span) {
        if (!(span > 0)) return SCALE;
        double f = (t - t0) / span;
        return Math.round(Math.max(0, Math.min(1, f)) * SCALE);
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
