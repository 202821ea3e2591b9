package org.sundials4j.sbml.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** An SBML Test Suite results file: {@code time,<variables>} then one row per output time. */
public record ExpectedResults(List<String> columns, double[][] rows) {

    public static ExpectedResults read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
            if (lines.isEmpty()) throw new IllegalArgumentException(file + " is empty");
            List<String> header = Arrays.stream(lines.get(0).split(",")).map(String::trim).toList();
            double[][] rows = new double[lines.size() - 1][];
            for (int k = 1; k < lines.size(); k++) {
                String[] cells = lines.get(k).split(",");
                if (cells.length != header.size())
                    throw new IllegalArgumentException(file + " line " + (k + 1) + " has " + cells.length
                            + " values for " + header.size() + " columns");
                rows[k - 1] = new double[cells.length];
                for (int j = 0; j < cells.length; j++) rows[k - 1][j] = parse(cells[j].trim(), file, k + 1);
            }
            return new ExpectedResults(header, rows);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static double parse(String s, Path file, int line) {
        switch (s.toLowerCase()) {
            case "nan": return Double.NaN;
            case "inf": case "infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(file + " line " + line + ": '" + s + "' is not a number");
                }
        }
    }

    /** Index of a variable's column (never the time column, which may share its name), or -1. */
    public int column(String id) {
        int i = columns.subList(1, columns.size()).indexOf(id);
        return i < 0 ? -1 : i + 1;
    }
}
