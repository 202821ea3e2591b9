package org.sundials4j.bench.tape;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Replay costs of one recorded model: RHS, VJP (goal: VJP ≤ 4 × RHS), JVP and the compressed Jacobian.
 * Divide {@code rhs} by the instruction count printed at setup for the cost per scalar instruction
 * (brusselator-2d-32 and pollu are purely scalar tapes).
 */
public class TapeReplayBenchmark extends TapeBenchmark {
    @Param({"pollu", "neural-ode", "brusselator-2d-32"})
    public String problem;

    private ModelFixture f;

    @Setup
    public void setup() {
        f = ModelFixture.of(problem);
        System.out.println("\n[" + problem + "] instructions = " + f.model.instructionCount()
                + ", Jacobian sweeps = " + f.model.jacobianSweeps() + ", nnz = " + f.csc.length);
    }

    @Benchmark
    public double[] rhs() {
        f.model.rhs(0.5, f.y, f.p, f.ydot);
        return f.ydot;
    }

    @Benchmark
    public double[] vjp() {
        f.model.vjp(0.5, f.y, f.p, f.lambda, f.outY, f.outP, f.ydot);
        return f.outP;
    }

    @Benchmark
    public double[] jvp() {
        f.model.jvp(0.5, f.y, f.p, f.v, null, f.ydot);
        return f.ydot;
    }

    @Benchmark
    public double[] jacobianCsc() {
        f.model.jacobianCsc(0.5, f.y, f.p, f.csc);
        return f.csc;
    }
}
