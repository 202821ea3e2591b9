package org.sundials4j.cli.fit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.sundials4j.fit.FitResult;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.Method;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeOdeModel;

/** What the examples share: reference solves and the Markdown report. */
final class Examples {
    private Examples() {
    }

    /** States {@code [k][i]} at {@code times}, solved tightly (for synthetic data and true curves). */
    static double[][] simulate(OdeDefinition rhs, int n, double[] y0, double[] p, double[] times) {
        return simulate(rhs, n, y0, p, times, SolverOptions.defaults().withTolerances(1e-10, 1e-12).withMaxSteps(1_000_000));
    }

    static double[][] simulate(OdeDefinition rhs, int n, double[] y0, double[] p, double[] times, SolverOptions o) {
        TapeOdeModel m = TapeOdeModel.record(n, p.length, rhs, 0, y0, p);
        try (CvodesSolver s = new CvodesSolver(m, o)) {
            return s.solve(0, y0, p, times).states();
        }
    }

    static SolverOptions adams(double rtol, double atol) {
        return SolverOptions.defaults().withMethod(Method.ADAMS).withTolerances(rtol, atol);
    }

    /**
     * Writes {@code report.md}: the setting, the optimizer's figures, the estimates with standard errors
     * (and the true values when known), the correlation matrix and the pictures.
     *
     * @param truth true values in the order of the estimates, or null
     */
    static Path writeReport(Path dir, String title, String setting, FitResult fit, double[] truth, List<Path> pictures) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# ").append(title).append("\n\n").append(setting).append("\n\n");
        b.append(String.format(Locale.ROOT, "| optimizer | |%n|---|---|%n| stop reason | %s |%n| iterations | %d |%n"
                        + "| gradient evaluations | %d |%n| wall time of the fit | %.2f s |%n| final negative log-likelihood | %.8g |%n%n",
                fit.optimization().reason(), fit.optimization().iterations(), fit.gradientEvaluations(), fit.seconds(),
                fit.negativeLogLikelihood()));
        if (fit.names().length <= 20) {
            b.append("| parameter | estimate | standard error |").append(truth != null ? " true value |" : "").append("\n|---|---|---|")
                    .append(truth != null ? "---|" : "").append("\n");
            for (int i = 0; i < fit.names().length; i++) {
                b.append(String.format(Locale.ROOT, "| %s | %.6g | %.3g |", fit.names()[i], fit.estimates()[i], fit.standardError(i)));
                if (truth != null) b.append(String.format(Locale.ROOT, " %.6g |", truth[i]));
                b.append("\n");
            }
            if (fit.uncertainty() != null) {
                b.append("\nCorrelation matrix (observed Fisher information, on the optimizer's scale):\n\n|  |");
                for (String n : fit.names()) b.append(' ').append(n).append(" |");
                b.append("\n|---|");
                for (int i = 0; i < fit.names().length; i++) b.append("---|");
                b.append('\n');
                double[][] c = fit.uncertainty().correlation();
                for (int i = 0; i < c.length; i++) {
                    b.append("| ").append(fit.names()[i]).append(" |");
                    for (double v : c[i]) b.append(String.format(Locale.ROOT, " %.3f |", v));
                    b.append('\n');
                }
            } else if (fit.uncertaintyFailure() != null) {
                b.append("\nNo standard errors: ").append(fit.uncertaintyFailure()).append('\n');
            }
        }
        b.append("\n");
        for (Path p : pictures) b.append("![").append(p.getFileName()).append("](").append(p.getFileName()).append(")\n\n");
        Path report = dir.resolve("report.md");
        Files.writeString(report, b.toString());
        return report;
    }
}
