package org.sundials4j.ode;

import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.internal.cvodes.SUNContext_;

/**
 * Benchmarks drive a solver's RHS shim directly, which needs the solver's native bridge and
 * context, and time the reference test's ROBER model; those stay package-private, so this
 * test-side class in the same package reaches them without widening the public API.
 */
public final class BenchAccess {
    private BenchAccess() {}

    /** ROBER as cvsRoberts_dns writes it: the reference test's model, so both time the same code. */
    public static OdeModel rober() {
        return new RoberFixture();
    }

    public static double[] roberY0() {
        return RoberFixture.Y0.clone();
    }

    public static double[] roberParams() {
        return RoberFixture.P.clone();
    }

    public static SolverOptions roberOptions() {
        return RoberFixture.referenceOptions();
    }

    public static S4jBridge bridge(CvodesSolver s) {
        return s.bridge;
    }

    public static SUNContext_ context(CvodesSolver s) {
        return s.ctx;
    }

    /** What solve() does before stepping, without stepping: the shim then sees real parameters. */
    public static void loadParameters(CvodesSolver s, double[] params) {
        s.callbacks.setParameters(params);
    }

    /** The Java half of one RHS crossing (no native transition), to split the crossing cost. */
    public static int onRhsEvent(CvodesSolver s, double t) {
        return s.callbacks.onEvent(org.sundials4j.internal.Glue.EV_RHS, 0, t);
    }

    /** The solver's callback dispatcher, as Glue.serve takes it. */
    public static org.sundials4j.internal.CallbackTarget callbacks(CvodesSolver s) {
        return s.callbacks;
    }

    /** Arms the solver's run control as a public call does (0: no time limit). */
    public static void arm(CvodesSolver s, long timeLimitNanos) {
        s.callbacks.control.arm(timeLimitNanos);
    }

    /** The run control's per-callback check. */
    public static Object check(CvodesSolver s) {
        return s.callbacks.control.check();
    }
}
