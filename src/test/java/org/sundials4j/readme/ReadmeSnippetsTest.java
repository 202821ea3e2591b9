package org.sundials4j.readme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeOdeModel;

/**
 * Every code block of the README that says where it comes from ({@code <!-- from PATH#NAME -->}
 * before it) is the text between the {@code README:NAME} and {@code README:end} markers of that file,
 * regions joined as they are; every Java block must come from somewhere. The Java sources are
 * compiled with the tests and run below against SUNDIALS' reference outputs and independent
 * methods. Run with {@code -Dreadme.update=true} to rewrite the README's blocks from the sources.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("README.md");
    private static final Pattern BLOCK = Pattern.compile(
            "(<!-- from ([^#\\s]+)#([\\w-]+) -->\\n)?```(\\w*)\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern MARK = Pattern.compile("^\\s*(?://|<!--|#)\\s*README:([\\w-]+)");

    /** The text of the regions called {@code name} in {@code file}, each dedented by its first line's indent. */
    static String regions(Path file, String name) throws IOException {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = null;
        int indent = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            Matcher m = MARK.matcher(line);
            if (m.find()) {
                if (m.group(1).equals("end") && cur != null) {
                    parts.add(cur.toString());
                    cur = null;
                } else if (m.group(1).equals(name)) {
                    cur = new StringBuilder();
                    indent = line.indexOf(line.strip());
                }
                continue;
            }
            if (cur != null) {
                int cut = Math.min(indent, line.length() - line.stripLeading().length());
                cur.append(line.substring(cut)).append('\n');
            }
        }
        assertTrue(cur == null, file + ": region " + name + " has no README:end");
        assertTrue(!parts.isEmpty(), file + " has no region " + name);
        return String.join("", parts);
    }

    @Test
    void readmeBlocksAreTheSourcesRegions() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        Matcher m = BLOCK.matcher(readme);
        StringBuilder updated = new StringBuilder();
        int last = 0, included = 0;
        List<String> stale = new ArrayList<>();
        while (m.find()) {
            String lang = m.group(4);
            if (m.group(1) == null) {
                assertTrue(!lang.equals("java"), "a Java block of the README comes from no source file:\n" + m.group(5));
                continue;
            }
            included++;
            String want = regions(Path.of(m.group(2)), m.group(3));
            if (!want.equals(m.group(5))) stale.add(m.group(2) + "#" + m.group(3));
            updated.append(readme, last, m.start(5)).append(want);
            last = m.end(5);
        }
        updated.append(readme.substring(last));
        if (Boolean.getBoolean("readme.update")) {
            Files.writeString(README, updated.toString(), StandardCharsets.UTF_8);
        } else {
            assertEquals(List.of(), stale, "README blocks differ from their sources; run mvn test -Dtest=ReadmeSnippetsTest -Dreadme.update=true");
        }
        assertTrue(included >= 5, "README blocks taken from sources: " + included);
    }

    /** cvsRoberts_dns.out at t = 40 (SUNDIALS' example, the same tolerances), to its printed digits. */
    @Test
    void solveSnippetReproducesCvsRobertsDns() {
        SolveExample.Result r = SolveExample.run();
        double[] ref = {7.158017e-01, 9.185037e-06, 2.841892e-01};
        for (int i = 0; i < 3; i++)
            assertEquals(ref[i], r.y40()[i], 2e-3 * ref[i], "y" + (i + 1) + "(40)");
        assertTrue(r.statistics().steps() > 0 && r.statistics().rhsEvals() > r.statistics().steps());
    }

    /** The tape model's right-hand side and Jacobian against ROBER's closed forms at a generic point. */
    @Test
    void tapeSnippetIsRober() {
        TapeOdeModel rober = TapeModelExample.run();
        double[] y = {0.7, 2e-5, 0.3}, p = {0.04, 1e4, 3e7}, f = new double[3];
        rober.rhs(0, y, p, f);
        double fwd = p[0] * y[0], back = p[1] * y[1] * y[2], dimer = p[2] * y[1] * y[1];
        assertArrayEquals(new double[] {back - fwd, fwd - back - dimer, dimer}, f, 1e-12);
        assertEquals(3, rober.stateCount());
        assertEquals(3, rober.parameterCount());
    }

    /** The adjoint gradient of the snippet against forward sensitivities, entry by entry. */
    @Test
    void gradientSnippetAgreesAcrossMethods() {
        TapeOdeModel rober = TapeModelExample.run();
        SolverOptions opts = SolverOptions.defaults().withRtol(1e-8).withAtol(new double[] {1e-12, 1e-16, 1e-10});
        Gradient adj = GradientExample.run(rober, opts, SensitivityMethod.ADJOINT);
        Gradient fwd = GradientExample.run(rober, opts, SensitivityMethod.FORWARD);
        assertEquals(SensitivityMethod.ADJOINT, adj.method());
        assertEquals(SensitivityMethod.FORWARD, fwd.method());
        assertEquals(fwd.loss(), adj.loss(), 1e-6 * Math.abs(fwd.loss()));
        double[] a = concat(adj), f = concat(fwd);
        assertEquals(6, a.length);
        for (int i = 0; i < a.length; i++)
            assertEquals(f[i], a[i], 1e-4 * Math.abs(f[i]), "adjoint vs forward, entry " + i);
    }

    private static double[] concat(Gradient g) {
        double[] p = g.params(), y = g.initialState(), all = new double[p.length + y.length];
        System.arraycopy(p, 0, all, 0, p.length);
        System.arraycopy(y, 0, all, p.length, y.length);
        return all;
    }
}
