package org.sundials4j.ode;

import java.util.function.Supplier;

/**
 * The lifecycle rules of a solver facade ({@link CvodesSolver}, {@link GradientSolver}) in one
 * place: one run at a time, no re-entry from the run's own callbacks, and a {@code close()} that
 * stops a run on another thread, waits for it, frees once, and refuses to free under a run
 * suspended on its own thread.
 *
 * <p>Locking: the facade's own monitor {@code lock} serialises runs and close. {@link #run} is
 * called holding it (the facade's public methods are synchronized), so a thread that finds a run in
 * progress there can only be the running thread itself, re-entering from a callback. {@link #close}
 * takes the monitor itself, but first, without it, asks a run on another thread to stop (through
 * the shared {@link RunControl}); otherwise it would wait for the whole run.
 */
final class RunGuard {
    private final Object lock;
    private final RunControl control;
    /** "solver", "gradient solver": how messages name the facade. */
    private final String noun;
    /** Where re-entry comes from, for messages: "a callback", "a callback or the loss". */
    private final String callbacks;
    /** The thread inside a run, null when idle; read without the monitor by close(). */
    private volatile Thread runner;
    /** Written under the monitor; volatile so that {@link #isClosed()} may be read without it. */
    private volatile boolean closed;

    RunGuard(Object lock, RunControl control, String noun, String callbacks) {
        this.lock = lock;
        this.control = control;
        this.noun = noun;
        this.callbacks = callbacks;
    }

    /**
     * Runs public call {@code what} (the caller holds the monitor): refuses a closed facade and a
     * call from inside its own run, and starts the cancellation and time-limit clock.
     */
    <T> T run(String what, long timeLimitNanos, Supplier<T> call) {
        checkOpen();
        if (runner != null)
            throw new IllegalStateException(what + " called from inside " + callbacks + " of the same " + noun
                    + ", whose run is suspended mid-step; use another " + noun + " there");
        runner = Thread.currentThread();
        control.arm(timeLimitNanos);
        try {
            return call.get();
        } finally {
            runner = null;
        }
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException(noun + " is closed");
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Closes once: stops a run on another thread at its next callback, waits for it to unwind, then
     * runs {@code release}. Idempotent. From inside the run's own callbacks it throws
     * {@link IllegalStateException} and releases nothing: the run still uses the memory.
     */
    void close(Runnable release) {
        Thread r = runner;
        if (r != null && r != Thread.currentThread()) control.closing();
        synchronized (lock) {
            if (closed) return;
            if (runner != null)
                throw new IllegalStateException("close() called from inside " + callbacks + " of the same " + noun
                        + ", whose run is suspended mid-step; close it after the call returns");
            closed = true;
            release.run();
        }
    }
}
