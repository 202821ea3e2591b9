package org.sundials4j.sbml;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.sbml.jsbml.ASTNode;
import org.sundials4j.sbml.ModelStructure.Lambda;
import org.sundials4j.sbml.ModelStructure.Math;
import org.sundials4j.sbml.ModelStructure.Participant;
import org.sundials4j.sbml.ModelStructure.Reaction;
import org.sundials4j.sbml.ModelStructure.Symbol;
import org.sundials4j.tape.Condition;
import org.sundials4j.tape.Tape;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * Records an SBML model's math on one tape. Each symbol is computed once per recording (memoized)
 * in whatever order the math asks for it, so assignment rules need no explicit sorting; a circular
 * definition is reported instead of recursing forever.
 *
 * <p>Two modes. {@code INITIAL} reads the declared values {@code p} and applies initial assignments:
 * it is how {@code (y0, q)} are computed at {@code t0}. {@code DYNAMIC} reads the states {@code y} and
 * the constants {@code q}: it is the right-hand side and the reported variables at any time. Both
 * apply assignment rules, which hold at every time including {@code t0}.
 *
 * <p>Booleans are 0/1 values; every branch ({@code piecewise}, relations) is a tape select, so one
 * recording serves every input. Integer-valued functions ({@code floor}, {@code ceiling},
 * {@code factorial}, {@code quotient}) are piecewise constant: they are recorded as their value with
 * guards on the interval it holds in, so the tape re-records when the argument leaves it.
 */
final class Evaluator {
    enum Mode { INITIAL, DYNAMIC }

    private final ModelStructure m;
    private final Tape tape;
    private final Mode mode;
    private final Var time;
    private final VarVector inputs;
    /** The state slot {@code i} in DYNAMIC mode. */
    private final java.util.function.IntFunction<Var> y;
    private final Map<String, Var> values = new HashMap<>();
    private final Map<String, Var> rates = new HashMap<>();
    private final Map<Integer, Var> derivatives = new HashMap<>();
    private final Set<String> active = new HashSet<>();

    /**
     * @param inputs {@code p} (declared values) in INITIAL mode, {@code q} (constants) in DYNAMIC mode
     * @param y      the states in DYNAMIC mode, null in INITIAL mode
     */
    Evaluator(ModelStructure m, Tape tape, Mode mode, Var time, VarVector inputs, VarVector y) {
        this(m, tape, mode, time, inputs, y == null ? null : y::get);
    }

    /** A DYNAMIC evaluator on states held as separate variables (an event instant's working state). */
    Evaluator(ModelStructure m, Tape tape, Var time, VarVector constants, Var[] states) {
        this(m, tape, Mode.DYNAMIC, time, constants, i -> states[i]);
    }

    private Evaluator(ModelStructure m, Tape tape, Mode mode, Var time, VarVector inputs, java.util.function.IntFunction<Var> y) {
        this.m = m;
        this.tape = tape;
        this.mode = mode;
        this.time = time;
        this.inputs = inputs;
        this.y = y;
    }

    // ------------------------------------------------------------------ symbols

    /** The value of a global id as SBML math sees it (a species: concentration unless hasOnlySubstanceUnits). */
    Var value(String id) {
        Var v = values.get(id);
        if (v != null) return v;
        Symbol s = m.globals.get(id);
        if (s == null) {
            Reaction r = m.reactions.get(id);
            if (r != null) return reactionRate(r);
            throw new SbmlException("math", id, "refers to an id the model does not define");
        }
        enter("value of", id);
        try {
            v = computeValue(s);
        } finally {
            active.remove("value of" + id);
        }
        values.put(id, v);
        return v;
    }

    private Var computeValue(Symbol s) {
        if (s.assignment != null) return eval(s.assignment);
        if (mode == Mode.DYNAMIC) {
            Var stored = stored(s);
            return s.isSpecies() && (s.stateIndex < 0 || s.stateIsAmount) ? amountToValue(s, stored) : stored;
        }
        if (s.initial != null) return eval(s.initial);
        if (!s.declaredSet)
            throw new SbmlException(s.kind.name().toLowerCase(), s.id, "is used but has no value "
                    + "(no value attribute, initial assignment or rule)");
        Var declared = inputs.get(s.declaredIndex);
        if (!s.isSpecies()) return declared;
        if (s.declaredAsConcentration) return s.hasOnlySubstanceUnits ? declared.times(size(s)) : declared;
        return amountToValue(s, declared);
    }

