package org.sundials4j.readme;

// README:tape
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

// README:end

/** README, "Models on the AD tape": ROBER written once on the tape. */
final class TapeModelExample {
    private TapeModelExample() {}

    static TapeOdeModel run() {
        // README:tape
        TapeOdeModel rober = TapeOdeModel.record(3, 3, (tape, t, y, p) -> {
            Var fwd = p.get(0).times(y.get(0)), back = p.get(1).times(y.get(1)).times(y.get(2));
            Var dimer = p.get(2).times(y.get(1).square());
            return new Var[] {back.minus(fwd), fwd.minus(back).minus(dimer), dimer};
        }, 0.0, new double[] {1, 0, 0}, new double[] {0.04, 1e4, 3e7});
        // LinearSolver.auto() picks dense, band or KLU from rober.sparsity()
        // README:end
        return rober;
    }
}
