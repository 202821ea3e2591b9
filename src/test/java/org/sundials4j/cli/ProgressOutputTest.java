package org.sundials4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A progress bar never changes what a command prints on stdout: each command is run with the bar
 * forced on and forced off, and stdout compared byte for byte (wall times, which differ between any
 * two runs, masked). The stdout itself is checked against references by {@link MainTest} and
 * {@code SbmlCommandsTest}.
 */
class ProgressOutputTest {
    private static final String SBML = "src/test/resources/sbml-test-suite/cases/00706/00706-sbml-l3v2.xml";

    static MainTest.Run run(Predicate<Boolean> shown, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new Main(o, e, shown).run(args);
        }
        return new MainTest.Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String masked(String s) {
        return s.replaceAll("\"wallMillis\":[-+0-9.eE]+", "\"wallMillis\":_").replaceAll("wall time [0-9.]+ ms", "wall time _ ms");
    }

    private static void sameStdout(String... args) {
        MainTest.Run off = run(json -> false, args), on = run(json -> true, args);
        assertEquals(0, off.code(), off.err());
        assertEquals(0, on.code(), on.err());
        assertEquals(masked(off.out()), masked(on.out()), "stdout with and without the bar");
        assertEquals("", off.err(), "no bar: nothing on stderr");
        assertTrue(on.err().contains(args[0] + " ") && on.err().contains("steps"), "the bar went to stderr: " + on.err());
    }

    @Test
    void solveTableIsTheSameWithTheBar() {
        sameStdout("solve", "rober");
    }

    @Test
    void solveJsonIsTheSameWithTheBar() {
        sameStdout("solve", "rober", "--json");
    }

    @Test
    void sbmlTimeCourseIsTheSameWithTheBar() {
        MainTest.Run off = run(json -> false, "sbml", SBML), on = run(json -> true, "sbml", SBML);
        assertEquals(0, on.code(), on.err());
        assertEquals(off.out(), on.out(), "the CSV time course holds no wall time: byte-identical");
        assertTrue(on.err().contains("sbml "), on.err());
        sameStdout("sbml", SBML, "--json");
    }

    @Test
    void gradientTablesAreTheSameWithTheBar() {
        sameStdout("solve", "rober", "--sens", "adjoint");
        sameStdout("solve", "pollu", "--sens", "forward");
        sameStdout("solve", "lotka-volterra", "--sens", "auto");
    }

    @Test
    void gradientJsonIsTheSameWithTheBar() {
        sameStdout("solve", "rober", "--sens", "adjoint", "--json");
        sameStdout("solve", "rober", "--sens", "forward", "--json");
    }

    @Test
    void adjointBarShowsBothPasses() {
        MainTest.Run on = run(json -> true, "solve", "rober", "--sens", "adjoint");
        assertEquals(0, on.code(), on.err());
        assertTrue(on.err().contains("/2000") && on.err().contains("backward"), "a two-pass bar: " + on.err());
    }

    @Test
    void finiteDifferencesShowNoBar() {
        MainTest.Run off = run(json -> false, "solve", "rober", "--sens", "fd"), on = run(json -> true, "solve", "rober", "--sens", "fd");
        assertEquals(0, on.code(), on.err());
        assertEquals("", on.err(), "fd reports no progress, so no bar is drawn");
        assertEquals(off.out().replaceAll("wall time [0-9.]+ ms", ""), on.out().replaceAll("wall time [0-9.]+ ms", ""));
    }

    @Test
    void jsonAsksForNoBar() {
        java.util.List<Boolean> asked = new java.util.ArrayList<>();
        run(json -> asked.add(json) && false, "solve", "rober", "--json");
        run(json -> asked.add(json) && false, "solve", "rober");
        run(json -> asked.add(json) && false, "solve", "rober", "--sens", "adjoint", "--json");
        run(json -> asked.add(json) && false, "solve", "rober", "--sens", "adjoint");
        assertEquals(java.util.List.of(true, false, true, false), asked, "the command tells the decision whether it prints JSON");
    }
}
