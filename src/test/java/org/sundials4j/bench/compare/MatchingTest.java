package org.sundials4j.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sundials4j.problems.Objectives;

/** The matched-accuracy ladder picks the loosest rung that reaches the target; charts are readable PNGs. */
class MatchingTest {

    @Test
    void theLoosestRungAtOrBelowTheTargetIsChosenAndAnUnreachableTargetGivesTheClosest() {
        BenchMain.Settings s = BenchMain.Settings.of(true);
        try (Case c = new Case("lotka-volterra", Objectives.lotkaVolterra(), 1e-12, 1e-14)) {
            Case.Contender dp853 = c.contenders.stream()
                    .filter(k -> k.name().equals("Hipparchus DP853") && k.task().equals(Case.SOLVE)).findFirst().orElseThrow();
            assertNotNull(dp853.ladder());
            double loose = error(c, dp853.ladder().apply(10)), tight = error(c, dp853.ladder().apply(0.01));
            assertTrue(tight < loose, "error at 0.01×: " + tight + ", at 10×: " + loose);
            assertTrue(dp853.ladder().apply(10).band() > dp853.band(), "a looser rung widens the band");

            double target = Math.sqrt(tight * loose);
            BenchMain.Row r = Matching.choose(c, dp853, target, s);
            assertTrue(r.match.matched() && r.error <= target && r.ok, "error " + r.error + ", target " + target);
            for (Matching.Probe p : r.match.probes())
                if (p.factor() > r.match.factor()) assertTrue(p.error() > target, "a looser rung matched: " + p);
            assertEquals(Case.SOLVE, r.contender.task());
            assertEquals(c.solveRtol * r.match.factor(), Matching.rtol(c, r), 1e-20);

            BenchMain.Row closest = Matching.choose(c, dp853, 1e-300, s);
            assertFalse(closest.match.matched());
            for (Matching.Probe p : closest.match.probes()) assertTrue(closest.error <= p.error());
            assertTrue(Matching.cell(closest).contains("closest"));
        }
    }

    @Test
    void onlyARunOutOfBudgetCountsAsExceeded() {
        assertTrue(Budget.exceeded(Budget.TIME_LIMIT));
        Outcome capped = PureJava.solve(new HipparchusLibrary(HipparchusLibrary.Scheme.DP54, new double[] {1e-12, 1e-12},
                        new double[] {1e-12, 1e-12}), new TapeRhs(Objectives.lotkaVolterra().tapeModel(), null,
                        Objectives.lotkaVolterra().problem().parameters()),
                Objectives.lotkaVolterra().problem().initialState(), new double[] {20}, new Budget(30, 100));
        assertTrue(Budget.exceeded(capped.failure()), capped.failure());
        assertFalse(Budget.exceeded("MathIllegalStateException: NaN appears during integration"));
        assertFalse(Budget.exceeded(null));
    }

    @Test
    void aChartIsAPngWithItsPointsAndNotes(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("c.png");
        new Chart("title", "size", "time")
                .series("a", new double[] {8, 16, 32}, new double[] {1e-3, 1e-2, 1e-1}, new boolean[3])
                .series("b", new double[] {8, 16, 32}, new double[] {2e-2, Double.NaN, 3.0}, new boolean[] {false, false, true})
                .note("b at 16 omitted").write(png);
        BufferedImage img = ImageIO.read(Files.newInputStream(png));
        assertEquals(900, img.getWidth());
        assertTrue(img.getHeight() > 500 && img.getHeight() < 700, "height " + img.getHeight());
    }

    private static double error(Case c, Case.Contender k) {
        Outcome o = k.run().apply(new Budget(30, 50_000_000L));
        assertTrue(o.finished(), o.failure());
        return c.error(k.task(), o.answer());
    }
}
