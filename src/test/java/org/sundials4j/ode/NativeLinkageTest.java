package org.sundials4j.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The JNI library carries SUNDIALS inside it: a system libsundials can never be loaded instead. */
class NativeLinkageTest {
    static Path library() throws URISyntaxException {
        URL u = NativeLinkageTest.class.getClassLoader().getResource("org/sundials4j/linux-x86_64/libjnicvodes.so");
        assertNotNull(u, "JNI library not on the classpath");
        return Path.of(u.toURI());
    }

    static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    @Test
    void noSharedSundialsDependency() throws Exception {
        String ldd = run("ldd", library().toString());
        assertFalse(ldd.contains("libsundials"), "ldd shows a libsundials dependency:\n" + ldd);
        assertFalse(ldd.contains("not found"), "unresolved shared library:\n" + ldd);
    }

    @Test
    void noUndefinedSundialsSymbols() throws Exception {
        String undefined = run("nm", "-D", "-u", library().toString());
        for (String line : undefined.split("\n")) {
            String sym = line.trim().replaceFirst("^U\\s+", "");
            assertFalse(sym.matches("(N_V|SUN|CVode|cv|sun).*"), "undefined SUNDIALS symbol " + sym);
        }
        String defined = run("nm", "-D", "--defined-only", library().toString());
        assertTrue(defined.contains("Java_org_sundials4j_internal_cvodes_global_cvodes_CVodeF"), "JNI entry points present");
    }
}
