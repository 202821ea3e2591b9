package org.sundials4j.cli.progress;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * When the CLI shows a progress bar, and the bars it shows (me.tongfei:progressbar, on stderr).
 *
 * <p>A bar is shown only when stderr is a terminal, the output is not JSON and {@code CI} is unset (or
 * empty): piped output, CI logs and machine-read JSON never hold carriage-return noise, and stdout is
 * never touched, so it is byte-for-byte what it is without a bar.
 */
public final class ProgressBars {
    private ProgressBars() {
    }

    /**
     * The decision, from its three inputs.
     *
     * @param json         whether the command prints JSON
     * @param ci           the value of the {@code CI} environment variable, or null
     * @param stderrTarget what file descriptor 2 points to (the link of {@code /proc/self/fd/2}), or null
     */
    public static boolean shown(boolean json, String ci, String stderrTarget) {
        if (json || (ci != null && !ci.isEmpty()) || stderrTarget == null) return false;
        return stderrTarget.startsWith("/dev/pts/") || stderrTarget.startsWith("/dev/tty");
    }

    /** The decision for this process. */
    public static boolean shown(boolean json) {
        return shown(json, System.getenv("CI"), stderrTarget());
    }

    /** Where file descriptor 2 points (Linux), or null when that cannot be read. */
    static String stderrTarget() {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        } catch (Exception e) {
            return null;
        }
    }

    /** An ASCII bar on {@code stream}, redrawn at most five times a second. */
    public static ProgressBar open(String task, long max, String unit, PrintStream stream) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(stream)).setUpdateIntervalMillis(200).setUnit(unit, 1).build();
    }
}
