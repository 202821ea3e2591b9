/**
 * SBML models in, stiff solves and exact gradients out. {@link org.sundials4j.sbml.SbmlImporter} reads
 * SBML Level 2 and 3 core with JSBML (the only package that sees JSBML) and compiles the model to the
 * AD tape: the right-hand side, its Jacobian with sparsity, JVP and VJP, the initial values (with the
 * initial assignments) and the reported variables are tape recordings, so no derivative is written by
 * hand and no code is generated.
 *
 * <h2>What is simulated</h2>
 * Compartments (constant or with rate/assignment rules, zero-dimensional), species in amounts or
 * concentrations ({@code hasOnlySubstanceUnits}, {@code boundaryCondition}, {@code constant},
 * species and model conversion factors), global and local parameters, reactions with constant or
 * variable stoichiometry (species-reference ids in math and rules, Level 2 {@code stoichiometryMath}),
 * assignment rules, rate rules, initial assignments, function definitions, {@code piecewise},
 * relations and logic (numbers accepted as booleans), the MathML functions of the SBML Test Suite
 * (including {@code floor}, {@code ceiling}, {@code factorial}, {@code quotient}, {@code rem},
 * {@code root}, {@code log} with a base, the inverse and hyperbolic trigonometric family, n-ary
 * {@code min}/{@code max}), the {@code time} and {@code avogadro} csymbols and {@code rateOf} of any
 * state or constant, and events with the Level 3 semantics (delays, trigger-time or execution-time
 * values, persistence, priorities evaluated at execution, {@code initialValue}, cascades at one
 * instant), on the solver's event API with gradients through them ({@code SbmlEvents}).
 *
 * <h2>How</h2>
 * Species changed by reactions are integrated as amounts ({@code dA/dt = cf · Σ stoichiometry · rate}),
 * so a varying compartment needs no correction term; quantities with rate rules are integrated as the
 * value the rule is written for. Assignment rules are recomputed wherever they are read. Branches are
 * tape selects; {@code floor} and friends are guarded constants, so a recording is redone when their
 * argument leaves the interval. {@code (y0, q) = init(t0, p)} maps the declared values to the
 * initial states and the integration constants; gradients with respect to any declared value go
 * through it by the chain rule.
 *
 * <h2>What is refused</h2>
 * {@link org.sundials4j.sbml.UnsupportedSbmlException} names the construct, the element and its id:
 * algebraic rules, fast reactions, the {@code delay} csymbol, {@code rateOf} of an assignment-rule
 * target or of an expression, the comp, fbc and other model-changing packages (any package marked
 * required), and event triggers other than relations joined by and/or/not. Constraints are not checked.
 * {@link org.sundials4j.sbml.suite} runs and judges SBML Test Suite cases.
 */
package org.sundials4j.sbml;
