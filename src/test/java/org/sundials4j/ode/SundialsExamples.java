package org.sundials4j.ode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the reference outputs of SUNDIALS' own examples, kept with the pinned build. */
final class SundialsExamples {
    private SundialsExamples() {}

    static Path output(String name) {
        String home = System.getProperty("sundials.home", "target/sundials");
        Path p = Path.of(home, "share", "examples", "cvodes-serial", name);
        if (!Files.isRegularFile(p)) throw new IllegalStateException("missing reference output " + p + " (run cmake/build-sundials.sh)");
        return p;
    }

    static List<String> lines(String name) {
        try {
            return Files.readAllLines(output(name));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The value printed after {@code label} and '=' in a "Final Statistics" block, e.g. "Steps". */
    static String stat(List<String> lines, String label) {
        Pattern p = Pattern.compile("^" + Pattern.quote(label) + "\\s*=\\s*(\\S+)");
        for (String l : lines) {
            Matcher m = p.matcher(l.trim());
            if (m.find()) return m.group(1);
        }
        throw new IllegalArgumentException("no statistic '" + label + "'");
    }

    /** Lines matching a regex, with their groups. */
    static List<String[]> matches(List<String> lines, String regex) {
        Pattern p = Pattern.compile(regex);
        List<String[]> out = new ArrayList<>();
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                String[] g = new String[m.groupCount()];
                for (int i = 0; i < g.length; i++) g[i] = m.group(i + 1);
                out.add(g);
            }
        }
        return out;
    }
}
