package org.sundials4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sundials4j.ensemble.EnsembleOptions;
import org.sundials4j.ensemble.GradientSum;
import org.sundials4j.ensemble.LogNormalPopulation;
import org.sundials4j.ensemble.Member;
import org.sundials4j.ensemble.OdeEnsemble;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;
import org.sundials4j.problems.PkDosing;
import org.sundials4j.problems.Rober;

/**
 * A virtual population over one objective of the problem set: subject {@code i} has the problem's
 * parameters with log-normal variability ({@link LogNormalPopulation}, {@code ω} per parameter), the
 * problem's initial state and the objective's loss, differentiated with respect to all parameters
 * and initial states. Only this small record travels to the executors; each rebuilds the objective
 * and regenerates subject {@code i} from {@code (seed, i)}.
 *
 * @param objective a name of {@link Objectives}
 * @param omega     standard deviation of each log parameter (0 keeps it at the problem's value)
 * @param times     output times replacing the objective's, or null to keep them
 */
public record Population(String objective, int size, double[] omega, long seed, double[] times) implements Serializable {
    public Population {
        if (size < 0) throw new IllegalArgumentException("size = " + size + " < 0");
        omega = omega.clone();
        times = times == null ? null : times.clone();
        Objectives.byName(objective); // fails early on an unknown name
    }

    /**
     * pk-dosing subjects: ka, CL and V log-normal with ω = 0.3, F at 0.8; each with the problem set's
     * doses, rescue-dose event, data and loss {@code Σₖ (C(tₖ) - dₖ)²}.
     */
    public static Population pkDosing(int size) {
        return new Population(PkDosing.NAME, size, new double[] {0.3, 0.3, 0.3, 0}, 2024, null);
    }

    /** ROBER subjects: the three rate constants log-normal with ω = 0.3, {@code G = ∫₀^50 y3 dt}. */
    public static Population rober(int size) {
        return new Population(Rober.NAME, size, new double[] {0.3, 0.3, 0.3}, 2024,
                new double[] {Rober.GRADIENT_SHORT_FINAL_TIME});
    }

    /** The objective every subject shares. */
    public Objective objectiveOf() {
        Objective o = Objectives.byName(objective);
        if (times == null) return o;
        return new Objective(o.problem(), times, o.loss(), o.integrand(), o.options(), o.sensitivity());
    }

    public LogNormalPopulation parameters() {
        return new LogNormalPopulation(Objectives.byName(objective).problem().parameters(), omega, seed);
    }

    public Member member(int index) {
        if (index < 0 || index >= size) throw new IllegalArgumentException("subject " + index + " is outside [0, " + size + ")");
        Objective o = objectiveOf();
        return new Member(0, o.problem().initialState(), parameters().parameters(index), o.times());
    }

    public List<Member> members() {
        Objective o = objectiveOf();
        LogNormalPopulation p = parameters();
        List<Member> m = new ArrayList<>(size);
        for (int i = 0; i < size; i++) m.add(new Member(0, o.problem().initialState(), p.parameters(i), o.times()));
        return m;
    }

    /** A solver for one task (the {@link WorkerFactory} of the Spark job). */
    public GradientSolver newSolver() {
        Objective o = objectiveOf();
        return new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity());
    }

    /** Subject {@code index}'s {@code [loss, dL/dp, dL/dy0]} (the {@link MemberVector} of the Spark job). */
    public double[] gradient(GradientSolver solver, int index) {
        Member m = member(index);
        return GradientSum.pack(solver.gradient(m.t0(), m.y0(), m.params(), m.times()));
    }

    /** The same population on this machine's cores. */
    public OdeEnsemble localEnsemble(int threads) {
        Objective o = objectiveOf();
        return new OdeEnsemble(o.model(), o.loss(), o.integrand(), o.options(), o.sensitivity(),
                EnsembleOptions.defaults().withThreads(threads));
    }
}
