package org.sundials4j.bench;

import java.util.ArrayList;
import java.util.List;
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
import org.sundials4j.ensemble.Ensemble;
import org.sundials4j.ensemble.EnsembleOptions;
import org.sundials4j.ensemble.LogNormalPopulation;
import org.sundials4j.ensemble.Member;
import org.sundials4j.ensemble.OdeEnsemble;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.Rober;

/**
 * Ensemble throughput (gradients per second) against threads, and the ensemble's own cost per member.
 * Run by {@code tests/bench-ensemble.sh}.
 *
 * <ul>
 *   <li>{@code gradients}: a ROBER population (log-normal rate constants, ω = 0.3, G = ∫₀^50 y3 dt,
 *       adjoint) through {@link OdeEnsemble} on 1, 2, 4 and 8 threads; one operation is one gradient.</li>
 *   <li>{@code sequentialLoop}: the same gradients in a plain loop on one reused {@link GradientSolver}
 *       (the baseline the 1-thread ensemble should match; independent of {@code threads}, so run it
 *       with {@code -p threads=1}).</li>
 *   <li>{@code overheadPerMember}: members that do no work (a constant 7-vector, the size of a ROBER
 *       gradient) through {@link Ensemble#mapAndSum}: hand-out, result storage and the ordered sum.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnsembleBenchmark {
    static final int MEMBERS = 256;
    static final int EMPTY_MEMBERS = 100_000;

    @Param({"1", "2", "4", "8"})
    public int threads;

    private Objective objective;
    private List<Member> members;
    private OdeEnsemble ensemble;
    private GradientSolver sequential;
    private Ensemble<Object> empty;

    @Setup(Level.Trial)
    public void setUp() {
        Objective o = Objectives.rober();
        objective = new Objective(o.problem(), new double[] {Rober.GRADIENT_SHORT_FINAL_TIME}, o.loss(), o.integrand(),
                o.options(), o.sensitivity());
        LogNormalPopulation pop = new LogNormalPopulation(Rober.PARAMETERS, new double[] {0.3, 0.3, 0.3}, 2024);
        members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) members.add(new Member(0, Rober.Y0, pop.parameters(i), objective.times()));
        ensemble = new OdeEnsemble(objective.model(), objective.loss(), objective.integrand(), objective.options(),
                objective.sensitivity(), EnsembleOptions.defaults().withThreads(threads));
        sequential = new GradientSolver(objective.model(), objective.loss(), objective.integrand(), objective.options(),
                objective.sensitivity());
        empty = new Ensemble<>(Object::new, EnsembleOptions.defaults().withThreads(threads));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ensemble.close();
        sequential.close();
        empty.close();
    }

    @Benchmark
    @OperationsPerInvocation(MEMBERS)
    public double[] gradients() {
        return ensemble.gradients(members).orThrow().sum();
    }

    @Benchmark
    @OperationsPerInvocation(MEMBERS)
    public double sequentialLoop() {
        double s = 0;
        for (Member m : members) s += sequential.gradient(m.t0(), m.y0(), m.params(), m.times()).loss();
        return s;
    }

    private static final double[] SEVEN = {1, 2, 3, 4, 5, 6, 7};

    @Benchmark
    @OperationsPerInvocation(EMPTY_MEMBERS)
    public double[] overheadPerMember() {
        return empty.mapAndSum(EMPTY_MEMBERS, (w, i) -> SEVEN, v -> v).sum();
    }
}