    /** The state or constant slot of a symbol in DYNAMIC mode (species constants hold amounts). */
    private Var stored(Symbol s) {
        if (s.stateIndex < 0 && s.constantIndex < 0)
            throw new SbmlException(s.kind.name().toLowerCase(), s.id, "is used but has no value "
                    + "(no value attribute, initial assignment or rule)");
        return s.stateIndex >= 0 ? y.apply(s.stateIndex) : inputs.get(s.constantIndex);
    }

    /** A species' amount. */
    Var amount(Symbol s) {
        if (mode == Mode.DYNAMIC && s.assignment == null && (s.stateIndex < 0 || s.stateIsAmount)) return stored(s);
        Var v = value(s.id);
        return s.hasOnlySubstanceUnits ? v : v.times(size(s));
    }

    /** A species' concentration (amount per compartment size). */
    Var concentration(Symbol s) {
        return s.hasOnlySubstanceUnits ? value(s.id).div(size(s)) : value(s.id);
    }

    /** What a state slot or constant slot holds, for the initial values and constants. */
    Var slotValue(Symbol s) {
        if (s.reaction != null) return inputs.get(mode == Mode.DYNAMIC ? s.constantIndex : s.declaredIndex);
        return s.isSpecies() && (s.stateIndex < 0 || s.stateIsAmount) ? amount(s) : value(s.id);
    }

    private Var amountToValue(Symbol s, Var amount) {
        return s.hasOnlySubstanceUnits ? amount : amount.div(size(s));
    }

    Var size(Symbol species) {
        return sized(species) ? value(species.compartment) : tape.constant(1);
    }

    /** False for a zero-dimensional compartment without any size: its species are counted in amounts. */
    boolean sized(Symbol species) {
        Symbol c = m.globals.get(species.compartment);
        return c.spatialDimensions != 0 || c.declaredSet || c.initial != null || c.assignment != null || c.rate != null;
    }

    // ------------------------------------------------------------------ rates

    /** The rate of a reaction (its kinetic law; 0 without one). */
    Var reactionRate(Reaction r) {
        Var v = rates.get(r.id());
        if (v != null) return v;
        enter("rate of", r.id());
        try {
            v = r.kineticLaw() == null ? tape.constant(0) : eval(r.kineticLaw().node(), null, r.id(), r.kineticLaw());
        } finally {
            active.remove("rate of" + r.id());
        }
        rates.put(r.id(), v);
        return v;
    }

    /** {@code d/dt} of what state slot {@code s} holds: its rate rule, or the reactions' net rate times the conversion factor. */
    Var derivative(Symbol s) {
        Var d = derivatives.get(s.stateIndex);
        if (d != null) return d;
        enter("derivative of", s.id);
        try {
            d = s.rate != null ? eval(s.rate)
                    : s.isSpecies() && !s.boundary && !s.constant ? reactionsNet(s) : tape.constant(0);
        } finally {
            active.remove("derivative of" + s.id);
        }
        derivatives.put(s.stateIndex, d);
        return d;
    }

    private Var reactionsNet(Symbol species) {
        Var sum = null;
        for (Reaction r : m.reactions.values())
            for (Participant pt : r.participants()) {
                if (!pt.species().equals(species.id)) continue;
                Var term = stoichiometry(pt).times(reactionRate(r));
                if (pt.sign() < 0) term = term.neg();
                sum = sum == null ? term : sum.plus(term);
            }
        if (sum == null) return tape.constant(0);
        String cf = species.conversionFactor != null ? species.conversionFactor : m.modelConversionFactor;
        return cf == null ? sum : sum.times(value(cf));
    }

    private Var stoichiometry(Participant pt) {
        if (pt.referenceId() != null) return value(pt.referenceId());
        if (pt.stoichiometryMath() != null) return eval(pt.stoichiometryMath());
        return tape.constant(pt.stoichiometry());
    }

