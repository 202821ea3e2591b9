package org.sundials4j.cli.fit;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import org.sundials4j.cli.Json;
import org.sundials4j.cli.progress.ProgressBars;
import org.sundials4j.fit.OptimizationListener;

/**
 * {@code sundials4j fit <example> [--out DIR] [--max-iterations N] [--json]}: runs one of the fitting
 * examples, writes its PNGs and {@code report.md} under {@code DIR/<example>} (default
 * {@code fit-report}), and prints the figures and the paths. A progress bar goes to stderr only when
 * it is a terminal, without {@code --json} and outside CI.
 */
public final class FitCommand {
    public static final String USAGE = "sundials4j fit lotka-volterra|neural-ode|pk-dosing [--out DIR] [--max-iterations N] [--json]";
    static final String[] EXAMPLES = {LotkaVolterraExample.NAME, NeuralOdeExample.NAME, PkDosingExample.NAME};

    private final PrintStream out, err;
    /** Whether to show a progress bar, given {@code --json} (the other commands' rule, {@link ProgressBars#shown}). */
    private final Predicate<Boolean> progressShown;

    public FitCommand(PrintStream out) {
        this(out, System.err, ProgressBars::shown);
    }

    public FitCommand(PrintStream out, PrintStream err, Predicate<Boolean> progressShown) {
        this.out = out;
        this.err = err;
        this.progressShown = progressShown;
    }

    /** One example's fit: {@code run(dir, maxIterations, progress)}. */
    @FunctionalInterface
    private interface Example {
        ExampleResult run(Path dir, int maxIterations, OptimizationListener progress) throws IOException;
    }

    /** Runs {@code args} (starting with "fit"); bad arguments throw {@link IllegalArgumentException}. */
    public int run(String[] args) {
        if (args.length < 2 || args[1].startsWith("--"))
            throw new IllegalArgumentException("fit needs an example: " + String.join(", ", EXAMPLES));
        String example = args[1];
        Path outDir = Path.of("fit-report");
        Integer maxIterations = null;
        boolean json = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--out" -> {
                    if (++i >= args.length) throw new IllegalArgumentException("--out needs a directory");
                    outDir = Path.of(args[i]);
                }
                case "--max-iterations" -> {
                    if (++i >= args.length) throw new IllegalArgumentException("--max-iterations needs a value");
                    try {
                        maxIterations = Integer.parseInt(args[i]);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--max-iterations value '" + args[i] + "' is not an integer");
                    }
                    if (maxIterations < 1) throw new IllegalArgumentException("--max-iterations must be >= 1, got " + maxIterations);
                }
                default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
            }
        }
        System.setProperty("java.awt.headless", "true");
        Path dir = outDir.resolve(example);
        Example fit = switch (example) {
            case LotkaVolterraExample.NAME -> LotkaVolterraExample::run;
            case NeuralOdeExample.NAME -> NeuralOdeExample::run;
            case PkDosingExample.NAME -> PkDosingExample::run;
            default -> throw new IllegalArgumentException("unknown example '" + example + "'; examples: " + String.join(", ", EXAMPLES));
        };
        int max = maxIterations != null ? maxIterations : switch (example) {
            case NeuralOdeExample.NAME -> NeuralOdeExample.DEFAULT_ITERATIONS;
            case PkDosingExample.NAME -> 200;
            default -> 500;
        };
        ExampleResult r;
        try (Progress p = Progress.open("fit " + example, max, progressShown.test(json), err)) {
            r = fit.run(dir, max, p.listener());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (json) out.println(json(r));
        else print(r);
        return 0;
    }

    private void print(ExampleResult r) {
        out.printf(Locale.ROOT, "%s: %s after %d iterations, %d gradient evaluations, %.2f s; final loss %.8g%n",
                r.example(), r.stopReason(), r.iterations(), r.gradientEvaluations(), r.wallSeconds(), r.finalLoss());
        if (r.parameters().size() <= 12) {
            for (Map.Entry<String, Double> e : r.parameters().entrySet()) {
                Double se = r.standardErrors().get(e.getKey());
                out.printf(Locale.ROOT, "  %-10s %12.6g%s%n", e.getKey(), e.getValue(), se == null ? "" : String.format(Locale.ROOT, " ± %.3g", se));
            }
        }
        for (Path p : r.pictures()) out.println("picture: " + p.toAbsolutePath());
        out.println("report:  " + r.report().toAbsolutePath());
    }

    /** One line of JSON; the keys and their order are a stable interface (add, never rename). */
    static String json(ExampleResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("example", r.example());
        m.put("iterations", r.iterations());
        m.put("gradientEvaluations", r.gradientEvaluations());
        m.put("wallSeconds", r.wallSeconds());
        m.put("finalLoss", r.finalLoss());
        m.put("stopReason", r.stopReason());
        m.put("parameters", r.parameters());
        m.put("standardErrors", r.standardErrors());
        m.put("pictures", r.pictures().stream().map(p -> p.toAbsolutePath().toString()).toList());
        m.put("report", r.report().toAbsolutePath().toString());
        return Json.write(m);
    }
}
