package org.sundials4j.sbml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sbml.jsbml.ASTNode;
import org.sbml.jsbml.Event;
import org.sbml.jsbml.Model;
import org.sbml.jsbml.Parameter;
import org.sbml.jsbml.RateRule;
import org.sbml.jsbml.SBMLDocument;
import org.sbml.jsbml.SBMLWriter;
import org.sundials4j.ode.SensitivityMethod;
import org.sundials4j.ode.SensitivityOptions;
import org.sundials4j.ode.SolverOptions;

/**
 * SBML Level 3 event semantics ({@link SbmlEvents}) on small models written here with JSBML, each
 * checked against its closed form: delayed execution with values from trigger time or from
 * execution time, persistence cancelling a pending execution, many executions of one event pending
 * at once, priorities evaluated when the next event is chosen, firing at {@code t0}, and the errors
 * a model can provoke. Then gradients through delayed events whose trigger times, delays and
 * trigger-time values all depend on the parameters: forward, adjoint and fourth-order central
 * differences agree to 1e-6.
 */
class SbmlEventsTest {
    private static final SolverOptions OPTIONS = SolverOptions.defaults().withTolerances(1e-10, 1e-12);
    private static final SolverOptions TIGHT = SolverOptions.defaults().withTolerances(1e-12, 1e-16).withMaxSteps(1_000_000);

    /** A model of parameters: {@code values} as {@code id=value} pairs, rate rules as {@code id'=formula}. */
    private static final class Builder {
        final SBMLDocument doc = new SBMLDocument(3, 2);
        final Model m = doc.createModel("events");

        Builder parameter(String id, double value) {
            Parameter p = m.createParameter(id);
            p.setValue(value);
            p.setConstant(false);
            return this;
        }

        Builder rate(String id, String formula) {
            RateRule r = m.createRateRule();
            r.setVariable(id);
            r.setMath(math(formula));
            return this;
        }

        /** An event; {@code delay} and {@code priority} may be null, assignments are {@code id, formula} pairs. */
        Builder event(String id, String trigger, boolean initialValue, boolean persistent, String delay, String priority,
                      boolean fromTriggerTime, String... assignments) {
            Event e = m.createEvent(id);
            e.setUseValuesFromTriggerTime(fromTriggerTime);
            e.createTrigger(initialValue, persistent, math(trigger));
            if (delay != null) e.createDelay(math(delay));
            if (priority != null) e.createPriority(math(priority));
            for (int i = 0; i < assignments.length; i += 2) e.createEventAssignment(assignments[i], math(assignments[i + 1]));
            return this;
        }

