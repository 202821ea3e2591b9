package org.sundials4j.ensemble;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs one function over many members on a fixed set of worker threads, each thread with a worker of
 * its own (a solver, made on the thread's first member and reused for every later member and run).
 *
 * <pre>{@code
 * try (Ensemble<GradientSolver> ens = new Ensemble<>(
 *         () -> new GradientSolver(model, loss, null, options, sens), EnsembleOptions.defaults())) {
 *     EnsembleResult<Gradient> r = ens.mapAndSum(members.size(),
 *             (gs, i) -> gs.gradient(0, y0[i], p[i], times), GradientSum::pack);
 *     double[] total = r.sum();                // bit-for-bit the same for 1 or 64 threads
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Threads.</b> {@link EnsembleOptions#threads()} lanes, each a single thread that keeps one
 *       worker: a worker only ever runs on its own thread, never on two. Members are handed out one
 *       at a time in index order to whichever lane is free, so uneven members balance.</li>
 *   <li><b>Order.</b> Results come back in input order. Sums use the fixed pairwise tree of
 *       {@link TreeSum}: each lane sums what it ran and the partial sums are merged, which gives the
 *       same bits for any thread count and schedule. Each member's own result is as reproducible as
 *       the worker: a {@code GradientSolver} or {@code CvodesSolver} reused for many inputs answers
 *       exactly as a fresh one.</li>
 *   <li><b>Failures.</b> A member whose function throws an {@link Exception} is recorded
 *       ({@link EnsembleResult#failures()}: index and exception) and left out of the sum; the other
 *       members still run. With {@link EnsembleOptions#failFast()} no member is handed out after the
 *       first failure (members already running finish) and the run throws {@link EnsembleException}.
 *       An {@link Error} stops the run and is rethrown.</li>
 *   <li><b>Lifetime.</b> {@link #close()} waits for running members, closes the workers that are
 *       {@link AutoCloseable} (each on its own thread) and ends the threads. Runs on one ensemble are
 *       serialized; use several ensembles for concurrent runs.</li>
 * </ul>
 *
 * @param <W> the worker type
 */
public final class Ensemble<W> implements AutoCloseable {
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final Supplier<? extends W> workerFactory;
    private final EnsembleOptions options;
    private final ExecutorService[] lanes;
    /** Lane {@code k}'s worker, touched only on lane {@code k}'s thread. */
    private final Object[] workers;
    private boolean closed;

    /** @param workerFactory makes one worker per thread, called on that thread */
    public Ensemble(Supplier<? extends W> workerFactory, EnsembleOptions options) {
        this.workerFactory = Objects.requireNonNull(workerFactory, "workerFactory");
        this.options = Objects.requireNonNull(options, "options");
        this.lanes = new ExecutorService[options.threads()];
        this.workers = new Object[options.threads()];
        int id = SERIAL.incrementAndGet();
        for (int k = 0; k < lanes.length; k++) {
            String name = "sundials4j-ensemble-" + id + "-" + k;
            lanes[k] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    public EnsembleOptions options() {
        return options;
    }

    /** Member {@code i}'s result is {@code fn.apply(worker, i)}, for {@code i = 0..size-1}. */
    public <R> EnsembleResult<R> map(int size, MemberFunction<? super W, ? extends R> fn) {
        return run(size, fn, null);
    }

    /**
     * As {@link #map}, and adds up {@code summand.vector(result)} over the members that succeeded, in
     * the fixed order of {@link TreeSum}. A summand that throws, or gives a vector of another length
     * than the others, fails its member.
     */
    public <R> EnsembleResult<R> mapAndSum(int size, MemberFunction<? super W, ? extends R> fn, Summand<? super R> summand) {
        return run(size, fn, Objects.requireNonNull(summand, "summand"));
    }

    private synchronized <R> EnsembleResult<R> run(int size, MemberFunction<? super W, ? extends R> fn,
                                                   Summand<? super R> summand) {
        if (closed) throw new IllegalStateException("ensemble is closed");
        if (size < 0) throw new IllegalArgumentException("size = " + size + " < 0");
        Objects.requireNonNull(fn, "fn");
        long start = System.nanoTime();
        Object[] results = new Object[size];
        ConcurrentLinkedQueue<MemberFailure> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int used = Math.min(lanes.length, size);
        TreeSum[] partial = new TreeSum[used];
        List<Future<?>> running = new ArrayList<>(used);
        for (int k = 0; k < used; k++) {
            int lane = k;
            partial[k] = new TreeSum(size);
            running.add(lanes[k].submit(() -> {
                W worker = null;
                for (int i; !stop.get() && (i = next.getAndIncrement()) < size; ) {
                    if (worker == null) {
                        try {
                            worker = worker(lane);
                        } catch (Throwable t) { // no worker, no member on this lane: the run cannot finish
                            stop.set(true);
                            throw t;
                        }
                    }
                    try {
                        R r = fn.apply(worker, i);
                        if (summand != null) partial[lane].add(i, summand.vector(r));
                        results[i] = r;
                    } catch (Exception e) {
                        failures.add(new MemberFailure(i, e));
                        if (summand != null) partial[lane].skip(i);
                        if (options.failFast()) stop.set(true);
                    } catch (Throwable t) {
                        stop.set(true);
                        throw t;
                    }
                }
                return null;
            }));
        }
        Throwable fatal = awaitAll(running, stop);
        if (fatal instanceof RuntimeException e) throw e;
        if (fatal instanceof Error e) throw e;
        List<MemberFailure> failed = new ArrayList<>(failures);
        failed.sort(Comparator.comparingInt(MemberFailure::index));
        if (options.failFast() && !failed.isEmpty()) throw new EnsembleException(failed);
        double[] sum = null;
        int summed = 0;
        if (summand != null) {
            TreeSum total = new TreeSum(size);
            for (TreeSum t : partial) total.merge(t);
            sum = total.result();
            summed = total.summed();
        }
        @SuppressWarnings("unchecked")
        List<R> list = (List<R>) Arrays.asList(results);
        return new EnsembleResult<>(list, failed, sum, summed, System.nanoTime() - start);
    }

    @SuppressWarnings("unchecked")
    private W worker(int lane) {
        if (workers[lane] == null) {
            W w = workerFactory.get();
            if (w == null) throw new IllegalStateException("the worker factory returned null");
            workers[lane] = w;
        }
        return (W) workers[lane];
    }

    /**
     * Waits for every lane; returns the first error a lane threw (after all lanes stopped), or null.
     * An interrupt stops handing out members and ends the wait with a {@link CancellationException}.
     */
    private static Throwable awaitAll(List<Future<?>> running, AtomicBoolean stop) {
        Throwable fatal = null;
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                stop.set(true);
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted: no more members are handed out; members already running"
                        + " finish in the background");
            } catch (ExecutionException e) {
                if (fatal == null) fatal = e.getCause();
            }
        }
        return fatal;
    }

    /**
     * Waits for running members, then closes every worker that is {@link AutoCloseable} on its own
     * thread and ends the threads. The first exception a worker's {@code close()} threw is rethrown
     * (the others suppressed) once all are closed. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<Future<?>> closing = new ArrayList<>(lanes.length);
        for (int k = 0; k < lanes.length; k++) {
            int lane = k;
            closing.add(lanes[k].submit(() -> {
                Object w = workers[lane];
                workers[lane] = null;
                if (w instanceof AutoCloseable c) c.close();
                return null;
            }));
            lanes[k].shutdown();
        }
        RuntimeException first = null;
        boolean interrupted = false;
        for (Future<?> f : closing) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers must be closed before we return: keep waiting
                } catch (ExecutionException e) {
                    RuntimeException r = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException("closing a worker failed", e.getCause());
                    if (first == null) first = r;
                    else first.addSuppressed(r);
                    break;
                }
            }
        }
        for (ExecutorService lane : lanes) {
            while (true) {
                try {
                    if (lane.awaitTermination(1, TimeUnit.MINUTES)) break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (first != null) throw first;
    }
}
