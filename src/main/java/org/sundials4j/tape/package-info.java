/**
 * A reverse-mode AD tape for ODE right-hand sides: write {@code f(t, y, p)} once, in Java, and get the
 * value, Jacobian-vector and vector-Jacobian products, the Jacobian (dense, banded or sparse, from its
 * structural pattern) and second derivatives through nested gradients.
 *
 * <h2>Writing a model</h2>
 * <pre>{@code
 * OdeDefinition rober = (tape, t, y, p) -> {
 *     Var fwd = p.get(0).times(y.get(0));
 *     Var back = p.get(1).times(y.get(1)).times(y.get(2));
 *     Var dimer = p.get(2).times(y.get(1).square());
 *     return new Var[] {back.minus(fwd), fwd.minus(back).minus(dimer), dimer};
 * };
 * TapeOdeModel model = TapeOdeModel.record(3, 3, rober, 0.0, y0, p);   // records once
 * model.rhs(t, y, p, ydot);                                           // replays
 * }</pre>
 * {@link org.sundials4j.tape.Var} has the scalar operations ({@code plus minus times div neg pow exp log
 * log1p expm1 sqrt sin cos tan tanh sinh cosh asin acos atan atan2 abs min max hypot sigmoid softplus},
 * each with {@code double} overloads where it makes sense, and {@code rminus rdiv rpow} for a constant on
 * the left). {@link org.sundials4j.tape.VarVector} and {@link org.sundials4j.tape.VarMatrix} record dot
 * products, matrix–vector products ({@code W x + b}, {@code Wᵀ x}) and element-wise activations as one
 * instruction each: a neural-network layer of width H is one instruction, not 2H² scalar ones. The
 * problem set of {@code shared/PROBLEMS.md} is written this way in {@code org.sundials4j.problems}.
 *
 * <h2>Record once, replay many</h2>
 * Recording runs the definition once and stores the instructions as flat arrays ({@code int[]}
 * opcodes and operand slots, {@code double[]} constants; see {@code Program}); every later call replays
 * them with a {@code switch} loop over preallocated work arrays and allocates nothing. What invalidates a
 * recording is a data-dependent branch, and there are two ways to write one:
 * <ul>
 *   <li>{@code if (x.gt(c)) ... else ...} — the comparison is kept as a <em>guard</em>; when a replay
 *       finds it flipped, the model is recorded again at those inputs (counted by
 *       {@link org.sundials4j.tape.TapeOdeModel#rerecordCount()}), so a cached tape never returns the
 *       wrong branch. Cheap while branches rarely flip.</li>
 *   <li>{@code x.isGreaterThan(c).select(a, b)} — both branches are recorded and the choice is made at
 *       every replay: no re-recording, one sparsity pattern. Prefer it for branches that flip often.</li>
 * </ul>
 * Reading {@link org.sundials4j.tape.Var#value()} and branching on it bypasses both: that branch is
 * frozen into the recording.
 *
 * <h2>Products</h2>
 * Derivatives use the linearised tape: one forward sweep stores each instruction's local partials,
 * then tangent sweeps ({@code jvp}, Jacobian columns) and reverse sweeps ({@code vjp}, Jacobian rows)
 * only multiply and add. A call at bit-for-bit the inputs of the previous linearisation reuses it, so
 * the adjoint's several backward RHS, quadrature and Jacobian calls at one {@code (t, y(t))} pay for one
 * linearising sweep ({@code TapeOdeModel.linearizations()} counts them). The structural pattern of {@code ∂f/∂y} is read off the tape;
 * Jacobians are computed by column (or row) colouring of that pattern, so a banded or stencil Jacobian
 * costs a few sweeps whatever its size. Conventions at kinks ({@code abs}, {@code min}, {@code max},
 * {@code hypot}, {@code pow} with negative base) are listed in {@code Ops}: each is the central
 * difference at the kink.
 *
 * <h2>Nested AD</h2>
 * {@link org.sundials4j.tape.Tape#gradient} records the gradient of a scalar as more tape code, so a RHS
 * may contain a gradient and the outer products see its second derivatives — a Hamiltonian system:
 * <pre>{@code
 * OdeDefinition pendulum = (tape, t, y, p) -> {
 *     Var q = y.get(0), mom = y.get(1);
 *     Var h = mom.square().times(0.5).plus(q.cos().rminus(1));
 *     Var[] g = tape.gradient(h, y);                 // [∂H/∂q, ∂H/∂p]
 *     return new Var[] {g[1], g[0].neg()};
 * };
 * }</pre>
 * {@link org.sundials4j.tape.TapeFunction#hessianVector} is the Hessian-vector product of a scalar
 * function (forward over reverse).
 *
 * <h2>Threads</h2>
 * Nothing here is static mutable state. A recording is immutable and shared; work arrays are per
 * instance. A solver calls {@link org.sundials4j.tape.TapeOdeModel#forSolver()} once and uses only that
 * copy; one instance must not be called from two threads at once.
 *
 * <h2>Kotlin</h2>
 * Kotlin already treats the Java methods {@code plus}, {@code minus}, {@code times}, {@code div} and
 * {@code unaryMinus} of {@code Var} as operators, so {@code a + b * 2.0} and {@code -a} work as they are.
 * A constant on the left and top-level math functions need a few extension functions, e.g. in a file
 * {@code TapeOperators.kt}:
 * <pre>{@code
 * import org.sundials4j.tape.Var
 *
 * operator fun Double.plus(x: Var): Var = x.plus(this)
 * operator fun Double.minus(x: Var): Var = x.rminus(this)
 * operator fun Double.times(x: Var): Var = x.times(this)
 * operator fun Double.div(x: Var): Var = x.rdiv(this)
 * operator fun Int.times(x: Var): Var = x.times(this.toDouble())
 * fun exp(x: Var): Var = x.exp()
 * fun sin(x: Var): Var = x.sin()
 * }</pre>
 * (Extensions cannot replace members, so {@code pow}, {@code gt} and friends stay method calls:
 * {@code x.pow(3.0)}, {@code if (x.gt(1.0))}.) Kotlin's {@code a > b} needs {@code compareTo} returning
 * {@code Int}, which cannot be recorded as a guard: use {@code a.gt(b)} (guarded) or
 * {@code a.isGreaterThan(b).select(x, y)} (branch-free). {@code VarVector.get(i)} already works as
 * {@code y[i]}, so a model reads
 * {@code TapeOdeModel.record(2, 4, { tape, t, y, p -> arrayOf(p[0] * y[0] + p[1] * y[0] * y[1], ...) }, 0.0, y0, p0)}.
 */
package org.sundials4j.tape;
