package org.sundials4j.cli.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sundials4j.cli.JsonParser;

/** {@code fit --json} on awkward values: read back by a parser written apart from the writer. */
class FitJsonTest {
    @Test
    void awkwardNamesAndNonFiniteNumbersStayValidJson() {
        Map<String, Double> params = new LinkedHashMap<>();
        params.put("k\"1", 0.25);
        params.put("sigma\\0", 3.0);
        Map<String, Double> se = new LinkedHashMap<>();
        se.put("k\"1", Double.NaN); // not identifiable: no finite standard error
        se.put("sigma\\0", 0.5);
        Path picture = Path.of("/tmp/a\tb/fit.png"), report = Path.of("/tmp/line\nbreak/report.md");
        ExampleResult r = new ExampleResult("lotka-volterra", 3, 4, 1.5, Double.POSITIVE_INFINITY, "MAX_ITERATIONS", params, se,
                List.of(picture), report);
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) JsonParser.parse(FitCommand.json(r));
        assertEquals(List.of("example", "iterations", "gradientEvaluations", "wallSeconds", "finalLoss", "stopReason", "parameters",
                "standardErrors", "pictures", "report"), List.copyOf(j.keySet()));
        assertEquals(3.0, j.get("iterations"));
        assertEquals(1.5, j.get("wallSeconds"));
        assertNull(j.get("finalLoss"), "JSON has no infinity");
        assertEquals(Map.of("k\"1", 0.25, "sigma\\0", 3.0), j.get("parameters"));
        Map<?, ?> errors = (Map<?, ?>) j.get("standardErrors");
        assertEquals(List.of("k\"1", "sigma\\0"), List.copyOf(errors.keySet()));
        assertNull(errors.get("k\"1"));
        assertEquals(List.of("/tmp/a\tb/fit.png"), j.get("pictures"));
        assertEquals("/tmp/line\nbreak/report.md", j.get("report"));
    }
}
