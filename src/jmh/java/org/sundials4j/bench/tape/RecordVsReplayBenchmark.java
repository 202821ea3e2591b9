package org.sundials4j.bench.tape;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.sundials4j.tape.TapeOdeModel;

/**
 * Recording the RHS afresh on every call (what Stan does per CVODES callback), for the value and for
 * the VJP. Divided by {@link TapeReplayBenchmark#rhs}/{@link TapeReplayBenchmark#vjp} on the same
 * problem (record once, replay) it is the speed-up of replay.
 */
public class RecordVsReplayBenchmark extends TapeBenchmark {
    @Param({"pollu", "neural-ode"})
    public String problem;

    private ModelFixture f;

    @Setup
    public void setup() {
        f = ModelFixture.of(problem);
    }

    @Benchmark
    public double[] recordEveryCallRhs() {
        TapeOdeModel fresh = TapeOdeModel.record(f.y.length, f.p.length, f.problem.definition(), 0.5, f.y, f.p);
        fresh.rhs(0.5, f.y, f.p, f.ydot);
        return f.ydot;
    }

    @Benchmark
    public double[] recordEveryCallVjp() {
        TapeOdeModel fresh = TapeOdeModel.record(f.y.length, f.p.length, f.problem.definition(), 0.5, f.y, f.p);
        fresh.vjp(0.5, f.y, f.p, f.lambda, f.outY, f.outP, f.ydot);
        return f.outP;
    }
}
