package org.sundials4j.ode;

/**
 * A model that also supplies directional derivatives, as an AD tape does. The sensitivity solvers
 * use these instead of finite differences.
 */
public interface DifferentiableOdeModel extends OdeModel {

    /** {@code out = f_y v + f_p w} (forward mode); {@code w} has {@link #parameterCount()} entries. */
    void jvp(double t, double[] y, double[] p, double[] v, double[] w, double[] out);

    /**
     * {@code outY = λᵀ f_y}, {@code outP = λᵀ f_p} in one reverse sweep; also writes {@code f(t,y,p)}
     * into {@code ydot} when it is non-null (the sweep computes it anyway).
     */
    void vjp(double t, double[] y, double[] p, double[] lambda, double[] outY, double[] outP, double[] ydot);

    @Override
    DifferentiableOdeModel forSolver();
}
