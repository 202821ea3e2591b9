package org.sundials4j.ode;

import java.nio.DoubleBuffer;
import org.sundials4j.internal.CallbackTarget;

/**
 * tests/ffm only: the shipped Java end of a solver's callbacks ({@link ModelCallbacks}) on staging
 * buffers that live in the FFM test library instead of a JavaCPP bridge, so the FFM paths run the
 * same Java code per callback as the shipped path and differ by the native transition only.
 */
public final class FfmBenchAccess {
    private FfmBenchAccess() {}

    public static CallbackTarget callbacks(OdeModel model, double[] params, DoubleBuffer y, DoubleBuffer ydot) {
        ModelCallbacks c = new ModelCallbacks(model);
        c.setParameters(params);
        c.yBuf = y;
        c.ydotBuf = ydot;
        return c;
    }
}
