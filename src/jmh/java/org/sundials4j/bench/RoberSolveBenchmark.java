package org.sundials4j.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sundials4j.ode.BenchAccess;
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.OdeModel;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;

/**
 * ROBER to t = 4e10 with a Java RHS and Jacobian, the Java side of the Java/C ratio
 * (tests/c/rober_c.c is the C side). Sampled, so the median is comparable with the C program's.
 * {@code createSolveClose} pays native setup and teardown per solve; {@code reusedSolve} is the
 * solve alone on one solver, the like-for-like match of C's solve-only figure.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RoberSolveBenchmark {
    private final OdeModel model = BenchAccess.rober();
    private final SolverOptions options = BenchAccess.roberOptions();
    private final double[] y0 = BenchAccess.roberY0();
    private final double[] params = BenchAccess.roberParams();
    private final double[] times = BenchModels.roberTimes();
    private CvodesSolver reused;

    @Setup(Level.Trial)
    public void setUp() {
        reused = new CvodesSolver(model, options);
        // a benchmark of a wrong solve would be worthless: same counters as cvsRoberts_dns.out
        Solution s = reused.solve(y0, params, times);
        if (s.statistics().steps() != 542 || s.statistics().rhsEvals() != 754)
            throw new IllegalStateException("ROBER diverged from the reference: " + s.statistics());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        reused.close();
    }

    @Benchmark
    public Solution createSolveClose() {
        try (CvodesSolver s = new CvodesSolver(model, options)) {
            return s.solve(y0, params, times);
        }
    }

    @Benchmark
    public Solution reusedSolve() {
        return reused.solve(y0, params, times);
    }
}
