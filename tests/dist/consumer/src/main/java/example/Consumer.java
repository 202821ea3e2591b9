package example;

import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.problems.Objective;
import org.sundials4j.problems.Objectives;

/**
 * The adjoint gradient of ROBER's G = ∫ y3 dt (cvsRoberts_ASAi_dns' settings) from the jars alone,
 * checked against that SUNDIALS example's printed dG/dp. Exit 1 on a mismatch.
 */
public final class Consumer {
    public static void main(String[] args) {
        Objective o = Objectives.rober();
        double[] ref = {7.6842e+05, -3.0691e+00, 5.1144e-04};
        try (GradientSolver gs = new GradientSolver(o.model(), o.loss(), o.integrand(), o.options(),
                SensitivityOptions.defaults().withMethod(SensitivityMethod.ADJOINT))) {
            Gradient g = gs.gradient(o.problem().initialTime(), o.problem().initialState(), o.problem().parameters(), o.times());
            double[] dp = g.params();
            for (int i = 0; i < ref.length; i++) {
                if (Math.abs(dp[i] - ref[i]) > 1e-3 * Math.abs(ref[i])) {
                    System.err.printf("consumer: dG/dp%d = %g, cvsRoberts_ASAi_dns %g%n", i + 1, dp[i], ref[i]);
                    System.exit(1);
                }
            }
            System.out.printf("consumer: adjoint dG/dp = [%.5e, %.5e, %.5e] (%s) matches cvsRoberts_ASAi_dns%n",
                    dp[0], dp[1], dp[2], g.method());
        }
    }
}
