package org.sundials4j.cli.fit;

import me.tongfei.progressbar.ProgressBar;
import org.sundials4j.cli.progress.ProgressBars;
import org.sundials4j.fit.OptimizationListener;

/**
 * A progress bar for a fit on stderr, shown when {@link ProgressBars#shown} says so; otherwise the
 * listener does nothing.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    static Progress open(String task, int maxIterations, boolean enabled, java.io.PrintStream err) {
        if (!enabled) return new Progress(null);
        return new Progress(ProgressBars.open(task, maxIterations, " it", err));
    }

    /** Moves the bar to each iteration and shows the loss and the gradient norm. */
    OptimizationListener listener() {
        if (bar == null) return OptimizationListener.NONE;
        return (iteration, value, gradientNorm, evaluations, x) -> {
            bar.stepTo(iteration);
            bar.setExtraMessage(String.format(" NLL %.6g |g| %.2e", value, gradientNorm));
        };
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
