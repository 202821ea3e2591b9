package org.sundials4j.internal;

import java.nio.DoubleBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.Loader;
import org.sundials4j.internal.cvodes.CVLsJacFn;
import org.sundials4j.internal.cvodes.CVLsJacFnB;
import org.sundials4j.internal.cvodes.CVQuadRhsFn;
import org.sundials4j.internal.cvodes.CVQuadRhsFnB;
import org.sundials4j.internal.cvodes.CVQuadSensRhsFn;
import org.sundials4j.internal.cvodes.CVRhsFn;
import org.sundials4j.internal.cvodes.CVRhsFnB;
import org.sundials4j.internal.cvodes.CVRootFn;
import org.sundials4j.internal.cvodes.CVSensRhs1Fn;
import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.internal.cvodes.S4jCallback;
import org.sundials4j.internal.cvodes.global.cvodes;

/**
 * The process-wide half of the native glue ({@code native/include/sundials4j_glue.h}).
 *
 * <p>JavaCPP gives each {@code FunctionPointer} class only a handful of native thunks, so a
 * callback object per solver would run out after ten solvers. Instead there is exactly one Java
 * entry point for the whole process; each solver's native bridge carries an id, and this class maps
 * the id to the solver's {@link CallbackTarget}. The table holds targets, never solver objects, so
 * an abandoned solver can still be reached by its {@code Cleaner}.
 */
public final class Glue {
    public static final int EV_RHS = 0, EV_JAC = 1, EV_SENS_RHS = 2, EV_RHS_B = 3, EV_QUAD_B = 4,
            EV_JAC_B = 5, EV_QUAD = 6, EV_QUAD_SENS = 7, EV_ROOT = 8;
    /** A native run's heartbeat: no evaluation, only "may the run go on?" (0, or the flag that stops it). */
    public static final int EV_POLL = 9;
    public static final int BUF_Y = 0, BUF_YDOT = 1, BUF_JAC = 2, BUF_V = 3, BUF_VDOT = 4, BUF_Q = 5, BUF_STATS = 6, BUF_G = 7;
    /** A native run's return value at or above this is a pending event, not CVODES' flag. */
    public static final int PENDING = 1 << 30;
    private static final int EVENT_SHIFT = 24, INDEX_MASK = 0xFFFFFF, EVENT_MASK = 0x3F;

    /** Native shim addresses, made once (each wrapper is only an address, not a thunk). */
    public static final CVRhsFn RHS;
    public static final CVLsJacFn JAC;
    public static final CVSensRhs1Fn SENS_RHS;
    public static final CVQuadRhsFn QUAD;
    public static final CVQuadSensRhsFn QUAD_SENS;
    public static final CVRhsFnB RHS_B;
    public static final CVQuadRhsFnB QUAD_B;
    public static final CVLsJacFnB JAC_B;
    public static final CVRootFn ROOT;

    private static final Object LOCK = new Object();
    private static volatile CallbackTarget[] targets = new CallbackTarget[64];
    private static int[] freeSlots = new int[0];
    private static int freeCount;
    private static int nextSlot;

    /** Kept strongly reachable for the life of the process: native code holds its thunk. */
    private static final Dispatcher DISPATCHER;

    static {
        Loader.load(cvodes.class);
        DISPATCHER = new Dispatcher();
        cvodes.s4j_install_callback(DISPATCHER);
        RHS = cvodes.s4j_rhs_fn();
        JAC = cvodes.s4j_jac_fn();
        SENS_RHS = cvodes.s4j_sens_rhs_fn();
        QUAD = cvodes.s4j_quad_fn();
        QUAD_SENS = cvodes.s4j_quad_sens_fn();
        RHS_B = cvodes.s4j_rhs_b_fn();
        QUAD_B = cvodes.s4j_quad_b_fn();
        JAC_B = cvodes.s4j_jac_b_fn();
        ROOT = cvodes.s4j_root_fn();
    }

    private Glue() {}

    /** Forces loading of the native library and installation of the entry point. */
    public static void init() {
        // the static initializer does the work
    }

    /** Registers a target and returns the id its bridge must carry. */
    public static long register(CallbackTarget target) {
        synchronized (LOCK) {
            int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
            CallbackTarget[] t = targets;
            if (slot >= t.length) t = Arrays.copyOf(t, Math.max(slot + 1, t.length * 2));
            t[slot] = target;
            targets = t; // volatile write publishes the slot to callback threads
            return slot;
        }
    }

    /** Frees an id; its bridge must no longer be used by CVODES. */
    public static void unregister(long id) {
        synchronized (LOCK) {
            CallbackTarget[] t = targets;
            t[(int) id] = null;
            targets = t;
            if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount * 2));
            freeSlots[freeCount++] = (int) id;
        }
    }

    /**
     * Serves the callbacks of a run started on bridge {@code b} ({@code s4j_run_cvode} and
     * friends) until it ends, and returns CVODES' flag. {@code io} views {@code s4j_run_io(b)}.
     * CVODES waits on its own stack meanwhile; if this loop is left by a throwable, the run is
     * failed at once (every pending callback answers -1) so that no solver is left mid-step.
     */
    public static int serve(S4jBridge b, DoubleBuffer io, CallbackTarget target, int started) {
        int r = started;
        long at = b.address();
        try {
            while (r >= PENDING) {
                r = cvodes.s4j_resume_at(at, target.onEvent((r >>> EVENT_SHIFT) & EVENT_MASK, r & INDEX_MASK, io.get(0)));
            }
            return r;
        } catch (Throwable e) {
            cvodes.s4j_abandon(b);
            throw e;
        }
    }

    /** Number of registered targets (for leak tests). */
    public static int registeredCount() {
        synchronized (LOCK) {
            return nextSlot - freeCount;
        }
    }

    private static final class Dispatcher extends S4jCallback {
        @Override
        public int call(int event, int index, double t, long id) {
            try {
                CallbackTarget target = targets[(int) id];
                return target == null ? -1 : target.onEvent(event, index, t);
            } catch (Throwable e) {
                // Targets catch their own failures; this only guards against a bug in the table.
                return -1;
            }
        }
    }
}
