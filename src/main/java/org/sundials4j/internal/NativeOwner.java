package org.sundials4j.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The single owner of a solver's native resources. Each resource is registered right after it is
 * created, together with the call that frees it; {@link #run()} frees everything in reverse order of
 * creation, exactly once. It doubles as the {@code Cleaner} action, so it must never refer to the
 * solver object that owns it.
 */
public final class NativeOwner implements Runnable {
    private final Deque<Runnable> releases = new ArrayDeque<>();
    private boolean released;

    /** Registers {@code free} to be run for {@code handle}; returns the handle. */
    public synchronized <T> T own(T handle, java.util.function.Consumer<T> free) {
        if (released) throw new IllegalStateException("resources already released");
        releases.push(() -> free.accept(handle));
        return handle;
    }

    /** Frees all resources, newest first. Safe to call more than once. */
    @Override
    public synchronized void run() {
        if (released) return;
        released = true;
        RuntimeException first = null;
        while (!releases.isEmpty()) {
            try {
                releases.pop().run();
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    public synchronized boolean isReleased() {
        return released;
    }
}
