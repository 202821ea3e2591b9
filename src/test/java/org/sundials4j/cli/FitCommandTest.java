package org.sundials4j.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sundials4j fit}: JSON keys, the pictures and report it writes, and its usage errors (short runs). */
class FitCommandTest {
    @TempDir
    Path dir;

    @Test
    void lotkaVolterraWritesPicturesReportAndJson() throws Exception {
        MainTest.Run r = MainTest.run("fit", "lotka-volterra", "--max-iterations", "4", "--json", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(r.err().contains("\r"), "no progress bar off a terminal: " + r.err());
        Map<String, Object> j = r.json();
        assertEquals(List.of("example", "iterations", "gradientEvaluations", "wallSeconds", "finalLoss", "stopReason", "parameters",
                "standardErrors", "pictures", "report"), List.copyOf(j.keySet()), "fit --json's keys are a stable interface");
        assertEquals("lotka-volterra", j.get("example"));
        assertEquals(4, MainTest.number(j, "iterations"));
        assertTrue(MainTest.number(j, "gradientEvaluations") >= 5); // the start and each iteration
        assertTrue(MainTest.number(j, "wallSeconds") > 0);
        assertTrue(Double.isFinite(MainTest.number(j, "finalLoss")));
        assertEquals("MAX_ITERATIONS", j.get("stopReason"));
        Map<String, Object> params = MainTest.map(j.get("parameters"));
        assertEquals(List.of("alpha", "beta", "gamma", "delta", "sigma_0", "sigma_1"), List.copyOf(params.keySet()));
        List<Object> pictures = MainTest.list(j.get("pictures"));
        assertEquals(2, pictures.size());
        for (Object p : pictures) {
            BufferedImage img = ImageIO.read(Path.of((String) p).toFile());
            assertNotNull(img, p + " is not an image");
            assertEquals(900, img.getWidth());
        }
        String report = Files.readString(Path.of((String) j.get("report")));
        assertTrue(report.contains("| alpha |") && report.contains("lv-fit.png"), report);
    }

    @Test
    void neuralOdeRunsAFewIterations() {
        MainTest.Run r = MainTest.run("fit", "neural-ode", "--max-iterations", "2", "--out", dir.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("neural-ode: MAX_ITERATIONS after 2 iterations"), r.out());
        assertTrue(Files.exists(dir.resolve("neural-ode/neural-ode-loss.png")));
        assertTrue(Files.exists(dir.resolve("neural-ode/neural-ode-trajectories.png")));
    }

    @Test
    void usageErrorsAreNamed() {
        MainTest.Run r = MainTest.run("fit", "nosuch");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("unknown example 'nosuch'"), r.err());
        r = MainTest.run("fit", "lotka-volterra", "--max-iterations", "many");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'many' is not an integer"), r.err());
        r = MainTest.run("fit");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("fit needs an example"), r.err());
    }
}
