package org.sundials4j.cli.progress;

import java.io.PrintStream;
import me.tongfei.progressbar.ProgressBar;
import org.sundials4j.ode.GradientListener;

/**
 * A progress bar for one gradient, driven by its {@link GradientListener}: the forward pass fills
 * the bar's first part as time goes from {@code t0} to {@code T}; for the adjoint, the backward pass
 * fills the second half as time goes back from {@code T} to {@code t0}. The message names the pass,
 * CVODES' step count in it and the time reached. When not {@linkplain ProgressBars#shown shown},
 * {@link #listener()} is null (the solver then reports nothing) and nothing is written.
 */
public final class GradientProgressBar implements AutoCloseable {
    private final ProgressBar bar;
    /** Thousandths of {@code [t0, T]} reached at a time. */
    private final java.util.function.DoubleToLongFunction permille;

    private GradientProgressBar(ProgressBar bar, java.util.function.DoubleToLongFunction permille) {
        this.bar = bar;
        this.permille = permille;
    }

    /**
     * A bar for a gradient over {@code [t0, tEnd]} on {@code stream} when {@code shown}, else an inert one.
     *
     * @param backward whether a backward pass follows the forward one (the adjoint)
     */
    public static GradientProgressBar open(String task, double t0, double tEnd, boolean backward, boolean shown, PrintStream stream) {
        long max = backward ? 2L * SolveProgress.SCALE : SolveProgress.SCALE;
        return new GradientProgressBar(shown ? ProgressBars.open(task, max, "", stream) : null,
                t -> SolveProgress.permille(t, t0, tEnd - t0));
    }

    /** The listener to give the gradient solver, or null when no bar is shown. */
    public GradientListener listener() {
        if (bar == null) return null;
        return (pass, t, steps) -> {
            bar.stepTo(position(pass, t));
            bar.setExtraMessage(String.format(" %s %d steps, t %.3g", pass == GradientListener.Pass.FORWARD ? "forward" : "backward",
                    steps, t));
        };
    }

    /** Forward: thousandths of {@code [t0, T]} reached; backward: one more span, counted down from T. */
    long position(GradientListener.Pass pass, double t) {
        long p = permille.applyAsLong(t);
        return pass == GradientListener.Pass.FORWARD ? p : 2L * SolveProgress.SCALE - p;
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