    /** {@code rateOf(id)}: the time derivative of a symbol's value (import has refused the cases without one). */
    Var rateOf(String id, Math owner) {
        Symbol s = m.globals.get(id);
        if (s == null) throw new SbmlException(owner.element(), owner.id(), "rateOf refers to an unknown id '" + id + "'");
        if (s.assignment != null)
            throw new UnsupportedSbmlException("csymbol rateOf", owner.element(), owner.id(),
                    "of '" + id + "', which an assignment rule defines");
        if (s.stateIndex < 0) {
            if (!s.isSpecies() || s.hasOnlySubstanceUnits) return tape.constant(0);
            // a constant amount in a compartment whose size may change
            return concentrationRate(s, tape.constant(0));
        }
        Var d = derivative(s);
        if (!s.stateIsAmount || s.hasOnlySubstanceUnits) return d;
        return concentrationRate(s, d);
    }

    /** {@code d(A/V)/dt = A'/V - A V'/V²}. */
    private Var concentrationRate(Symbol s, Var amountRate) {
        if (!sized(s)) return amountRate;
        Var v = size(s);
        Var dv = rateOf(s.compartment, new Math(null, "compartment", s.compartment));
        return amountRate.div(v).minus(amount(s).times(dv).div(v.square()));
    }

    private void enter(String what, String id) {
        if (!active.add(what + id))
            throw new SbmlException("math", id, "the " + what + " '" + id + "' depends on itself (circular rules or assignments)");
    }

    // ------------------------------------------------------------------ math

    Var eval(Math math) {
        return eval(math.node(), null, null, math);
    }

