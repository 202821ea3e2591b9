package org.sundials4j.bench.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sundials4j.problems.Objectives;

/**
 * The harness's correctness check is what CI relies on: every contender's answer on a cheap problem
 * lands inside its band, and the same answer with one component wrong by 1% lands outside.
 */
class CaseCheckTest {

    @Test
    void everyContenderIsWithinItsBandAndAWrongAnswerIsNot() {
        try (Case c = new Case("lotka-volterra", Objectives.lotkaVolterra(), 1e-12, 1e-14)) {
            // 4 sundials4j CVODES rows, 2 ERK rows (solve, forward gradient), 2 more on the Java replay
            // (lotka-volterra has a C limit), 7 pure-Java
            assertEquals(15, c.contenders.size());
            // the ERK rows are lotka-volterra's targets (ErkRows), one per task
            assertEquals(java.util.List.of("sundials4j ERK", "sundials4j forward (ERK)"),
                    c.contenders.stream().filter(Case.Contender::baseline).map(Case.Contender::name).toList());
            for (Case.Contender k : c.contenders) {
                Outcome o = k.run().apply(new Budget(30, 50_000_000L));
                assertTrue(o.finished(), k.name() + ": " + o.failure());
                double e = c.error(k.task(), o.answer());
                assertTrue(e <= k.band(), k.name() + " " + k.task() + ": error " + e + " > band " + k.band());
                double[] wrong = o.answer();
                wrong[1] *= 1.01;
                assertFalse(c.error(k.task(), wrong) <= k.band(), k.name() + ": a 1% error passes the check");
                assertTrue(o.rhsEvals() > 0 && o.steps() > 0, k.name() + ": counters");
            }
        }
    }

    @Test
    void aBudgetStopsAHopelessRunAndKeepsItsCounts() {
        try (Case c = new Case("rober", Objectives.rober(), 1e-10, 1e-14)) {
            Case.Contender dp853 = c.contenders.stream().filter(k -> k.name().equals("Hipparchus DP853")).findFirst().orElseThrow();
            Outcome o = dp853.run().apply(new Budget(30, 100_000));
            assertFalse(o.finished());
            assertTrue(o.failure().contains("RHS evaluations"), o.failure());
            assertTrue(o.steps() > 1000, "steps " + o.steps());
        }
    }
}
