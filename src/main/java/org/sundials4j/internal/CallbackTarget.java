package org.sundials4j.internal;

/**
 * The Java side of one solver's callbacks. The native shims copy vectors into the solver's staging
 * buffers and then call {@link #onEvent}; the target reads and writes those buffers.
 *
 * <p>Implementations must never throw: catch {@code Throwable}, keep it, and return a negative flag
 * (fatal) or a positive one (recoverable, CVODES retries with a smaller step).
 */
public interface CallbackTarget {
    /**
     * @param event one of the {@code Glue.EV_*} constants
     * @param index the parameter index for sensitivity events, otherwise 0
     * @param t     the time CVODES evaluates at
     * @return 0 on success, &gt; 0 recoverable failure, &lt; 0 fatal failure
     */
    int onEvent(int event, int index, double t);
}