    /**
     * @param args     function-definition arguments in scope (null outside a function body)
     * @param reaction the reaction whose local parameters are in scope (null elsewhere)
     */
    private Var eval(ASTNode n, Map<String, Var> args, String reaction, Math owner) {
        switch (n.getType()) {
            case INTEGER: return tape.constant(n.getInteger());
            case REAL: return tape.constant(n.getReal());
            case REAL_E: return tape.constant(n.getMantissa() * java.lang.Math.pow(10, n.getExponent()));
            case RATIONAL: return tape.constant((double) n.getNumerator() / n.getDenominator());
            case CONSTANT_E: return tape.constant(java.lang.Math.E);
            case CONSTANT_PI: return tape.constant(java.lang.Math.PI);
            case CONSTANT_TRUE: return tape.constant(1);
            case CONSTANT_FALSE: return tape.constant(0);
            case NAME_TIME: return time;
            case NAME_AVOGADRO: return tape.constant(6.02214179e23); // the value SBML L3 fixes
            case NAME: return name(n.getName(), args, reaction, owner);
            case PLUS: {
                if (n.getChildCount() == 0) return tape.constant(0);
                Var s = arg(n, 0, args, reaction, owner);
                for (int i = 1; i < n.getChildCount(); i++) s = s.plus(arg(n, i, args, reaction, owner));
                return s;
            }
            case TIMES: {
                if (n.getChildCount() == 0) return tape.constant(1);
                Var s = arg(n, 0, args, reaction, owner);
                for (int i = 1; i < n.getChildCount(); i++) s = s.times(arg(n, i, args, reaction, owner));
                return s;
            }
            case MINUS:
                if (n.getChildCount() == 1) return arg(n, 0, args, reaction, owner).neg();
                return arg(n, 0, args, reaction, owner).minus(arg(n, 1, args, reaction, owner));
            case DIVIDE: return arg(n, 0, args, reaction, owner).div(arg(n, 1, args, reaction, owner));
            case POWER:
            case FUNCTION_POWER: return power(arg(n, 0, args, reaction, owner), n.getChild(1), args, reaction, owner);
            case FUNCTION_ROOT: {
                if (n.getChildCount() == 1) return arg(n, 0, args, reaction, owner).sqrt();
                Var x = arg(n, 1, args, reaction, owner);
                Double degree = literal(n.getChild(0));
                if (degree != null && degree == 2) return x.sqrt();
                if (degree != null && degree % 2 == 1) // odd roots of negative numbers are real
                    return x.signum().times(x.abs().pow(1 / degree));
                return x.pow(arg(n, 0, args, reaction, owner).rdiv(1));
            }
            case FUNCTION_ABS: return arg(n, 0, args, reaction, owner).abs();
            case FUNCTION_EXP: return arg(n, 0, args, reaction, owner).exp();
            case FUNCTION_LN: return arg(n, 0, args, reaction, owner).log();
            case FUNCTION_LOG: {
                if (n.getChildCount() == 1) return arg(n, 0, args, reaction, owner).log().div(java.lang.Math.log(10));
                return arg(n, 1, args, reaction, owner).log().div(arg(n, 0, args, reaction, owner).log());
            }
            case FUNCTION_SIN: return arg(n, 0, args, reaction, owner).sin();
            case FUNCTION_COS: return arg(n, 0, args, reaction, owner).cos();
            case FUNCTION_TAN: return arg(n, 0, args, reaction, owner).tan();
            case FUNCTION_SEC: return arg(n, 0, args, reaction, owner).cos().rdiv(1);
            case FUNCTION_CSC: return arg(n, 0, args, reaction, owner).sin().rdiv(1);
            case FUNCTION_COT: return arg(n, 0, args, reaction, owner).tan().rdiv(1);
            case FUNCTION_SINH: return arg(n, 0, args, reaction, owner).sinh();
            case FUNCTION_COSH: return arg(n, 0, args, reaction, owner).cosh();
            case FUNCTION_TANH: return arg(n, 0, args, reaction, owner).tanh();
            case FUNCTION_SECH: return arg(n, 0, args, reaction, owner).cosh().rdiv(1);
            case FUNCTION_CSCH: return arg(n, 0, args, reaction, owner).sinh().rdiv(1);
            case FUNCTION_COTH: return arg(n, 0, args, reaction, owner).tanh().rdiv(1);
            case FUNCTION_ARCSIN: return arg(n, 0, args, reaction, owner).asin();
            case FUNCTION_ARCCOS: return arg(n, 0, args, reaction, owner).acos();
            case FUNCTION_ARCTAN: return arg(n, 0, args, reaction, owner).atan();
            case FUNCTION_ARCSEC: return arg(n, 0, args, reaction, owner).rdiv(1).acos();
            case FUNCTION_ARCCSC: return arg(n, 0, args, reaction, owner).rdiv(1).asin();
            case FUNCTION_ARCCOT: return arg(n, 0, args, reaction, owner).rdiv(1).atan();
            case FUNCTION_ARCSINH: return asinh(arg(n, 0, args, reaction, owner));
            case FUNCTION_ARCCOSH: return acosh(arg(n, 0, args, reaction, owner));
            case FUNCTION_ARCTANH: return atanh(arg(n, 0, args, reaction, owner));
            case FUNCTION_ARCSECH: return acosh(arg(n, 0, args, reaction, owner).rdiv(1));
            case FUNCTION_ARCCSCH: return asinh(arg(n, 0, args, reaction, owner).rdiv(1));
            case FUNCTION_ARCCOTH: return atanh(arg(n, 0, args, reaction, owner).rdiv(1));
            case FUNCTION_FLOOR: {
                Var x = arg(n, 0, args, reaction, owner);
                return integerValued(x, java.lang.Math.floor(x.value()), false);
            }
            case FUNCTION_CEILING: {
                Var x = arg(n, 0, args, reaction, owner);
                return integerValued(x, java.lang.Math.ceil(x.value()), true);
            }
            case FUNCTION_FACTORIAL: return factorial(arg(n, 0, args, reaction, owner));
            case FUNCTION_MIN: case FUNCTION_MAX: {
                Var s = arg(n, 0, args, reaction, owner);
                for (int i = 1; i < n.getChildCount(); i++) {
                    Var o = arg(n, i, args, reaction, owner);
                    s = n.getType() == ASTNode.Type.FUNCTION_MIN ? s.min(o) : s.max(o);
                }
                return s;
            }
            case FUNCTION_QUOTIENT: return quotient(arg(n, 0, args, reaction, owner), arg(n, 1, args, reaction, owner));
            case FUNCTION_REM: {
                Var a = arg(n, 0, args, reaction, owner), b = arg(n, 1, args, reaction, owner);
                return a.minus(b.times(quotient(a, b)));
            }
            case FUNCTION_PIECEWISE: return piecewise(n, args, reaction, owner);
            case LOGICAL_AND: case LOGICAL_OR: case LOGICAL_XOR: return logical(n, args, reaction, owner);
            case LOGICAL_NOT: return not(truth(n.getChild(0), arg(n, 0, args, reaction, owner)));
            case LOGICAL_IMPLIES:
                return not(truth(n.getChild(0), arg(n, 0, args, reaction, owner))).max(truth(n.getChild(1), arg(n, 1, args, reaction, owner)));
            case RELATIONAL_EQ: case RELATIONAL_NEQ: case RELATIONAL_GT: case RELATIONAL_GEQ:
            case RELATIONAL_LT: case RELATIONAL_LEQ: return relational(n, args, reaction, owner);
            case FUNCTION: return call(n, args, reaction, owner);
            case FUNCTION_RATE_OF: {
                String id = n.getChild(0).getName();
                // local parameters are constants; function arguments are refused at import
                if (reaction != null && m.local(reaction, id) != null) return tape.constant(0);
                return rateOf(id, owner);
            }
            case FUNCTION_DELAY:
                throw new UnsupportedSbmlException("csymbol delay", owner.element(), owner.id(), null);
            default:
                throw new UnsupportedSbmlException("MathML " + n.getType(), owner.element(), owner.id(), null);
        }
    }

