package org.sundials4j.bench.tape;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.sundials4j.tape.TapeOdeModel;

/**
 * Record once and replay (ours) against recording the RHS afresh on every call (what Stan does per
 * CVODES callback), for the value and for the VJP; the ratio is the speed-up of replay.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordVsReplayBenchmark {
    @Param({"pollu", "neural-ode"})
    public String problem;

    private ModelFixture f;

    @Setup
    public void setup() {
        f = ModelFixture.of(problem);
    }

    @Benchmark
    public double[] replayRhs() {
        f.model.rhs(0.5, f.y, f.p, f.ydot);
        return f.ydot;
    }

    @Benchmark
    public double[] recordEveryCallRhs() {
        TapeOdeModel fresh = TapeOdeModel.record(f.y.length, f.p.length, f.problem.definition(), 0.5, f.y, f.p);
        fresh.rhs(0.5, f.y, f.p, f.ydot);
        return f.ydot;
    }

    @Benchmark
    public double[] replayVjp() {
        f.model.vjp(0.5, f.y, f.p, f.lambda, f.outY, f.outP, f.ydot);
        return f.outP;
    }

    @Benchmark
    public double[] recordEveryCallVjp() {
        TapeOdeModel fresh = TapeOdeModel.record(f.y.length, f.p.length, f.problem.definition(), 0.5, f.y, f.p);
        fresh.vjp(0.5, f.y, f.p, f.lambda, f.outY, f.outP, f.ydot);
        return f.outP;
    }
}
