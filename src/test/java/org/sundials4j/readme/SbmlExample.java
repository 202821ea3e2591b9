package org.sundials4j.readme;

// README:sbml
import java.nio.file.Path;
import java.util.List;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.sbml.LossGradient;
import org.sundials4j.sbml.SbmlImporter;
import org.sundials4j.sbml.SbmlModel;
import org.sundials4j.sbml.TimeCourse;
import org.sundials4j.sbml.Variable;
import org.sundials4j.tape.TapeOdeModel;

// README:end

/** README, "SBML models": a time course and a loss gradient of an SBML file. */
final class SbmlExample {
    private SbmlExample() {}

    record Result(TimeCourse timeCourse, LossGradient gradient, TapeOdeModel ode) {}

    static Result run(Path modelFile, double[] times, List<Variable> variables, double[][] data, SolverOptions options) {
        // README:sbml
        SbmlModel model = SbmlImporter.read(modelFile);
        TimeCourse tc = model.simulate(SbmlModel.uniformTimes(0, 10, 100), model.defaultVariables(),
                SolverOptions.defaults().withTolerances(1e-8, 1e-12));
        LossGradient g = model.lossGradient(times, model.declaredValues(), variables, data,
                List.of("k1", "reaction2.k"), options, SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT));
        TapeOdeModel ode = model.odeModel();   // the compiled right-hand side, for any other use
        // README:end
        return new Result(tc, g, ode);
    }
}