    private Var arg(ASTNode n, int i, Map<String, Var> args, String reaction, Math owner) {
        return eval(n.getChild(i), args, reaction, owner);
    }

    private Var name(String id, Map<String, Var> args, String reaction, Math owner) {
        if (args != null) {
            Var a = args.get(id);
            if (a != null) return a;
        }
        if (reaction != null) {
            Symbol local = m.local(reaction, id);
            if (local != null)
                return mode == Mode.DYNAMIC ? inputs.get(local.constantIndex) : inputs.get(local.declaredIndex);
        }
        if (!m.globals.containsKey(id) && !m.reactions.containsKey(id))
            throw new SbmlException(owner.element(), owner.id(), "the math refers to '" + id + "', which the model does not define");
        return value(id);
    }

    private Var call(ASTNode n, Map<String, Var> args, String reaction, Math owner) {
        Lambda f = m.functions.get(n.getName());
        if (f == null)
            throw new SbmlException(owner.element(), owner.id(), "calls the undefined function '" + n.getName() + "'");
        if (f.arguments().size() != n.getChildCount())
            throw new SbmlException(owner.element(), owner.id(), "calls '" + f.id() + "' with " + n.getChildCount()
                    + " arguments, it takes " + f.arguments().size());
        Map<String, Var> bound = new HashMap<>();
        for (int i = 0; i < n.getChildCount(); i++) bound.put(f.arguments().get(i), arg(n, i, args, reaction, owner));
        if (!active.add("function " + f.id()))
            throw new SbmlException("functionDefinition", f.id(), "calls itself");
        try {
            return eval(f.body(), bound, null, new Math(f.body(), "functionDefinition", f.id()));
        } finally {
            active.remove("function " + f.id());
        }
    }

    private Var power(Var base, ASTNode exponent, Map<String, Var> args, String reaction, Math owner) {
        Double c = literal(exponent);
        return c != null ? base.pow(c) : base.pow(eval(exponent, args, reaction, owner));
    }

    /** The value of a numeric literal (possibly negated), or null. */
    static Double literal(ASTNode n) {
        switch (n.getType()) {
            case INTEGER: return (double) n.getInteger();
            case REAL: return n.getReal();
            case REAL_E: return n.getMantissa() * java.lang.Math.pow(10, n.getExponent());
            case RATIONAL: return (double) n.getNumerator() / n.getDenominator();
            case MINUS: {
                if (n.getChildCount() != 1) return null;
                Double v = literal(n.getChild(0));
                return v == null ? null : -v;
            }
            default: return null;
        }
    }

