package org.sundials4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The launcher's commands through {@code Main.run}, with captured output and JSON read back by a separate parser. */
class MainTest {

    /** Exit code, stdout and stderr of one command. */
    record Run(int code, String out, String err) {
        Map<String, Object> json() {
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, "--json prints one line; got:\n" + out);
            return map(JsonParser.parse(lines[0]));
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = new Main(o, e).run(args);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) assertInstanceOf(Map.class, o);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) assertInstanceOf(List.class, o);
    }

    static double[] numbers(Object o) {
        List<Object> l = list(o);
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = (Double) l.get(i);
        return a;
    }

    static double number(Map<String, Object> m, String key) {
        return (Double) assertInstanceOf(Double.class, m.get(key), key);
    }

    /** cvsRoberts_dns.out's rows at the 12 output times (its root-return lines left out). */
    static final double[][] CVS_ROBERTS = {
            {9.851641e-01, 3.386242e-05, 1.480205e-02}, {9.055097e-01, 2.240338e-05, 9.446793e-02},
            {7.158017e-01, 9.185037e-06, 2.841892e-01}, {4.505360e-01, 3.223271e-06, 5.494608e-01},
            {1.832299e-01, 8.944378e-07, 8.167692e-01}, {3.898902e-02, 1.622006e-07, 9.610108e-01},
            {4.936383e-03, 1.984224e-08, 9.950636e-01}, {5.168093e-04, 2.068293e-09, 9.994832e-01},
            {5.202440e-05, 2.081083e-10, 9.999480e-01}, {5.201061e-06, 2.080435e-11, 9.999948e-01},
            {5.258603e-07, 2.103442e-12, 9.999995e-01}, {6.934511e-08, 2.773804e-13, 9.999999e-01}};

    @Test
    void plainSolveJsonKeepsItsKeysAndMatchesCvsRoberts() {
        Run r = run("solve", "rober", "--json");
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = r.json();
        assertEquals(List.of("problem", "times", "states", "stats", "method", "linearSolver", "rtol", "atol", "wallMillis"),
                List.copyOf(m.keySet()), "the plain solve's keys are a stable interface");
        assertEquals("rober", m.get("problem"));
        double[] times = numbers(m.get("times"));
        List<Object> states = list(m.get("states"));
        assertEquals(12, times.length);
        assertEquals(12, states.size());
        for (int k = 0; k < 12; k++) {
            double expected = 0.4 * Math.pow(10, k);
            assertEquals(expected, times[k], 1e-12 * expected, "time " + k);
            double[] y = numbers(states.get(k));
            assertEquals(3, y.length);
            assertEquals(1.0, y[0] + y[1] + y[2], 1e-6, "mass conservation at t = " + times[k]);
            // The problem set's tolerances are not cvsRoberts', so late tiny values differ by up to atol.
            double[] floor = {1e-7, 1e-10, 1e-7};
            for (int i = 0; i < 3; i++) {
                double ref = CVS_ROBERTS[k][i];
                assertTrue(Math.abs(y[i] - ref) <= 1e-3 * Math.abs(ref) + floor[i],
                        "y" + (i + 1) + " at t = " + times[k] + ": " + y[i] + " vs cvsRoberts " + ref);
            }
        }
        Map<String, Object> stats = map(m.get("stats"));
        assertTrue(number(stats, "steps") > 0);
        assertEquals("BDF", m.get("method"));
    }

    /**
     * Each component within {@code rel} of the other method's, measured against at least a thousandth
     * of the largest component: the smallest pollu entries (down to 1e-20) sit at the solvers' noise.
     */
    static void assertAgree(String what, double[] a, double[] b, double rel) {
        assertEquals(b.length, a.length, what + " length");
        double largest = 0;
        for (double v : b) largest = Math.max(largest, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            double scale = Math.max(Math.abs(b[i]), 1e-3 * largest);
            assertEquals(b[i], a[i], rel * scale, what + "[" + i + "]");
        }
    }

    static final List<String> GRADIENT_KEYS =
            List.of("problem", "loss", "gradient", "method", "stats", "rtol", "atol", "wallMillis");

    static Map<String, Object> gradient(String method, String... tolerances) {
        String[] args = new String[5 + tolerances.length];
        System.arraycopy(new String[] {"solve", "pollu", "--sens", method, "--json"}, 0, args, 0, 5);
        System.arraycopy(tolerances, 0, args, 5, tolerances.length);
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        Map<String, Object> m = r.json();
        assertEquals(GRADIENT_KEYS, List.copyOf(m.keySet()));
        Map<String, Object> g = map(m.get("gradient"));
        assertEquals(Set.of("params", "y0"), g.keySet());
        assertEquals(25, numbers(g.get("params")).length, "pollu has 25 parameters");
        assertEquals(20, numbers(g.get("y0")).length, "pollu has 20 states");
        Map<String, Object> stats = map(m.get("stats"));
        for (String k : List.of("steps", "rhsEvals", "jacobianEvals", "backward", "checkpoints", "checkpointBytes",
                "reverseSweeps", "backwardPairs"))
            assertTrue(stats.containsKey(k), "stats has " + k);
        return m;
    }

    /** Forward sensitivities and the checkpointed adjoint are independent computations of one gradient. */
    @Test
    void polluAdjointAndForwardAgree() {
        String[] tight = {"--rtol", "1e-9", "--atol", "1e-13"};
        Map<String, Object> adj = gradient("adjoint", tight), fwd = gradient("forward", tight);
        assertEquals("ADJOINT", adj.get("method"));
        assertEquals("FORWARD", fwd.get("method"));
        assertEquals(1e-9, number(adj, "rtol"));
        assertEquals(1e-13, numbers(adj.get("atol"))[0]);
        assertEquals(number(fwd, "loss"), number(adj, "loss"), 1e-8 * Math.abs(number(fwd, "loss")));
        for (String part : List.of("params", "y0")) {
            double[] a = numbers(map(adj.get("gradient")).get(part)), f = numbers(map(fwd.get("gradient")).get(part));
            assertAgree(part + " adjoint vs forward", a, f, 1e-5);
        }
        Map<String, Object> as = map(adj.get("stats")), fs = map(fwd.get("stats"));
        assertTrue(number(as, "checkpoints") >= 1);
        assertTrue(number(as, "checkpointBytes") > 0);
        assertTrue(number(map(as.get("backward")), "steps") > 0);
        assertTrue(number(as, "backwardPairs") > 0);
        assertNull(fs.get("backward"));
        assertEquals(0.0, number(fs, "checkpoints"));
    }

    @Test
    void autoReportsTheMethodItChose() {
        Map<String, Object> m = gradient("auto");
        assertTrue(Set.of("FORWARD", "ADJOINT").contains(m.get("method")), "method " + m.get("method"));
        assertEquals(1e-6, number(m, "rtol"), "without --rtol the objective's own tolerances");
    }

    @Test
    void humanReadableGradient() {
        Run r = run("solve", "rober", "--sens", "adjoint");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("method ADJOINT"), r.out());
        assertTrue(r.out().contains("loss "), r.out());
        assertTrue(r.out().contains("dL/dp  [3]"), r.out());
        assertTrue(r.out().contains("dL/dy0 [3]"), r.out());
        assertTrue(r.out().contains("checkpoints "), r.out());
        assertTrue(r.out().contains("wall time"), r.out());
    }

    static void assertUsageError(String named, String... args) {
        Run r = run(args);
        assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
        String firstLine = r.err().lines().findFirst().orElse("");
        assertTrue(firstLine.contains(named), "message names '" + named + "': " + firstLine);
        assertTrue(r.err().contains("usage:"), r.err());
        assertEquals("", r.out(), "nothing on stdout");
    }

    @Test
    void usageErrorsExitWithTwoAndNameTheArgument() {
        assertUsageError("bogus", "solve", "pollu", "--sens", "bogus");
        assertUsageError("--sens", "solve", "pollu", "--sens");
        assertUsageError("--rtol", "solve", "pollu", "--sens", "adjoint", "--rtol");
        assertUsageError("abc", "solve", "rober", "--atol", "abc");
        assertUsageError("--frobnicate", "solve", "rober", "--frobnicate");
        assertUsageError("nosuch", "solve", "nosuch", "--sens", "forward");
        assertUsageError("problem", "solve", "--sens", "forward");
        assertUsageError("explode", "explode");
        assertUsageError("no command", new String[0]);
    }

    @Test
    void solverFailureExitsWithOne() {
        // tolerances far below double precision: CVODES refuses with CV_TOO_MUCH_ACC
        Run r = run("solve", "rober", "--rtol", "1e-300", "--atol", "1e-300");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("solve failed") && r.err().contains("CV_TOO_MUCH_ACC"), r.err());
    }

    @Test
    void numbersAreStrictlyDecimalAndTolerancesMeaningful() {
        for (String bad : List.of("1e-4d", "1e-4f", "0x1p-4", "NaN", "Infinity", "1e400", "1e-4 ", "", "1,5")) {
            Run r = run("solve", "rober", "--rtol", bad);
            assertEquals(2, r.code(), bad + ": " + r.err());
            assertTrue(r.err().contains("--rtol value '" + bad + "' is not a number"), r.err());
        }
        Run huge = run("solve", "rober", "--rtol", "1e300");
        assertEquals(2, huge.code(), huge.err());
        assertTrue(huge.err().contains("rtol must be below 1"), huge.err());
        for (String ok : List.of("1e-4", "1E-4", ".0001", "0.0001", "+1e-4")) assertEquals(0, run("solve", "rober", "--rtol", ok).code(), ok);
    }

    @Test
    void helpAnywherePrintsTheUsageOfEveryCommand() {
        for (String[] args : List.of(new String[] {"help"}, new String[] {"--help"}, new String[] {"solve", "rober", "--help"},
                new String[] {"demo", "-h"})) {
            Run r = run(args);
            assertEquals(0, r.code(), String.join(" ", args));
            for (String command : List.of("sundials4j demo", "sundials4j solve", "sundials4j bench"))
                assertTrue(r.out().contains(command), String.join(" ", args) + " -> " + r.out());
        }
        String problems = Main.USAGE.lines().filter(l -> l.startsWith("problems: ")).findFirst().orElseThrow();
        assertEquals("problems: " + String.join(", ", org.sundials4j.problems.Problems.names()), problems);
    }

    @Test
    void demoTakesNoArgumentsAndBenchNeedsTheSourceCheckout() {
        assertUsageError("extra", "demo", "extra");
        assertUsageError("source checkout", "bench", "--quick");
    }

    @Test
    void plainSolvePrintsTheTolerancesItUsed() {
        org.sundials4j.problems.Problem p = org.sundials4j.problems.Problems.byName("rober");
        String own = run("solve", "rober").out().lines().filter(l -> l.startsWith("tolerances:")).findFirst().orElseThrow();
        assertEquals(String.format("tolerances: rtol %.2e, atol %s (the problem's own)", p.relativeTolerance(),
                Main.tolerances(p.absoluteTolerances())), own);
        String given = run("solve", "rober", "--rtol", "1e-5", "--atol", "1e-9").out();
        assertTrue(given.contains("tolerances: rtol 1.00e-05, atol 1.00e-09\n") || given.contains("tolerances: rtol 1.00e-05, atol 1.00e-09\r\n"),
                given);
        assertEquals("[1.00e-08, 1.00e-14, 1.00e-06]", Main.tolerances(new double[] {1e-8, 1e-14, 1e-6}));
        assertEquals("1.00e-14 to 1.00e-06 over 5 states", Main.tolerances(new double[] {1e-8, 1e-14, 1e-6, 1e-6, 1e-6}));
    }

    /**
     * The demo as a user runs it: its own JVM, under the POSIX locale, where the JVM's default
     * console charset is ASCII; the output stays UTF-8 ("µs", not "?s").
     */
    @Test
    void demoShowsTheSolveAndTheGradientByBothMethods() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo");
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("LANG", "C");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process proc = pb.start();
        String o = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, proc.waitFor(), o);
        assertTrue(o.contains(" µs, min "), "µs in UTF-8 under LC_ALL=C:\n" + o);
        assertTrue(o.contains("4.0000e+10"), "the ROBER table");
        for (String s : List.of("gradient of G", "adjoint", "forward", "dG/dp1", "dG/dp3", "dG/dy0_1", "dG/dy0_3",
                "largest relative difference", "median"))
            assertTrue(o.contains(s), "demo prints '" + s + "':\n" + o);
        assertTrue(o.lines().count() <= 40, "demo stays under 40 lines: " + o.lines().count());
        String diff = o.lines().filter(l -> l.startsWith("largest relative difference")).findFirst().orElseThrow();
        double d = Double.parseDouble(diff.substring(diff.lastIndexOf(' ') + 1));
        assertTrue(d < 1e-3, "adjoint and forward agree at the demo's tolerances: " + d);
    }
}
