package org.sundials4j.cli.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** When a bar is shown (every input of the decision flipped on its own), and where a solve's bar stands. */
class ProgressBarsTest {
    @Test
    void shownOnlyOnATerminalWithoutJsonOutsideCi() {
        assertTrue(ProgressBars.shown(false, null, "/dev/pts/3"));
        assertTrue(ProgressBars.shown(false, null, "/dev/tty1"));
        assertTrue(ProgressBars.shown(false, "", "/dev/pts/0"), "an empty CI is unset");
        assertFalse(ProgressBars.shown(true, null, "/dev/pts/3"), "--json");
        assertFalse(ProgressBars.shown(false, "true", "/dev/pts/3"), "CI set");
        assertFalse(ProgressBars.shown(false, "1", "/dev/tty1"), "CI set");
        assertFalse(ProgressBars.shown(false, null, "pipe:[81234]"), "piped stderr");
        assertFalse(ProgressBars.shown(false, null, "/tmp/log.txt"), "stderr to a file");
        assertFalse(ProgressBars.shown(false, null, "/dev/null"));
        assertFalse(ProgressBars.shown(false, null, null), "fd 2 unreadable");
    }

    @Test
    void thisTestRunGetsNoBar() {
        // surefire's stderr is a pipe or a file, never a terminal
        assertFalse(ProgressBars.shown(false));
    }

    @Test
    void barPositionIsTheFractionOfTheSpanReached() {
        try (SolveProgress p = SolveProgress.open("x", 2, 12, false, System.err)) {
            assertNull(p.listener(), "no bar: no listener, so the solver reports nothing");
            assertEquals(0, p.permille(2));
            assertEquals(500, p.permille(7));
            assertEquals(SolveProgress.SCALE, p.permille(12));
            assertEquals(0, p.permille(1), "clamped below");
            assertEquals(SolveProgress.SCALE, p.permille(40), "clamped above");
        }
        try (SolveProgress p = SolveProgress.open("x", 3, 3, false, System.err)) {
            assertEquals(SolveProgress.SCALE, p.permille(3), "an empty span is complete");
        }
    }

    @Test
    void shownBarWritesTimeAndStepsToItsStream() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
             SolveProgress p = SolveProgress.open("solve demo", 0, 10, true, e)) {
            p.listener().progress(10, 42);
        }
        String s = err.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("solve demo") && s.contains("1000/1000") && s.contains("42 steps, t 10.0"), s);
    }

    @Test
    void gradientBarFillsForwardThenBackward() {
        try (GradientProgressBar p = GradientProgressBar.open("x", 2, 12, true, false, System.err)) {
            assertNull(p.listener(), "no bar: no listener, so the solver reports nothing");
            assertEquals(0, p.position(org.sundials4j.ode.GradientListener.Pass.FORWARD, 2));
            assertEquals(500, p.position(org.sundials4j.ode.GradientListener.Pass.FORWARD, 7));
            assertEquals(1000, p.position(org.sundials4j.ode.GradientListener.Pass.BACKWARD, 12), "the backward pass starts at T");
            assertEquals(1250, p.position(org.sundials4j.ode.GradientListener.Pass.BACKWARD, 9.5));
            assertEquals(2000, p.position(org.sundials4j.ode.GradientListener.Pass.BACKWARD, 2), "and ends at t0");
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
             GradientProgressBar p = GradientProgressBar.open("solve demo", 0, 10, true, true, e)) {
            p.listener().progress(org.sundials4j.ode.GradientListener.Pass.BACKWARD, 5, 42);
        }
        String s = err.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("solve demo") && s.contains("1500/2000") && s.contains("backward 42 steps, t 5.00"), s);
        err.reset();
        try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
             GradientProgressBar p = GradientProgressBar.open("solve demo", 0, 10, false, true, e)) {
            p.listener().progress(org.sundials4j.ode.GradientListener.Pass.FORWARD, 10, 7);
        }
        s = err.toString(StandardCharsets.UTF_8);
        assertTrue(s.contains("1000/1000") && s.contains("forward 7 steps"), "forward sensitivities only: one span: " + s);
    }
}