    private Var asinh(Var x) {
        return x.plus(x.square().plus(1).sqrt()).log();
    }

    private Var acosh(Var x) {
        return x.plus(x.square().minus(1).sqrt()).log();
    }

    private Var atanh(Var x) {
        return x.plus(1).div(x.rminus(1)).log().times(0.5);
    }

    /**
     * A piecewise-constant integer {@code k} of {@code x}: guarded on {@code x} staying where {@code k} is
     * the answer ({@code [k, k+1)} for floor, {@code (k-1, k]} for ceiling), derivative 0.
     */
    private Var integerValued(Var x, double k, boolean ceiling) {
        if (!Double.isFinite(k)) return tape.constant(k);
        if (ceiling) {
            x.gt(k - 1);
            x.le(k);
        } else {
            x.ge(k);
            x.lt(k + 1);
        }
        return tape.constant(k);
    }

    private Var factorial(Var x) {
        double v = x.value();
        double k = java.lang.Math.rint(v);
        // the guards pin the argument to the integer it has now
        x.ge(k);
        x.le(k);
        if (k < 0 || k != v) return tape.constant(Double.NaN);
        double f = 1;
        for (int i = 2; i <= k; i++) f *= i;
        return tape.constant(f);
    }

    /** {@code quotient(a, b)}: the integer part of {@code a/b}, rounded toward zero. */
    private Var quotient(Var a, Var b) {
        Var r = a.div(b);
        double v = r.value();
        return v >= 0 ? integerValued(r, java.lang.Math.floor(v), false) : integerValued(r, java.lang.Math.ceil(v), true);
    }

    // ------------------------------------------------------------------ event triggers

    /**
     * A relation's margin, the continuous function whose zero crossings are where the relation can
     * change: {@code a > b} and {@code a >= b} give {@code a - b} (positive where it holds), {@code <}
     * and {@code <=} give {@code b - a}, {@code ==} and {@code !=} give {@code a - b}; a chain
     * ({@code a < b < c}) the minimum over its links. {@code SbmlEvents} makes each relation in a
     * trigger a root function.
     */
    Var margin(Math relation) {
        return margin(relation.node(), relation);
    }

    /**
     * Refuses, at import, a trigger that is not relations (with equality: see {@code SbmlEvents})
     * and numbers combined with and, or, xor, not.
     */
    static void checkTrigger(ASTNode n, Math owner) {
        switch (n.getType()) {
            case CONSTANT_TRUE, CONSTANT_FALSE, INTEGER, REAL, REAL_E, RATIONAL, RELATIONAL_GT, RELATIONAL_GEQ, RELATIONAL_LT,
                 RELATIONAL_LEQ, RELATIONAL_EQ, RELATIONAL_NEQ -> { }
            case LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR, LOGICAL_NOT -> {
                for (int i = 0; i < n.getChildCount(); i++) checkTrigger(n.getChild(i), owner);
            }
            default -> throw new UnsupportedSbmlException("event trigger with MathML " + n.getType(), owner.element(),
                    owner.id(), "triggers are relations and numbers combined with and, or, xor, not");
        }
    }

    private Var margin(ASTNode n, Math owner) {
        switch (n.getType()) {
            case RELATIONAL_GT: case RELATIONAL_GEQ: case RELATIONAL_LT: case RELATIONAL_LEQ: case RELATIONAL_EQ: case RELATIONAL_NEQ: {
                boolean down = n.getType() == ASTNode.Type.RELATIONAL_LT || n.getType() == ASTNode.Type.RELATIONAL_LEQ;
                Var acc = null;
                Var prev = eval(n.getChild(0), null, null, owner);
                for (int i = 1; i < n.getChildCount(); i++) {
                    Var next = eval(n.getChild(i), null, null, owner);
                    Var g = down ? next.minus(prev) : prev.minus(next);
                    acc = acc == null ? g : acc.min(g);
                    prev = next;
                }
                return acc == null ? tape.constant(1) : acc;
            }
            default:
                throw new IllegalArgumentException("not a relation: " + n.getType() + " in " + owner.element() + " '" + owner.id() + "'");
        }
    }