        SbmlModel build() {
            try {
                return SbmlImporter.fromString(new SBMLWriter().writeSBMLToString(doc));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        private static ASTNode math(String formula) {
            try {
                return ASTNode.parseFormula(formula);
            } catch (Exception e) {
                throw new AssertionError(formula, e);
            }
        }
    }

    private static double at(SbmlModel model, String id, double t, double... grid) {
        double[] times = new double[grid.length + 1];
        System.arraycopy(grid, 0, times, 0, grid.length);
        times[grid.length] = t;
        java.util.Arrays.sort(times);
        TimeCourse tc = model.simulate(times, List.of(Variable.value(id)), OPTIONS);
        for (int k = 0; k < times.length; k++) if (times[k] == t) return tc.values()[k][0];
        throw new AssertionError();
    }

    /** x' = -x/2 from 1; at clock = 1 the event is triggered, 2 later y := x. */
    private static SbmlModel decayWithDelayedCopy(boolean fromTriggerTime) {
        return new Builder().parameter("clock", 0).rate("clock", "1").parameter("x", 1).rate("x", "-0.5*x").parameter("y", 0)
                .event("copy", "clock >= 1", true, true, "2", null, fromTriggerTime, "y", "x").build();
    }

    @Test
    void delayedExecutionUsesValuesFromTriggerTimeOrFromExecutionTime() {
        SbmlModel atTrigger = decayWithDelayedCopy(true), atExecution = decayWithDelayedCopy(false);
        assertEquals(0, at(atTrigger, "y", 2.9, 0), 0, "nothing before t* + delay = 3");
        assertEquals(Math.exp(-0.5), at(atTrigger, "y", 4, 0), 1e-8, "x(1), the trigger time's value");
        assertEquals(Math.exp(-1.5), at(atExecution, "y", 4, 0), 1e-8, "x(3), the execution time's value");
        assertEquals(Math.exp(-2), at(atTrigger, "x", 4, 0), 1e-8, "x is not assigned");
    }

    /** Trigger true on [1, 1.5): a non-persistent event's execution pending at 2 is cancelled at 1.5. */
    private static SbmlModel window(boolean persistent) {
        return new Builder().parameter("clock", 0).rate("clock", "1").parameter("y", 0)
                .event("E", "clock >= 1 && clock < 1.5", true, persistent, "1", null, true, "y", "clock + 10").build();
    }

    @Test
    void persistenceDecidesWhetherAPendingExecutionSurvivesItsTriggerTurningFalse() {
        assertEquals(11, at(window(true), "y", 2.5, 0), 1e-9, "executed at 2 with clock(1) + 10");
        assertEquals(0, at(window(false), "y", 2.5, 0), 0, "cancelled at 1.5");
    }

    @Test
    void manyExecutionsOfOneEventPendAtOnce() {
        // `reset` every 0.1 (p back to 0); `count` triggered at each p = 0.05 and executed 1 later, so
        // ten executions are pending at any time: more than the first layout's slots (it grows)
        SbmlModel model = new Builder().parameter("p", 0).rate("p", "1").parameter("count", 0)
                .event("reset", "p >= 0.1", true, true, null, null, true, "p", "0")
                .event("tick", "p >= 0.05", true, true, "1", null, false, "count", "count + 1").build();
        // triggers at 0.05 + 0.1 j, executions at 1.05 + 0.1 j
        assertEquals(0, at(model, "count", 1.0, 0), 0);
        assertEquals(10, at(model, "count", 2.0, 0), 0, "1.05 .. 1.95");
        assertEquals(20, at(model, "count", 3.0, 0), 0, "1.05 .. 2.95");
    }

    @Test
    void prioritiesAreEvaluatedWhenTheNextEventIsChosen() {
        // At clock = 1 three events are due. `first` (priority 10) sets q = 0.1; then `a` has priority
        // q = 0.1 and `b` 1 - q = 0.9: b executes before a, so a's z := 1 is the last word. Had the
        // priorities been taken at trigger time (q = 0.8), a would go first and z would end at 2.
        SbmlModel model = new Builder().parameter("clock", 0).rate("clock", "1").parameter("q", 0.8).parameter("z", 0)
                .event("first", "clock >= 1", true, true, null, "10", true, "q", "0.1")
                .event("a", "clock >= 1", true, true, null, "q", true, "z", "1")
                .event("b", "clock >= 1", true, true, null, "1 - q", true, "z", "2").build();
        assertEquals(1, at(model, "z", 1.5, 0), 0);
        assertEquals(0.1, at(model, "q", 1.5, 0), 0);
    }

    @Test
    void aCascadeAtOneInstantRunsUntilNoEventIsDue() {
        // at clock = 1 `start` sets n = 1; then `ping` (m := n) and `pong` (n := n + 1 while m < 5)
        // make each other's trigger turn true in turn, all at that one instant, until m = n = 5
        SbmlModel model = new Builder().parameter("clock", 0).rate("clock", "1").parameter("n", 0).parameter("m", 0)
                .event("start", "clock >= 1", true, true, null, null, true, "n", "1")
                .event("ping", "n > m", true, true, null, null, true, "m", "n")
                .event("pong", "m >= n && m < 5", true, true, null, null, true, "n", "n + 1").build();
        assertEquals(0, at(model, "m", 0.5, 0), 0);
        assertEquals(5, at(model, "m", 1.5, 0), 0);
        assertEquals(5, at(model, "n", 1.5, 0), 0);
    }

    @Test
    void equalityTriggersOnQuantitiesThatChangeAtEvents() {
        // `tick` every 0.5 (clock back to 0, n := n + 1); `third` when n == 3 (at 1.5), `other` when
        // n != 3 turns true again (at 2.0), `odd` when xor(n >= 1, n >= 2) (n == 1: at 0.5)
        SbmlModel model = new Builder().parameter("clock", 0).rate("clock", "1").parameter("n", 0)
                .parameter("third", 0).parameter("other", 0).parameter("odd", 0)
                .event("tick", "clock >= 0.5", true, true, null, null, true, "clock", "0", "n", "n + 1")
                .event("eq", "n == 3", true, true, null, null, true, "third", "third + 1")
                .event("neq", "n != 3", true, true, null, null, true, "other", "other + 1")
                .event("xor", "xor(n >= 1, n >= 2)", true, true, null, null, true, "odd", "odd + 1").build();
        assertEquals(1, at(model, "third", 3.2, 0), 0, "n == 3 once");
        assertEquals(0, at(model, "other", 1.9, 0), 0, "n != 3 held from the start (initialValue true)");
        assertEquals(1, at(model, "other", 2.2, 0), 0, "n != 3 again at 2.0");
        assertEquals(0, at(model, "odd", 0.4, 0), 0);
        assertEquals(1, at(model, "odd", 3.2, 0), 0, "n == 1 only on [0.5, 1)");
    }

    @Test
    void anEventWhoseTriggerHoldsAtT0FiresThereOnlyWithInitialValueFalse() {
        for (boolean initialValue : new boolean[] {false, true}) {
            SbmlModel model = new Builder().parameter("x", 3).parameter("y", 0)
                    .event("E", "x > 2", initialValue, true, "0.5", null, true, "y", "x + 1").build();
            assertEquals(initialValue ? 0 : 4, at(model, "y", 1, 0), 0, "initialValue " + initialValue);
            assertEquals(0, at(model, "y", 0.25, 0), 0, "executed at 0.5, not before");
        }
    }

    @Test
    void aNegativeDelayIsAnErrorNamingTheEvent() {
        SbmlModel bad = new Builder().parameter("clock", 0).rate("clock", "1").parameter("y", 0)
                .event("late", "clock >= 2", true, true, "1 - clock", null, true, "y", "1").build();
        SbmlException e = assertThrows(SbmlException.class, () -> at(bad, "y", 3, 0));
        assertEquals("late", e.id());
        assertTrue(e.getMessage().contains("delay is -"), e.getMessage());
    }

    @Test
    void aCascadeWithoutEndIsAnErrorNamingAnEvent() {
        SbmlModel model = new Builder().parameter("a", 1)
                .event("down", "a > 0.5", false, true, null, null, true, "a", "0")
                .event("up", "a < 0.5", true, true, null, null, true, "a", "1").build();
        SbmlException e = assertThrows(SbmlException.class, () -> at(model, "a", 1, 0));
        assertTrue(e.id().equals("down") || e.id().equals("up"), e.getMessage());
        assertTrue(e.getMessage().contains("without time advancing"), e.getMessage());
    }

    /**
     * x' = -k x, z' = -m z. When x falls below thr, {@code bump} is triggered: {@code d·z} later
     * (delay from the state at the trigger), x := x + a·z with z at trigger time; {@code halve}
     * (same trigger, values at execution time) sets z := z/2 + x after {@code d2}. Every event time
     * moves with k, thr and x0, every delay with d, d2, m and z0.
     */
    @Test
    void gradientsThroughDelayedEventsAgreeWithCentralDifferences() {
        SbmlModel model = new Builder().parameter("k", 0.8).parameter("m", 0.3).parameter("thr", 0.5).parameter("a", 0.6)
                .parameter("d", 0.4).parameter("d2", 0.7).parameter("x", 1.2).parameter("z", 2)
                .rate("x", "-k*x").rate("z", "-m*z")
                .event("bump", "x < thr", true, true, "d*z", null, true, "x", "x + a*z")
                .event("halve", "x < thr", true, true, "d2", null, false, "z", "z/2 + x").build();
        // keep these constant: only x and z move
        double[] times = new double[25];
        for (int k = 0; k < times.length; k++) times[k] = 0.25 * k;
        List<Variable> vars = List.of(Variable.value("x"), Variable.value("z"));
        double[] p = model.declaredValues();
        TimeCourse reference = model.simulate(times, p, vars, TIGHT);
        assertTrue(reference.events().size() >= 4, "the events fire: " + reference.events());
        double[][] data = new double[times.length][2];
        for (int k = 0; k < times.length; k++)
            for (int j = 0; j < 2; j++) data[k][j] = reference.values()[k][j] * (1 + 0.1 * Math.sin(k + 3 * j));
        // outputs near an event: the loss jumps there as the event time moves (see GradientTest)
        for (org.sundials4j.ode.EventRecord ev : reference.events())
            for (int k = 0; k < times.length; k++)
                if (Math.abs(times[k] - ev.time()) < 0.05) java.util.Arrays.fill(data[k], Double.NaN);
        List<String> wrt = new ArrayList<>(List.of("k", "m", "thr", "a", "d", "d2", "x", "z"));
        SensitivityOptions sens = SensitivityOptions.defaults().withBackwardTolerances(1e-12, 1e-16)
                .withQuadratureTolerances(1e-12, 1e-16);
        LossGradient fwd = model.lossGradient(times, p, vars, data, wrt, TIGHT, sens.withMethod(SensitivityMethod.FORWARD));
        LossGradient adj = model.lossGradient(times, p, vars, data, wrt, TIGHT, sens.withMethod(SensitivityMethod.ADJOINT));
        double[] fd = GradientTest.centralDifferences(model, times, p, vars, data, wrt);
        double norm = 0;
        for (double g : fd) norm += g * g;
        norm = Math.sqrt(norm);
        double fwdFd = 0, adjFd = 0;
        for (int j = 0; j < wrt.size(); j++) {
            fwdFd = Math.max(fwdFd, Math.abs(fwd.gradient()[j] - fd[j]) / norm);
            adjFd = Math.max(adjFd, Math.abs(adj.gradient()[j] - fd[j]) / norm);
        }
        System.out.printf("delayed events: %d event rounds; largest difference / |gradient|: forward-fd %.2e, adjoint-fd %.2e%n",
                reference.events().size(), fwdFd, adjFd);
        for (int j = 0; j < wrt.size(); j++) {
            String what = "dL/d" + wrt.get(j) + ": forward " + fwd.gradient()[j] + ", adjoint " + adj.gradient()[j]
                    + ", central differences " + fd[j];
            assertTrue(Math.abs(fd[j]) > 1e-4 * norm, "every parameter matters: " + what);
            assertEquals(fd[j], fwd.gradient()[j], 1e-6 * norm, what);
            assertEquals(fd[j], adj.gradient()[j], 1e-6 * norm, what);
            assertEquals(fwd.gradient()[j], adj.gradient()[j], 1e-6 * norm, what);
        }
    }
}
