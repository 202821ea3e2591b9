package org.sundials4j.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.sundials4j.cli.JsonParser;
import org.sundials4j.problems.Objectives;

/** The C limit rows: parsed from the C program's line, checked like other contenders, or "not built". */
class CLimitTest {

    @Test
    void readsTheCLineWithNullForNonFiniteAnswers() {
        double[] a = CLimit.doubles(((Map<?, ?>) JsonParser.parse("{\"b\":[1,-2.5e-3,null]}")).get("b"));
        assertEquals(-2.5e-3, a[1]);
        assertTrue(Double.isNaN(a[2]));
    }

    @Test
    void cAnswersAreWithinTheirBandsOrTheRowSaysNotBuilt() {
        BenchMain.Settings s = BenchMain.Settings.of(true);
        try (Case c = new Case("lotka-volterra", Objectives.lotkaVolterra(), 1e-12, 1e-14)) {
            String dir = System.getProperty(CLimit.DIR_PROPERTY);
            PrintStream stderr = System.err;
            ByteArrayOutputStream progress = new ByteArrayOutputStream();
            try {
                System.setProperty(CLimit.DIR_PROPERTY, "target/no-such-dir");
                // the progress line of this negative case is checked here, not left in the test output
                System.setErr(new PrintStream(progress, true, StandardCharsets.UTF_8));
                List<BenchMain.Row> missing = CLimit.around(c, s, ArrayList::new);
                assertEquals(1, missing.size());
                assertEquals(CLimit.NOT_BUILT, missing.get(0).contender.name());
                assertFalse(missing.get(0).first.finished());
            } finally {
                System.setErr(stderr);
                if (dir == null) System.clearProperty(CLimit.DIR_PROPERTY);
                else System.setProperty(CLimit.DIR_PROPERTY, dir);
            }
            String line = progress.toString(StandardCharsets.UTF_8);
            assertTrue(line.contains(CLimit.NOT_BUILT) && line.contains("no-such-dir"), "the missing binary is named: " + line);
            assertTrue(Files.isExecutable(Path.of("target/c/climit_lotka_volterra")),
                    "target/c/climit_lotka_volterra missing: the build runs tests/c/build.sh before the tests");
            List<BenchMain.Row> rows = CLimit.around(c, s, ArrayList::new);
            assertEquals(4, rows.size());
            for (BenchMain.Row r : rows) {
                assertTrue(r.first.finished(), r.contender.name());
                assertTrue(r.ok, r.contender.name() + ": error " + r.error + " > band " + r.contender.band());
                assertEquals(s.rounds(), r.times.size());
                assertTrue(r.first.rhsEvals() > 0 && r.first.steps() > 0);
            }
        }
    }
}
