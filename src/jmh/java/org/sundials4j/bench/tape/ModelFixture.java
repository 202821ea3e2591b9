package org.sundials4j.bench.tape;

import org.sundials4j.problems.Brusselator2d;
import org.sundials4j.problems.NeuralOde;
import org.sundials4j.problems.Problem;
import org.sundials4j.problems.Problems;
import org.sundials4j.tape.TapeOdeModel;

/** A problem's tape model with the arrays every product needs, at a point near its initial state. */
final class ModelFixture {
    final Problem problem;
    final TapeOdeModel model;
    final double[] y, p, ydot, lambda, outY, outP, v, csc;

    ModelFixture(Problem problem) {
        this.problem = problem;
        this.model = problem.tapeModel().forSolver();
        int n = problem.stateCount();
        y = problem.initialState();
        for (int i = 0; i < n; i++) y[i] += 1e-3 * (i % 7);
        p = problem.parameters();
        ydot = new double[n];
        lambda = new double[n];
        v = new double[n];
        for (int i = 0; i < n; i++) {
            lambda[i] = 1.0 / (i + 1);
            v[i] = Math.cos(i);
        }
        outY = new double[n];
        outP = new double[p.length];
        csc = new double[model.sparsity().nonZeros()];
    }

    /** "pollu", "neural-ode" (H = 50), "neural-ode-256", "brusselator-2d-32" and the other registry names. */
    static ModelFixture of(String name) {
        return switch (name) {
            case "neural-ode-256" -> new ModelFixture(NeuralOde.problem(256));
            case "brusselator-2d-32" -> new ModelFixture(Brusselator2d.problem(32));
            default -> new ModelFixture(Problems.byName(name));
        };
    }
}