    // ------------------------------------------------------------------ booleans as 0/1

    /** 1 where {@code x} (the value of {@code node}) is true, else 0. */
    private Var truth(ASTNode node, Var x) {
        return holds(node, x).select(1, 0);
    }

    /**
     * Whether {@code x}, the value of {@code node}, is true: a relation or logical operator gives
     * 0/1 and is compared with 1/2, so the comparison never sits on its boundary (a solver holding
     * branches per segment would otherwise meet a tie at 0); any other number is true when nonzero
     * (MathML lets numbers stand for booleans).
     */
    private static Condition holds(ASTNode node, Var x) {
        return switch (node.getType()) {
            case RELATIONAL_GT, RELATIONAL_GEQ, RELATIONAL_LT, RELATIONAL_LEQ, RELATIONAL_EQ, RELATIONAL_NEQ, LOGICAL_AND,
                 LOGICAL_OR, LOGICAL_XOR, LOGICAL_NOT, LOGICAL_IMPLIES, CONSTANT_TRUE, CONSTANT_FALSE -> x.isGreaterThan(0.5);
            default -> x.abs().isGreaterThan(0);
        };
    }

    private Var not(Var b) {
        return b.rminus(1);
    }

    private Var logical(ASTNode n, Map<String, Var> args, String reaction, Math owner) {
        ASTNode.Type type = n.getType();
        if (n.getChildCount() == 0) return tape.constant(type == ASTNode.Type.LOGICAL_AND ? 1 : 0);
        Var acc = truth(n.getChild(0), arg(n, 0, args, reaction, owner));
        for (int i = 1; i < n.getChildCount(); i++) {
            Var b = truth(n.getChild(i), arg(n, i, args, reaction, owner));
            acc = switch (type) {
                case LOGICAL_AND -> acc.times(b);
                case LOGICAL_OR -> acc.max(b);
                default -> acc.minus(b).abs(); // xor of 0/1 values
            };
        }
        return acc;
    }

    private Var relational(ASTNode n, Map<String, Var> args, String reaction, Math owner) {
        Var acc = null;
        Var prev = arg(n, 0, args, reaction, owner);
        for (int i = 1; i < n.getChildCount(); i++) {
            Var next = arg(n, i, args, reaction, owner);
            Var holds = switch (n.getType()) {
                case RELATIONAL_GT -> prev.isGreaterThan(next).select(1, 0);
                case RELATIONAL_GEQ -> prev.isGreaterOrEqual(next).select(1, 0);
                case RELATIONAL_LT -> prev.isLessThan(next).select(1, 0);
                case RELATIONAL_LEQ -> prev.isLessOrEqual(next).select(1, 0);
                case RELATIONAL_EQ -> equal(prev, next);
                default -> not(equal(prev, next));
            };
            acc = acc == null ? holds : acc.times(holds);
            prev = next;
        }
        return acc == null ? tape.constant(1) : acc;
    }

    private Var equal(Var a, Var b) {
        return a.isGreaterOrEqual(b).select(b.isGreaterOrEqual(a).select(1, 0), tape.constant(0));
    }

    /** {@code piecewise}: the first piece whose condition holds, else {@code otherwise} (NaN when absent). */
    private Var piecewise(ASTNode n, Map<String, Var> args, String reaction, Math owner) {
        int count = n.getChildCount();
        int pieces = count / 2;
        Var result = count % 2 == 1 ? arg(n, count - 1, args, reaction, owner) : tape.constant(Double.NaN);
        for (int i = pieces - 1; i >= 0; i--) {
            Var value = arg(n, 2 * i, args, reaction, owner);
            Var condition = arg(n, 2 * i + 1, args, reaction, owner);
            result = holds(n.getChild(2 * i + 1), condition).select(value, result);
        }
        return result;
    }

    static List<String> argumentsOf(org.sbml.jsbml.FunctionDefinition f) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < f.getArgumentCount(); i++) names.add(f.getArgument(i).getName());
        return names;
    }
}
