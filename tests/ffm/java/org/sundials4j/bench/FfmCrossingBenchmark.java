package org.sundials4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.file.Path;
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
import org.sundials4j.ode.BenchAccess;
import org.sundials4j.ode.FfmBenchAccess;
import org.sundials4j.ode.OdeModel;

/**
 * JDK 22+ only (tests/bench-ffm.sh): ns per RHS evaluation through java.lang.foreign, to set against
 * CallbackCrossingBenchmark (the shipped JavaCPP/JNI path). The native side is the shipped glue
 * compiled into tests/ffm/ffm_bench.cpp's library, so every variant runs the same C shim, staging
 * copies and coroutine, and the same Java callback code (ModelCallbacks on DoubleBuffer views):
 * <ul>
 *   <li>{@code ffmUpcall}: the shim's entry point is an FFM upcall stub (the fallback path's twin);
 *   <li>{@code ffmDowncallCoroutine[Critical]}: CVODES-side loop on the coroutine, each callback
 *       served here and resumed by an FFM downcall of s4j_resume_at (the shipped path's twin), plain
 *       or with {@code Linker.Option.critical(false)};
 *   <li>{@code ffmUpcallPointers}: a C loop upcalls (t, y*, ydot*) and Java reads and writes the
 *       vectors through MemorySegment, no staging and no dispatch table (the leanest upcall);
 *   <li>{@code cRhs}: the same loop over the same model in C, the floor;
 *   <li>{@code emptyUpcall}, {@code downcall[Critical]}, {@code javaSideOnly}: the parts alone.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FfmCrossingBenchmark {
    static final int CALLS = 10_000;
    static final int PENDING = 1 << 30, EVENT_SHIFT = 24, INDEX_MASK = 0xFFFFFF, EVENT_MASK = 0x3F;
    static final int BUF_Y = 0, BUF_YDOT = 1;

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LIB =
            SymbolLookup.libraryLookup(Path.of(System.getProperty("s4j.ffm.lib", "target/ffm/libs4jffmbench.so")), Arena.global());

    static MethodHandle down(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LIB.find(name).orElseThrow(() -> new UnsatisfiedLinkError(name)), fd, options);
    }

    static final Linker.Option CRITICAL = Linker.Option.critical(false);
    static final MethodHandle NEW = down("ffm_bench_new", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    static final MethodHandle FREE = down("ffm_bench_free", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle BRIDGE = down("ffm_bench_bridge", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle Y = down("ffm_bench_y", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle STAGING = down("ffm_bench_staging", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle RUN_IO = down("ffm_bench_run_io", FunctionDescriptor.of(ADDRESS, ADDRESS));
    static final MethodHandle INSTALL = down("ffm_install_callback", FunctionDescriptor.ofVoid(ADDRESS));
    static final MethodHandle SHIM_RHS = down("ffm_shim_rhs", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle C_RHS = down("ffm_c_rhs", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle PTR_RHS = down("ffm_ptr_rhs", FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    static final FunctionDescriptor RUN_FD = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG);
    static final FunctionDescriptor RESUME_FD = FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT);
    static final MethodHandle RUN = down("ffm_run_rhs", RUN_FD);
    static final MethodHandle RUN_CRITICAL = down("ffm_run_rhs", RUN_FD, CRITICAL);
    static final MethodHandle RESUME = down("ffm_resume_at", RESUME_FD);
    static final MethodHandle RESUME_CRITICAL = down("ffm_resume_at", RESUME_FD, CRITICAL);
    static final MethodHandle ERROR_CODE = down("ffm_bridge_error_code", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    static final MethodHandle ERROR_CODE_CRITICAL = down("ffm_bridge_error_code", FunctionDescriptor.of(JAVA_INT, JAVA_LONG), CRITICAL);
    static final MethodHandle ABANDON = down("ffm_abandon", FunctionDescriptor.ofVoid(JAVA_LONG));

    /** Glue's dispatch table, one slot: the bridge carries id 0. */
    static volatile CallbackTarget[] targets = new CallbackTarget[1];
    static final MemorySegment DISPATCH_STUB, EMPTY_STUB;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            MethodType t = MethodType.methodType(int.class, int.class, int.class, double.class, long.class);
            FunctionDescriptor fd = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_DOUBLE, JAVA_LONG);
            DISPATCH_STUB = LINKER.upcallStub(l.findStatic(FfmCrossingBenchmark.class, "dispatch", t), fd, Arena.global());
            EMPTY_STUB = LINKER.upcallStub(l.findStatic(FfmCrossingBenchmark.class, "empty", t), fd, Arena.global());
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Glue.Dispatcher.call, as an upcall target. */
    static int dispatch(int event, int index, double t, long id) {
        try {
            CallbackTarget target = targets[(int) id];
            return target == null ? -1 : target.onEvent(event, index, t);
        } catch (Throwable e) {
            return -1;
        }
    }

    static int empty(int event, int index, double t, long id) {
        return 0;
    }

    @Param({"3", "1000"})
    int n;

    private MemorySegment bench;
    private long bridge;
    private DoubleBuffer runIo;
    private CallbackTarget target;
    private Arena arena;
    private MemorySegment ptrStub;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        bench = (MemorySegment) NEW.invokeExact((long) n);
        if (bench.address() == 0) throw new OutOfMemoryError("ffm_bench_new");
        bridge = ((MemorySegment) BRIDGE.invokeExact(bench)).address();
        MemorySegment y = ((MemorySegment) Y.invokeExact(bench)).reinterpret(8L * n);
        for (int i = 0; i < n; i++)
            y.setAtIndex(JAVA_DOUBLE, i, n == 3 ? new double[] {0.98, 3.4e-5, 0.015}[i] : 1.0 + Math.sin(i));
        OdeModel model = BenchModels.forStates(n);
        double[] params = n == 3 ? BenchAccess.roberParams() : new double[model.parameterCount()];
        target = FfmBenchAccess.callbacks(model, params, view((MemorySegment) STAGING.invokeExact(bench, BUF_Y), n),
                view((MemorySegment) STAGING.invokeExact(bench, BUF_YDOT), n));
        targets = new CallbackTarget[] {target};
        runIo = view((MemorySegment) RUN_IO.invokeExact(bench), 2);
        arena = Arena.ofConfined();
        ptrStub = PointerRhs.stub(model, params, n, arena);
        // every variant must compute, not fail
        if (ffmUpcall() < 0 || ffmUpcallPointers() < 0 || ffmDowncallCoroutine() != 0 || ffmDowncallCoroutineCritical() != 0
                || cRhs() < 0)
            throw new IllegalStateException("an FFM variant failed");
    }

    private static DoubleBuffer view(MemorySegment at, int len) {
        return at.reinterpret(8L * len).asByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Throwable {
        FREE.invokeExact(bench);
        arena.close();
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long ffmUpcall() throws Throwable {
        INSTALL.invokeExact(DISPATCH_STUB); // one downcall per CALLS callbacks
        return (long) SHIM_RHS.invokeExact(bench, (long) CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long emptyUpcall() throws Throwable {
        INSTALL.invokeExact(EMPTY_STUB);
        return (long) SHIM_RHS.invokeExact(bench, (long) CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long ffmUpcallPointers() throws Throwable {
        return (long) PTR_RHS.invokeExact(ptrStub, bench, (long) CALLS);
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int ffmDowncallCoroutine() throws Throwable {
        return serve(RESUME, (int) RUN.invokeExact(bench, (long) CALLS));
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public int ffmDowncallCoroutineCritical() throws Throwable {
        return serve(RESUME_CRITICAL, (int) RUN_CRITICAL.invokeExact(bench, (long) CALLS));
    }

    /** Glue.serve with the resume downcall as a method handle. */
    private int serve(MethodHandle resume, int started) throws Throwable {
        int r = started;
        long at = bridge;
        CallbackTarget t = target;
        try {
            while (r >= PENDING) r = (int) resume.invokeExact(at, t.onEvent((r >>> EVENT_SHIFT) & EVENT_MASK, r & INDEX_MASK, runIo.get(0)));
            return r;
        } catch (Throwable e) {
            ABANDON.invokeExact(at);
            throw e;
        }
    }

    @Benchmark
    @OperationsPerInvocation(CALLS)
    public long cRhs() throws Throwable {
        return (long) C_RHS.invokeExact(bench, (long) CALLS);
    }

    @Benchmark
    public int downcall() throws Throwable {
        return (int) ERROR_CODE.invokeExact(bridge);
    }

    @Benchmark
    public int downcallCritical() throws Throwable {
        return (int) ERROR_CODE_CRITICAL.invokeExact(bridge);
    }

    @Benchmark
    public int javaSideOnly() {
        return target.onEvent(0, 0, 0.0);
    }

    /**
     * The (t, y*, ydot*) upcall: the model reads and writes the vectors' own memory through
     * MemorySegment (element copies for a few states, bulk copies otherwise, as Staging does).
     */
    static final class PointerRhs {
        private static final int ELEMENTWISE_MAX = 8;
        private final OdeModel model;
        private final double[] p, y, ydot;
        private final long bytes;

        private PointerRhs(OdeModel model, double[] params, int n) {
            this.model = model;
            this.p = params;
            this.y = new double[n];
            this.ydot = new double[n];
            this.bytes = 8L * n;
        }

        static MemorySegment stub(OdeModel model, double[] params, int n, Arena arena) throws ReflectiveOperationException {
            PointerRhs r = new PointerRhs(model, params, n);
            MethodHandle mh = MethodHandles.lookup().findVirtual(PointerRhs.class, "rhs",
                    MethodType.methodType(int.class, double.class, MemorySegment.class, MemorySegment.class)).bindTo(r);
            return LINKER.upcallStub(mh, FunctionDescriptor.of(JAVA_INT, JAVA_DOUBLE, ADDRESS, ADDRESS), arena);
        }

        int rhs(double t, MemorySegment yAt, MemorySegment ydotAt) {
            try {
                MemorySegment ys = yAt.reinterpret(bytes), ds = ydotAt.reinterpret(bytes);
                int n = y.length;
                if (n <= ELEMENTWISE_MAX) {
                    for (int i = 0; i < n; i++) y[i] = ys.getAtIndex(JAVA_DOUBLE, i);
                } else {
                    MemorySegment.copy(ys, JAVA_DOUBLE, 0, y, 0, n);
                }
                model.rhs(t, y, p, ydot);
                for (int i = 0; i < n; i++) if (!Double.isFinite(ydot[i])) return 1;
                if (n <= ELEMENTWISE_MAX) {
                    for (int i = 0; i < n; i++) ds.setAtIndex(JAVA_DOUBLE, i, ydot[i]);
                } else {
                    MemorySegment.copy(ydot, 0, ds, JAVA_DOUBLE, 0, n);
                }
                return 0;
            } catch (Throwable e) {
                return -1;
            }
        }
    }
}
