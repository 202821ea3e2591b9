package org.sundials4j.cli.fit;

import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.sundials4j.fit.OptimizationListener;

/**
 * A progress bar for a fit on stderr (me.tongfei:progressbar), shown only when stderr is a terminal,
 * the output is not JSON and {@code CI} is unset; otherwise the listener does nothing, so piped or CI
 * output never holds carriage-return noise.
 */
final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** True when file descriptor 2 is a terminal and {@code CI} is not set (Linux: the link of fd 2). */
    static boolean stderrIsTerminal() {
        if (System.getenv("CI") != null) return false;
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return false;
        }
    }

    static Progress open(String task, int maxIterations, boolean enabled) {
        if (!enabled) return new Progress(null);
        ProgressBar bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(maxIterations)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUpdateIntervalMillis(200).setUnit(" it", 1).build();
        return new Progress(bar);
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
