package org.sundials4j.fit;

import java.util.List;
import java.util.Objects;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.Gradient;
import org.sundials4j.ode.GradientSolver;
import org.sundials4j.ode.LinearSolver;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.IntegrandDefinition;
import org.sundials4j.tape.LossDefinition;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Tape;
import org.sundials4j.tape.TapeIntegrand;
import org.sundials4j.tape.TapeLoss;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * Hessian-vector products of an ODE objective {@code J(p) = L(y(t_1..t_K), p) + ∫ g(t, y, p) dt} with
 * respect to the parameters, by the adjoint of the forward sensitivity in direction {@code v}.
 *
 * <p>The forward sensitivity {@code s = (∂y/∂p) v} obeys {@code s' = f_y s + f_p v}, {@code s(t0) = 0}, and
 * the directional derivative is {@code ∇J·v = Σ_k L_{y_k} s_k + L_p v + ∫ (g_y s + g_p v) dt}. Its
 * gradient with respect to {@code p} is {@code H v}. This class integrates the augmented system
 * {@code (y, s)} and takes the gradient of that directional derivative with the ordinary first-order
 * machinery of {@link GradientSolver} (checkpointed adjoint or forward, as chosen). The backward
 * variables of the augmented adjoint are exactly those of CVODES' second-order adjoint
 * ({@code cvsHessian_ASA_FSA}, Özyurt and Barton 2005): the adjoint of {@code s} is the first-order
 * {@code λ}, the adjoint of {@code y} the second-order one; the augmented RHS, loss and integrand hold
 * the second-derivative terms ({@code λᵀf_yy s}, {@code λᵀf_yp v}, …) because their products are taken by
 * the tape through nested gradients ({@link Tape#gradient}).
 *
 * <p>The tangent {@code f_y s + f_p v} is written as two nested recorded gradients (see
 * {@link #tangentRhs}), so the augmented tape is a few times the model's whatever its size. Owns one
 * {@link GradientSolver}; close it.
 */
public final class SecondOrderAdjoint implements AutoCloseable {
    private final int n, np;
    private final GradientSolver solver;

    /**
     * @param n          number of states
     * @param np         number of parameters
     * @param rhs        the model {@code f(t, y, p)}
     * @param loss       the loss of the outputs, or null
     * @param integrand  the integrand {@code g}, or null (not both null)
     * @param options    solver options of the original problem (a per-state atol is repeated for {@code s})
     * @param sens       sensitivity options: the method and adjoint settings (the parameter and
     *                   initial-state selections are set here: all parameters, no initial states)
     * @param p0         parameters at which the models are recorded (guards only)
     */
    public SecondOrderAdjoint(int n, int np, OdeDefinition rhs, LossDefinition loss, IntegrandDefinition integrand,
                              SolverOptions options, SensitivityOptions sens, double t0, double[] y0, double[] p0) {
        this(n, np, rhs, List.of(), loss, integrand, options, sens, t0, y0, p0);
    }

    /**
     * The same for a model with {@code events} (for {@code n} states and {@code np} parameters), each
     * written on the tape ({@link org.sundials4j.tape.TapeEvents}): the tangent {@code s} jumps with them,
     * event-time terms included (see {@link TangentEvents}), so {@code H v} follows doses, rescue
     * events and bounces. A switch of a piecewise right-hand side, or an event not on the tape, is
     * refused with an {@link IllegalArgumentException} naming it.
     */
    public SecondOrderAdjoint(int n, int np, OdeDefinition rhs, List<Event> events, LossDefinition loss,
                              IntegrandDefinition integrand, SolverOptions options, SensitivityOptions sens, double t0,
                              double[] y0, double[] p0) {
        if (n < 1) throw new IllegalArgumentException("n = " + n + ", must be >= 1");
        if (np < 1) throw new IllegalArgumentException("np = " + np + ", must be >= 1");
        Objects.requireNonNull(rhs, "rhs");
        Objects.requireNonNull(events, "events");
        if (loss == null && integrand == null) throw new IllegalArgumentException("give a loss, an integrand, or both");
        this.n = n;
        this.np = np;
        double[] y0aug = new double[2 * n], paug = new double[2 * np + n];
        System.arraycopy(y0, 0, y0aug, 0, n);
        System.arraycopy(p0, 0, paug, 0, np);
        TapeOdeModel tangent = TapeOdeModel.record(2 * n, 2 * np + n, tangentRhs(n, np, rhs), t0, y0aug, paug);
        if (!tangent.events().isEmpty())
            throw new IllegalArgumentException("the right-hand side is piecewise (" + tangent.events().size()
                    + " switches): second-order sensitivities do not follow switches");
        DifferentiableOdeModel model = events.isEmpty() ? tangent : EventModel.of(tangent, TangentEvents.of(events, n, np, rhs));
        int[] all = new int[np];
        for (int j = 0; j < np; j++) all[j] = j;
        this.solver = new GradientSolver(model,
                loss == null ? null : TapeLoss.of(tangentLoss(n, np, loss)),
                integrand == null ? null : TapeIntegrand.of(2 * n, 2 * np + n, tangentIntegrand(n, np, integrand)),
                augmentedOptions(options, n), sens.withParameters(all).withInitialStates());
    }

    static SolverOptions augmentedOptions(SolverOptions o, int n) {
        SolverOptions a = o;
        if (!o.scalarAtol()) {
            double[] atol = o.atol(), twice = new double[2 * n];
            System.arraycopy(atol, 0, twice, 0, n);
            System.arraycopy(atol, 0, twice, n, n);
            a = a.withAtol(twice);
        }
        // band and sparse layouts of the original Jacobian do not fit the augmented one
        return a.linearSolver().kind() == LinearSolver.Kind.DENSE || a.linearSolver().kind() == LinearSolver.Kind.LAPACK_DENSE
                ? a : a.withLinearSolver(LinearSolver.auto());
    }

    /**
     * {@code (y, s)' = (f, f_y s + f_p v)} with parameters {@code (p, v, u)}. The tangent is recorded as two
     * nested gradients, whatever {@code n}: {@code g = ∇_{(y,p)}(uᵀf) = Jᵀu}, then {@code ∇_u (g·(s, v)) = J (s, v)}.
     * The extra parameters {@code u} only carry the recording (the result does not depend on their value);
     * they are passed as zeros and never differentiated.
     */
    static OdeDefinition tangentRhs(int n, int np, OdeDefinition rhs) {
        return (tape, t, ys, pvu) -> {
            VarVector y = ys.slice(0, n), p = pvu.slice(0, np);
            Var[] f = rhs.rhs(tape, t, y, p);
            Var[] tangent = product(tape, f, concat(y, p), concat(ys.slice(n, n), pvu.slice(np, np)), pvu.slice(2 * np, n));
            Var[] out = new Var[2 * n];
            for (int i = 0; i < n; i++) {
                out[i] = f[i];
                out[n + i] = tangent[i];
            }
            return out;
        };
    }

    /**
     * {@code J·dir} for {@code J = ∂out/∂wrt}, as two nested gradients whatever the sizes: {@code ∇_wrt(uᵀout)},
     * then {@code ∇_u} of its product with {@code dir}; {@code u} (one per output, an input of the
     * recording) only carries it.
     */
    static Var[] product(Tape tape, Var[] out, Var[] wrt, Var[] dir, VarVector u) {
        Var[] jtu = tape.gradient(u.dot(tape.vector(out)), wrt);
        return tape.gradient(tape.vector(jtu).dot(tape.vector(dir)), u);
    }

    /** {@code Σ_k L_{y_k} s_k + L_p v}. */
    static LossDefinition tangentLoss(int n, int np, LossDefinition loss) {
        return (tape, times, states, pv) -> {
            int k = states.length;
            VarVector[] ys = new VarVector[k];
            Var[] wrt = new Var[k * n + np], dir = new Var[k * n + np];
            for (int j = 0; j < k; j++) {
                ys[j] = states[j].slice(0, n);
                for (int i = 0; i < n; i++) {
                    wrt[j * n + i] = states[j].get(i);
                    dir[j * n + i] = states[j].get(n + i);
                }
            }
            for (int l = 0; l < np; l++) {
                wrt[k * n + l] = pv.get(l);
                dir[k * n + l] = pv.get(np + l);
            }
            Var value = loss.apply(tape, times, ys, pv.slice(0, np));
            return tape.vector(tape.gradient(value, wrt)).dot(tape.vector(dir));
        };
    }

    /** {@code g_y s + g_p v}. */
    static IntegrandDefinition tangentIntegrand(int n, int np, IntegrandDefinition g) {
        return (tape, t, ys, pv) -> {
            VarVector y = ys.slice(0, n), p = pv.slice(0, np);
            Var value = g.apply(tape, t, y, p);
            return tape.vector(tape.gradient(value, concat(y, p))).dot(tape.vector(concat(ys.slice(n, n), pv.slice(np, np))));
        };
    }

    private static Var[] concat(VarVector a, VarVector b) {
        Var[] r = new Var[a.size() + b.size()];
        for (int i = 0; i < a.size(); i++) r[i] = a.get(i);
        for (int i = 0; i < b.size(); i++) r[a.size() + i] = b.get(i);
        return r;
    }

    /** The product and the directional derivative {@code ∇J·v} it came with. */
    public record Product(double[] hv, double directionalDerivative, Gradient gradient) {
    }

    /**
     * {@code H(p) v} for the objective with outputs at {@code times} ({@code y0} independent of {@code p}).
     */
    public Product apply(double t0, double[] y0, double[] p, double[] times, double[] v) {
        if (y0.length != n) throw new IllegalArgumentException("y0.length = " + y0.length + ", expected " + n);
        if (p.length != np) throw new IllegalArgumentException("p.length = " + p.length + ", expected " + np);
        if (v.length != np) throw new IllegalArgumentException("v.length = " + v.length + ", expected " + np);
        double[] y0aug = new double[2 * n], pv = new double[2 * np + n]; // u = 0 (see tangentRhs)
        System.arraycopy(y0, 0, y0aug, 0, n);
        System.arraycopy(p, 0, pv, 0, np);
        System.arraycopy(v, 0, pv, np, np);
        Gradient g = solver.gradient(t0, y0aug, pv, times);
        return new Product(g.params(), g.loss(), g);
    }

    /** The full Hessian, one product per unit vector (symmetrized: {@code (H + Hᵀ)/2}). */
    public double[][] hessian(double t0, double[] y0, double[] p, double[] times) {
        double[][] h = new double[np][];
        for (int j = 0; j < np; j++) {
            double[] e = new double[np];
            e[j] = 1;
            h[j] = apply(t0, y0, p, times, e).hv();
        }
        return Hessians.symmetrize(h);
    }

    @Override
    public void close() {
        solver.close();
    }
}
