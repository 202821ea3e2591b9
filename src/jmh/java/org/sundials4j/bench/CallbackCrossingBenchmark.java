package org.sundials4j.bench;

import static org.sundials4j.internal.cvodes.global.cvodes.*;

import java.lang.reflect.Field;
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
import org.sundials4j.internal.cvodes.N_Vector;
import org.sundials4j.internal.cvodes.S4jBridge;
import org.sundials4j.internal.cvodes.S4jCallback;
import org.sundials4j.ode.BenchAccess;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.SolverOptions;

/**
 * ns per RHS evaluation as CVODES pays it. {@code javaRhsCoroutine} is the path solves take: a C
 * loop on the solver's coroutine calls the real RHS shim {@value #CALLS} times, and each call
 * yields to this thread, which serves it (ModelCallbacks, model) and resumes the loop with one
 * Java-to-C call, exactly as during a solve. {@code javaRhs} is the upcall path kept as fallback: the
 * same C loop on this thread's stack, each call crossing into Java through the JavaCPP callback
 * (staging copies, transition, dispatcher), the one Java-to-C transition per invocation amortised
 * away. {@code cRhs} is
 * the same loop over the same model written in C: the limit. {@code javaSideOnly} is the Java half
 * of a crossing without any native transition, and {@code emptyCallback} the transition alone (an
 * S4jCallback that returns 0 replaces the dispatcher for that benchmark), to split the cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CallbackCrossingBenchmark {
    static final int CALLS = 10_000;

    @Param({"3", "1000"})
    int n;

    private CvodesSolver solver;
    private S4jBridge bridge;
    private N_Vector y, ydot;
    private DoubleBuffer runIo;
    private CallbackTarget target;

    @Setup(Level.Trial)
    public void setUp() {
        solver = new CvodesSolver(BenchModels.forStates(n), SolverOptions.defaults());
        bridge = BenchAccess.bridge(solver);
        if (n == 3) BenchAccess.loadParameters(solver, BenchAccess.roberParams());
        y = N_VNew_Serial(n, BenchAccess.context(solver));
        ydot = N_VNew_Serial(n, BenchAccess.context(solver));
        double[] y0 = new double[n];
        // away from zero so neither side runs into denormals; ROBER near its fast transient
        for (int i = 0; i < n; i++) y0[i] = n == 3 ? new double[] {0.98, 3.4e-5, 0.015}[i] : 1.0 + Math.sin(i);
        N_VGetArrayPointer(y).put(y0);
        if (s4j_bench_shim_rhs(bridge, y, ydot, 1) < 0) throw new IllegalStateException("RHS shim failed");
        runIo = s4j_run_io(bridge).capacity(2).asBuffer();
        target = (event, index, t) -> BenchAccess.onRhsEvent(solver, t);
        if (javaRhsCoroutine() != 0) throw new IllegalStateException("RHS on the coroutine failed");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        N_VDestroy(y);
        N_VDestroy(ydot);
        solver.close();
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long javaRhs() {
        return s4j_bench_shim_rhs(bridge, y, ydot, CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int javaRhsCoroutine() {
        return Glue.serve(bridge, runIo, target, s4j_bench_run_rhs(bridge, y, ydot, CALLS));
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long cRhs() {
        return s4j_bench_c_rhs(y, ydot, CALLS);
    }

    @Benchmark
    public int javaSideOnly() {
        return BenchAccess.onRhsEvent(solver, 0.0);
    }

    /** A Java-to-C call with the bridge as argument: the unit cost of any reverse-communication design. */
    @Benchmark
    public int downcall() {
        return s4j_bridge_error_code(bridge);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long emptyCallback(EmptyCallback empty) {
        return s4j_bench_shim_rhs(bridge, y, ydot, CALLS);
    }

    /**
     * Swaps the process-wide entry point for one that does nothing. JMH runs each benchmark in its
     * own fork, so the others never see it; teardown still puts the real dispatcher back.
     */
    @State(Scope.Thread)
    public static class EmptyCallback {
        private final S4jCallback nothing = new S4jCallback() {
            @Override
            public int call(int event, int index, double t, long id) {
                return 0;
            }
        };

        @Setup(Level.Trial)
        public void install() {
            s4j_install_callback(nothing);
        }

        @TearDown(Level.Trial)
        public void restore() throws ReflectiveOperationException {
            Field f = Glue.class.getDeclaredField("DISPATCHER");
            f.setAccessible(true);
            s4j_install_callback((S4jCallback) f.get(null));
            nothing.close();
        }
    }
}
