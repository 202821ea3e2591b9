package org.sundials4j.sbml.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sundials4j.sbml.Variable;

/**
 * An SBML Test Suite settings file ({@code NNNNN-settings.txt}): the time grid, the variables to
 * report (species in the {@code amount} list as amounts, in the {@code concentration} list as
 * concentrations, everything else as its value) and the pass tolerances.
 */
public record CaseSettings(double start, double duration, int steps, List<Variable> variables,
                           double absolute, double relative) {

    public static CaseSettings read(Path file) {
        Map<String, String> kv = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0) kv.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read settings file " + file + ": " + e.getMessage(), e);
        }
        Set<String> amounts = Set.copyOf(list(kv.get("amount")));
        Set<String> concentrations = Set.copyOf(list(kv.get("concentration")));
        List<Variable> vars = new ArrayList<>();
        for (String id : list(kv.get("variables")))
            vars.add(amounts.contains(id) ? Variable.amount(id)
                    : concentrations.contains(id) ? Variable.concentration(id) : Variable.value(id));
        return new CaseSettings(number(kv, "start", file, 0), number(kv, "duration", file, Double.NaN),
                (int) number(kv, "steps", file, Double.NaN), vars, number(kv, "absolute", file, 0),
                number(kv, "relative", file, 0));
    }

    /** The output times {@code start + k·duration/steps}. */
    public double[] times() {
        double[] t = new double[steps + 1];
        for (int k = 0; k <= steps; k++) t[k] = start + duration * k / steps;
        return t;
    }

    private static List<String> list(String s) {
        List<String> out = new ArrayList<>();
        if (s == null) return out;
        for (String x : s.split(",")) if (!x.isBlank()) out.add(x.trim());
        return out;
    }

    private static double number(Map<String, String> kv, String key, Path file, double fallback) {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) {
            if (Double.isNaN(fallback)) throw new IllegalArgumentException(file + ": missing '" + key + ":'");
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": '" + key + ": " + v + "' is not a number");
        }
    }
}
