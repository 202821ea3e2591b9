package org.sundials4j.bench;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import java.nio.DoubleBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sundials4j.internal.CallbackTarget;
import org.sundials4j.internal.Glue;
import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.ode.BenchAccess;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.SolverOptions;

/**
 * What cancellation costs per callback (issue 10). On the Java path every callback first asks the
 * solver's run control whether to stop ({@code check}: two volatile reads and the thread's
 * interrupt flag; with a time limit, the clock every 16th call). A native-replay run answers its
 * callbacks in C and asks Java only at every 64th ({@code S4J_RP_HEARTBEAT}): {@code pollCoroutine}
 * is that heartbeat as a run pays it, a C loop on the solver's coroutine yielding {@value #CALLS}
 * polls to this thread, which serves each (run control, listener) and resumes it. Its cost / 64 is
 * the heartbeat's share of one native callback. {@code limit} arms the run control with a time
 * limit (one hour, never reached) or none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CancellationCheckBenchmark {
    static final int CALLS = 10_000;

    @Param({"false", "true"})
    boolean limit;

    private CvodesSolver solver;
    private S4jBridge bridge;
    private DoubleBuffer runIo;
    private CallbackTarget callbacks;

    @Setup(Level.Trial)
    public void setUp() {
        solver = new CvodesSolver(BenchAccess.rober(), SolverOptions.defaults());
        bridge = BenchAccess.bridge(solver);
        runIo = s4j_run_io(bridge).capacity(2).asBuffer();
        callbacks = BenchAccess.callbacks(solver);
        BenchAccess.arm(solver, limit ? TimeUnit.HOURS.toNanos(1) : 0);
        if (pollCoroutine() != 0) throw new IllegalStateException("the heartbeat poll failed");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        solver.close();
    }

    /** The Java path's check, once per callback. */
    @Benchmark
    public Object check() {
        return BenchAccess.check(solver);
    }

    /** One heartbeat of a native run: yield to Java, check, resume. */
    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int pollCoroutine() {
        return Glue.serve(bridge, runIo, callbacks, s4j_bench_run_poll(bridge, CALLS));
    }
}
