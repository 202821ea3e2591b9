package org.sundials4j.ode;

import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.internal.cvodes.SUNContext_;

/**
 * Benchmarks drive a solver's RHS shim directly, which needs the solver's native bridge and
 * context; those stay package-private in the facade, so this test-side class in the same package
 * reaches them without widening the public API.
 */
public final class BenchAccess {
    private BenchAccess() {}

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
}
