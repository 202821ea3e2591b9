package org.sundials4j.bench.tape;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.sundials4j.problems.NeuralOde;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeOdeModel;

/**
 * The neural-ode network (H = 256 by default) recorded with block instructions (one matrix–vector
 * product per layer) against the same network recorded scalar by scalar: recording, RHS and VJP.
 */
public class BlockVsScalarBenchmark extends TapeBenchmark {
    @Param({"256"})
    public int hidden;

    @Param({"block", "scalar"})
    public String recording;

    private OdeDefinition definition;
    private TapeOdeModel model;
    private double[] y, p, ydot, lambda, outY, outP;

    @Setup
    public void setup() {
        definition = recording.equals("block") ? NeuralOde.definition(hidden) : NeuralOde.scalarDefinition(hidden);
        y = new double[]{1.3, -0.4};
        p = NeuralOde.initialParameters(hidden);
        model = TapeOdeModel.record(2, p.length, definition, 0, y, p);
        ydot = new double[2];
        lambda = new double[]{0.7, -1.1};
        outY = new double[2];
        outP = new double[p.length];
        System.out.println("\n[" + recording + " H=" + hidden + "] instructions = " + model.instructionCount());
    }

    @Benchmark
    public double[] rhs() {
        model.rhs(0, y, p, ydot);
        return ydot;
    }

    @Benchmark
    public double[] vjp() {
        model.vjp(0, y, p, lambda, outY, outP, ydot);
        return outP;
    }

    @Benchmark
    public TapeOdeModel record() {
        return TapeOdeModel.record(2, p.length, definition, 0, y, p);
    }
}
