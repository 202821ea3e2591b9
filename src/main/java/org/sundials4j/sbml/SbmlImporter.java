package org.sundials4j.sbml;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLStreamException;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.sbml.jsbml.ASTNode;
import org.sbml.jsbml.AlgebraicRule;
import org.sbml.jsbml.AssignmentRule;
import org.sbml.jsbml.Compartment;
import org.sbml.jsbml.Event;
import org.sbml.jsbml.FunctionDefinition;
import org.sbml.jsbml.InitialAssignment;
import org.sbml.jsbml.KineticLaw;
import org.sbml.jsbml.LocalParameter;
import org.sbml.jsbml.Model;
import org.sbml.jsbml.Parameter;
import org.sbml.jsbml.RateRule;
import org.sbml.jsbml.Reaction;
import org.sbml.jsbml.Rule;
import org.sbml.jsbml.SBMLDocument;
import org.sbml.jsbml.SBMLReader;
import org.sbml.jsbml.Species;
import org.sbml.jsbml.SpeciesReference;
import org.sundials4j.sbml.ModelStructure.Kind;
import org.sundials4j.sbml.ModelStructure.Math;
import org.sundials4j.sbml.ModelStructure.Participant;
import org.sundials4j.sbml.ModelStructure.Symbol;

/**
 * Reads SBML (Level 2 and 3 core) with JSBML and turns it into a {@link SbmlModel}. Everything this
 * importer cannot simulate faithfully is refused here, with an {@link UnsupportedSbmlException} naming
 * the element and its id, before any tape is recorded.
 *
 * <pre>{@code
 * SbmlModel model = SbmlImporter.read(Path.of("model.xml"));
 * TimeCourse tc = model.simulate(0, 10, 100, model.defaultVariables(), SolverOptions.defaults());
 * }</pre>
 */
public final class SbmlImporter {
    /** SBML packages that change the model's meaning; any other package is refused only when marked required. */
    private static final List<String> REFUSED_PACKAGES = List.of("comp", "fbc", "arrays", "distrib", "multi", "spatial", "qual", "dyn");

    static {
        // JSBML logs a warning for every unknown package element; what matters is refused with an exception.
        Configurator.setLevel("org.sbml.jsbml", Level.ERROR);
    }

    private SbmlImporter() { }

