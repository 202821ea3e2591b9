package org.sundials4j.sbml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sbml.jsbml.ASTNode;

/**
 * What an imported model is made of, after classification and before any tape is recorded: every
 * symbol with its declared value, its rules, and the slot it takes. Three vectors come out of it:
 * <ul>
 *   <li>{@code p}, the <em>declared</em> values (every global and local parameter, compartment size,
 *       species initial amount or concentration as written, species-reference stoichiometry): the
 *       inputs a user may differentiate with respect to;</li>
 *   <li>{@code y}, the <em>states</em>: species changed by reactions (as amounts), and anything with a
 *       rate rule (as the value the rule is written for);</li>
 *   <li>{@code q}, the <em>constants</em> of the integration: every other symbol that is not an
 *       assignment-rule target, its value after the initial assignments (species as amounts).</li>
 * </ul>
 * {@code (y0, q) = init(p)} is a tape function, so gradients with respect to {@code p} follow the
 * initial assignments by the chain rule.
 */
final class ModelStructure {
    enum Kind { PARAMETER, COMPARTMENT, SPECIES, SPECIES_REFERENCE, LOCAL_PARAMETER }

    /** A piece of math and the element that holds it (named in errors). */
    record Math(ASTNode node, String element, String id) { }

    /** A reactant or product term: the species, the sign, and where its stoichiometry comes from. */
    record Participant(String species, double sign, String referenceId, Math stoichiometryMath, double stoichiometry) { }

    record Reaction(String id, Math kineticLaw, List<Participant> participants) { }

    record Lambda(String id, List<String> arguments, ASTNode body) { }

    /** {@code variable := math} when an event fires. */
    record Assignment(String variable, Math math) { }

    /**
     * An event: it is triggered when its trigger turns true (and at {@code t0} when the trigger holds
     * there and {@code initialValue} is false), and executes {@code delay} later (null: at once, in
     * the same instant), with assignment values computed when it was triggered or when it executes
     * ({@code useValuesFromTriggerTime}). {@code priority} (null: none, the lowest) is evaluated when
     * the next of the events due at one instant is chosen; a non-persistent event is dropped when
     * its trigger turns false before it executes. The semantics are {@link SbmlEvents}'.
     */
    record EventDef(String id, Math trigger, boolean initialValue, boolean persistent, Math priority, Math delay,
                    boolean useValuesFromTriggerTime, List<Assignment> assignments) { }

    static final class Symbol {
        final String id;
        final Kind kind;
        /** For local parameters, the reaction they belong to. */
        final String reaction;
        double declared = Double.NaN;
        boolean declaredSet;
        // species only
        boolean declaredAsConcentration;
        boolean hasOnlySubstanceUnits;
        boolean boundary;
        String compartment;
        String conversionFactor;
        // compartments only
        double spatialDimensions = 3;
        boolean constant;
        Math assignment, rate, initial;
        int declaredIndex = -1, stateIndex = -1, constantIndex = -1;
        /** States of species changed by reactions hold amounts; other states hold the value itself. */
        boolean stateIsAmount;

        Symbol(String id, Kind kind, String reaction) {
            this.id = id;
            this.kind = kind;
            this.reaction = reaction;
        }

        /** How a user names it: the id, or {@code reaction.local} for a local parameter. */
        String qualifiedId() {
            return reaction == null ? id : reaction + "." + id;
        }

        boolean isSpecies() {
            return kind == Kind.SPECIES;
        }
    }

    final String modelId;
    final Map<String, Symbol> globals = new LinkedHashMap<>();
    final Map<String, Map<String, Symbol>> locals = new LinkedHashMap<>();
    final Map<String, Reaction> reactions = new LinkedHashMap<>();
    final Map<String, Lambda> functions = new LinkedHashMap<>();
    final List<Symbol> declared = new ArrayList<>();
    final List<Symbol> states = new ArrayList<>();
    final List<Symbol> constants = new ArrayList<>();
    final List<EventDef> events = new ArrayList<>();
    String modelConversionFactor;

    ModelStructure(String modelId) {
        this.modelId = modelId;
    }

    Symbol add(Symbol s) {
        if (s.reaction == null) {
            if (globals.putIfAbsent(s.id, s) != null)
                throw new SbmlException(s.kind.name().toLowerCase(), s.id, "the id is used twice");
        } else {
            locals.computeIfAbsent(s.reaction, r -> new LinkedHashMap<>()).put(s.id, s);
        }
        return s;
    }

    Symbol local(String reaction, String id) {
        Map<String, Symbol> m = locals.get(reaction);
        return m == null ? null : m.get(id);
    }

    List<Symbol> localsOf(String reaction) {
        Map<String, Symbol> m = locals.get(reaction);
        return m == null ? Collections.emptyList() : new ArrayList<>(m.values());
    }

    /**
     * Gives every symbol its slots: declared index (all symbols), then a state or a constant slot
     * (assignment-rule targets get neither: they are recomputed wherever they are read).
     */
    void classify() {
        java.util.Set<String> changedByReactions = new java.util.HashSet<>();
        for (Reaction r : reactions.values())
            for (Participant pt : r.participants()) changedByReactions.add(pt.species());
        // what events assign changes in time, so it is a state (with derivative 0 between events)
        java.util.Set<String> assignedByEvents = new java.util.HashSet<>();
        for (EventDef e : events) for (Assignment a : e.assignments()) assignedByEvents.add(a.variable());
        List<Symbol> all = new ArrayList<>(globals.values());
        for (Map<String, Symbol> m : locals.values()) all.addAll(m.values());
        for (Symbol s : all) {
            s.declaredIndex = declared.size();
            declared.add(s);
            if (s.assignment != null) continue;
            if (s.reaction != null) { // a local parameter is a constant, whatever global shares its id
                if (s.declaredSet) {
                    s.constantIndex = constants.size();
                    constants.add(s);
                }
            } else if (s.rate != null) {
                s.stateIndex = states.size();
                states.add(s);
            } else if (s.isSpecies() && (!s.boundary && !s.constant && changedByReactions.contains(s.id)
                    || assignedByEvents.contains(s.id))) {
                s.stateIndex = states.size();
                s.stateIsAmount = true;
                states.add(s);
            } else if (assignedByEvents.contains(s.id)) {
                s.stateIndex = states.size();
                states.add(s);
            } else if (s.declaredSet || s.initial != null) {
                s.constantIndex = constants.size();
                constants.add(s);
            }
        }
    }

    double[] declaredValues() {
        double[] p = new double[declared.size()];
        for (int i = 0; i < p.length; i++) p[i] = declared.get(i).declared;
        return p;
    }
}
