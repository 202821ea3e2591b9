package org.sundials4j.cli.fit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an example reports: the figures for the closing note and where its pictures and report are.
 *
 * @param example             the example's name
 * @param iterations          optimizer iterations
 * @param gradientEvaluations likelihood evaluations (each with its gradient)
 * @param wallSeconds         wall time of the fit (not of the plots or the uncertainty)
 * @param finalLoss           the loss at the end (the example says which loss)
 * @param stopReason          why the optimizer stopped
 * @param parameters          estimated parameter → value (natural units)
 * @param standardErrors      estimated parameter → standard error, empty when not computed
 * @param pictures            the PNGs written
 * @param report              the Markdown report
 */
record ExampleResult(String example, int iterations, int gradientEvaluations, double wallSeconds, double finalLoss,
                     String stopReason, Map<String, Double> parameters, Map<String, Double> standardErrors,
                     List<Path> pictures, Path report) {
}