    /** Reads and imports an SBML file. */
    public static SbmlModel read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new SbmlException("sbml", file.toString(), "cannot read the file: " + e.getMessage(), e);
        }
    }

    /** Imports an SBML document given as a string. */
    public static SbmlModel fromString(String xml) {
        return read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "<string>");
    }

    private static SbmlModel read(InputStream in, String source) {
        SBMLDocument doc;
        try {
            doc = new SBMLReader().readSBMLFromStream(in);
        } catch (XMLStreamException | RuntimeException e) {
            throw new SbmlException("sbml", source, "not a readable SBML document: " + e.getMessage(), e);
        }
        if (doc == null || doc.getModel() == null) throw new SbmlException("sbml", source, "the document has no model");
        return new SbmlModel(structure(doc));
    }

    static ModelStructure structure(SBMLDocument doc) {
        Model model = doc.getModel();
        String modelId = model.isSetId() ? model.getId() : "";
        refusePackages(doc, modelId);
        ModelStructure m = new ModelStructure(modelId);
        for (FunctionDefinition f : model.getListOfFunctionDefinitions()) {
            if (f.getBody() == null) continue; // calling it is an error, defining it is not
            m.functions.put(f.getId(), new ModelStructure.Lambda(f.getId(), Evaluator.argumentsOf(f), f.getBody()));
        }
        for (Compartment c : model.getListOfCompartments()) {
            Symbol s = m.add(new Symbol(c.getId(), Kind.COMPARTMENT, null));
            if (c.isSetSize()) declare(s, c.getSize());
            else if (doc.getLevel() < 3) declare(s, 1); // Level 1 and 2 default size
            if (c.isSetSpatialDimensions()) s.spatialDimensions = c.getSpatialDimensions();
            s.constant = c.getConstant();
        }
        for (Species sp : model.getListOfSpecies()) {
            Symbol s = m.add(new Symbol(sp.getId(), Kind.SPECIES, null));
            if (sp.isSetInitialAmount()) declare(s, sp.getInitialAmount());
            else if (sp.isSetInitialConcentration()) {
                declare(s, sp.getInitialConcentration());
                s.declaredAsConcentration = true;
            }
            s.hasOnlySubstanceUnits = sp.getHasOnlySubstanceUnits();
            s.boundary = sp.getBoundaryCondition();
            s.constant = sp.getConstant();
            s.compartment = sp.getCompartment();
            if (sp.isSetConversionFactor()) s.conversionFactor = sp.getConversionFactor();
            if (!m.globals.containsKey(s.compartment))
                throw new SbmlException("species", sp.getId(), "its compartment '" + s.compartment + "' does not exist");
        }
        for (Parameter p : model.getListOfParameters()) {
            Symbol s = m.add(new Symbol(p.getId(), Kind.PARAMETER, null));
            if (p.isSetValue()) declare(s, p.getValue());
            s.constant = p.getConstant();
        }
        if (model.isSetConversionFactor()) m.modelConversionFactor = model.getConversionFactor();
        for (Reaction r : model.getListOfReactions()) reaction(m, r);
        for (Rule rule : model.getListOfRules()) rule(m, rule);
        for (InitialAssignment ia : model.getListOfInitialAssignments()) {
            Symbol s = target(m, ia.getVariable(), "initialAssignment");
            if (ia.getMath() != null) s.initial = math(ia.getMath(), "initialAssignment", ia.getVariable());
        }
        for (Event e : model.getListOfEvents()) event(m, e, e.isSetId() ? e.getId() : "#" + model.getListOfEvents().indexOf(e));
        m.classify();
        scanMath(m, model);
        return m;
    }

    /**
     * An event (semantics: {@link SbmlEvents}). Its trigger's relations become root functions;
     * delay and priority are any math, evaluated when the event is triggered (delay) or chosen
     * (priority).
     */
    private static void event(ModelStructure m, Event e, String id) {
        if (!e.isSetTrigger() || e.getTrigger().getMath() == null) return; // L3v2: a trigger without math never fires
        Math priority = e.isSetPriority() && e.getPriority().getMath() != null ? math(e.getPriority().getMath(), "priority", id) : null;
        Math delay = e.isSetDelay() && e.getDelay().getMath() != null ? math(e.getDelay().getMath(), "delay", id) : null;
        List<ModelStructure.Assignment> assignments = new ArrayList<>();
        for (org.sbml.jsbml.EventAssignment a : e.getListOfEventAssignments()) {
            if (a.getMath() == null) continue;
            Symbol target = target(m, a.getVariable(), "eventAssignment");
            if (target.assignment != null)
                throw new SbmlException("eventAssignment", a.getVariable(), "assigns a variable that an assignment rule defines");
            assignments.add(new ModelStructure.Assignment(a.getVariable(), math(a.getMath(), "eventAssignment", a.getVariable())));
        }
        boolean initialValue = !e.getTrigger().isSetInitialValue() || e.getTrigger().getInitialValue();
        boolean persistent = !e.getTrigger().isSetPersistent() || e.getTrigger().getPersistent();
        // L2 has no attribute and means true
        boolean fromTrigger = !e.isSetUseValuesFromTriggerTime() || e.getUseValuesFromTriggerTime();
        Math trigger = math(inline(e.getTrigger().getMath().clone(), m), "trigger", id);
        Evaluator.checkTrigger(trigger.node(), trigger);
        m.events.add(new ModelStructure.EventDef(id, trigger, initialValue, persistent, priority, delay, fromTrigger, assignments));
    }

    /**
     * {@code n} (a copy, changed in place) with every call of a function definition replaced by the
     * function's body, its arguments substituted: a trigger's relations must be visible to be root
     * functions.
     */
    private static ASTNode inline(ASTNode n, ModelStructure m) {
        if (n.getType() == ASTNode.Type.FUNCTION && m.functions.containsKey(n.getName())) {
            ModelStructure.Lambda f = m.functions.get(n.getName());
            if (f.arguments().size() != n.getChildCount())
                throw new SbmlException("functionDefinition", f.id(), "is called with " + n.getChildCount() + " arguments, it takes "
                        + f.arguments().size());
            Map<String, ASTNode> args = new java.util.HashMap<>();
            for (int i = 0; i < n.getChildCount(); i++) args.put(f.arguments().get(i), inline(n.getChild(i), m));
            return inline(substitute(f.body().clone(), args), m);
        }
        for (int i = 0; i < n.getChildCount(); i++) n.replaceChild(i, inline(n.getChild(i), m));
        return n;
    }

    /** {@code n} (changed in place) with each name in {@code args} replaced by a copy of its argument. */
    private static ASTNode substitute(ASTNode n, Map<String, ASTNode> args) {
        if (n.getType() == ASTNode.Type.NAME && args.containsKey(n.getName())) return args.get(n.getName()).clone();
        for (int i = 0; i < n.getChildCount(); i++) n.replaceChild(i, substitute(n.getChild(i), args));
        return n;
    }

    private static void declare(Symbol s, double value) {
        s.declared = value;
        s.declaredSet = true;
    }

    private static void refusePackages(SBMLDocument doc, String modelId) {
        Map<String, String> ns = doc.getDeclaredNamespaces();
        Map<String, String> attrs = doc.getSBMLDocumentAttributes();
        for (Map.Entry<String, String> e : ns.entrySet()) {
            String uri = e.getValue();
            String prefix = e.getKey().startsWith("xmlns:") ? e.getKey().substring(6) : null;
            if (prefix == null || !uri.matches("http://www\\.sbml\\.org/sbml/level3/version\\d+/[^/]+/version\\d+")) continue;
            String pkg = uri.split("/")[6];
            boolean required = "true".equals(attrs.get(prefix + ":required"));
            if (REFUSED_PACKAGES.contains(pkg) || required)
                throw new UnsupportedSbmlException("SBML package '" + pkg + "'", "sbml", modelId, "namespace " + uri);
        }
    }

    private static void reaction(ModelStructure m, Reaction r) {
        if (r.isSetFast() && r.getFast())
            throw new UnsupportedSbmlException("fast reaction", "reaction", r.getId(), "fast=\"true\"");
        List<Participant> participants = new ArrayList<>();
        for (SpeciesReference ref : r.getListOfReactants()) participants.add(participant(m, r, ref, -1));
        for (SpeciesReference ref : r.getListOfProducts()) participants.add(participant(m, r, ref, +1));
        KineticLaw law = r.getKineticLaw();
        Math rate = law == null || law.getMath() == null ? null : math(law.getMath(), "kineticLaw", r.getId());
        if (law != null)
            for (LocalParameter lp : law.getListOfLocalParameters()) {
                Symbol s = m.add(new Symbol(lp.getId(), Kind.LOCAL_PARAMETER, r.getId()));
                if (lp.isSetValue()) declare(s, lp.getValue());
                s.constant = true;
            }
        if (m.reactions.putIfAbsent(r.getId(), new ModelStructure.Reaction(r.getId(), rate, participants)) != null
                || m.globals.containsKey(r.getId()))
            throw new SbmlException("reaction", r.getId(), "the id is used twice");
    }

    private static Participant participant(ModelStructure m, Reaction r, SpeciesReference ref, double sign) {
        Symbol species = m.globals.get(ref.getSpecies());
        if (species == null || !species.isSpecies())
            throw new SbmlException("speciesReference", r.getId(), "refers to the unknown species '" + ref.getSpecies() + "'");
        double stoichiometry = ref.isSetStoichiometry() ? ref.getStoichiometry() : 1;
        if (ref.isSetStoichiometryMath())
            return new Participant(species.id, sign, null,
                    math(ref.getStoichiometryMath().getMath(), "stoichiometryMath", r.getId()), stoichiometry);
        if (ref.isSetId()) {
            Symbol s = m.add(new Symbol(ref.getId(), Kind.SPECIES_REFERENCE, null));
            if (ref.isSetStoichiometry()) declare(s, ref.getStoichiometry());
            s.constant = ref.getConstant();
            return new Participant(species.id, sign, ref.getId(), null, stoichiometry);
        }
        return new Participant(species.id, sign, null, null, stoichiometry);
    }

    private static void rule(ModelStructure m, Rule rule) {
        if (rule.getMath() == null) return; // SBML L3v2: a rule without math has no effect
        if (rule instanceof AlgebraicRule) {
            String id = rule.isSetId() ? rule.getId() : rule.isSetMetaId() ? rule.getMetaId()
                    : "#" + rule.getModel().getListOfRules().indexOf(rule);
            throw new UnsupportedSbmlException("algebraicRule", "algebraicRule", id, "a DAE, not an ODE");
        }
        if (rule instanceof AssignmentRule a) {
            Symbol s = target(m, a.getVariable(), "assignmentRule");
            s.assignment = math(a.getMath(), "assignmentRule", a.getVariable());
        } else if (rule instanceof RateRule rr) {
            Symbol s = target(m, rr.getVariable(), "rateRule");
            s.rate = math(rr.getMath(), "rateRule", rr.getVariable());
        }
    }

    private static Symbol target(ModelStructure m, String id, String element) {
        Symbol s = m.globals.get(id);
        if (s == null) throw new SbmlException(element, id, "its variable does not exist");
        return s;
    }

    private static Math math(ASTNode node, String element, String id) {
        if (node == null) throw new SbmlException(element, id, "has no math");
        return new Math(node, element, id);
    }

    /** Refuses, at import, math that the evaluator would refuse only when it meets it. */
    private static void scanMath(ModelStructure m, Model model) {
        List<Math> all = new ArrayList<>();
        for (Symbol s : m.globals.values())
            for (Math x : new Math[] {s.assignment, s.rate, s.initial}) if (x != null) all.add(x);
        for (ModelStructure.Reaction r : m.reactions.values()) {
            if (r.kineticLaw() != null) all.add(r.kineticLaw());
            for (Participant p : r.participants()) if (p.stoichiometryMath() != null) all.add(p.stoichiometryMath());
        }
        for (ModelStructure.Lambda f : m.functions.values()) all.add(new Math(f.body(), "functionDefinition", f.id()));
        for (ModelStructure.EventDef e : m.events) {
            all.add(e.trigger());
            if (e.priority() != null) all.add(e.priority());
            if (e.delay() != null) all.add(e.delay());
            for (ModelStructure.Assignment a : e.assignments()) all.add(a.math());
        }
        for (Math x : all) scan(m, x.node(), x);
    }

    private static void scan(ModelStructure m, ASTNode n, Math owner) {
        switch (n.getType()) {
            case FUNCTION_DELAY -> throw new UnsupportedSbmlException("csymbol delay", owner.element(), owner.id(), null);
            case FUNCTION_RATE_OF -> {
                ASTNode a = n.getChildCount() == 1 ? n.getChild(0) : null;
                if (a == null || a.getType() != ASTNode.Type.NAME)
                    throw new UnsupportedSbmlException("csymbol rateOf", owner.element(), owner.id(), "of an expression, not an id");
                Symbol s = m.globals.get(a.getName());
                if (s != null && s.assignment != null)
                    throw new UnsupportedSbmlException("csymbol rateOf", owner.element(), owner.id(),
                            "of '" + s.id + "', which an assignment rule defines");
            }
            case SUM, PRODUCT, QUALIFIER_BVAR, QUALIFIER_DEGREE, FUNCTION_SELECTOR, VECTOR, FUNCTION_CSYMBOL, SEMANTICS, UNKNOWN ->
                    throw new UnsupportedSbmlException("MathML " + n.getType(), owner.element(), owner.id(), null);
            default -> { }
        }
        for (int i = 0; i < n.getChildCount(); i++) scan(m, n.getChild(i), owner);
    }
}
