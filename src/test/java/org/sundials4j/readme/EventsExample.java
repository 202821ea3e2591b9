package org.sundials4j.readme;

// README:events
import org.sundials4j.ode.CvodesSolver;
import org.sundials4j.ode.DifferentiableOdeModel;
import org.sundials4j.ode.Event;
import org.sundials4j.ode.EventModel;
import org.sundials4j.ode.EventRecord;
import org.sundials4j.ode.Solution;
import org.sundials4j.ode.SolverOptions;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TapeOdeModel;
import org.sundials4j.tape.Var;

// README:end

/** README, "Events, doses and discontinuities": the pk-dosing problem's events on its right-hand side. */
final class EventsExample {
    private EventsExample() {}

    static Solution run(TapeOdeModel rhs, SolverOptions opts, double[] y0, double[] params, double[] times) {
        Solution result;
        // README:events
        // pk-dosing (org.sundials4j.problems.PkDosing): doses of F·100 at 0, 12, 24, 36 h and a rescue dose
        // of F·50 whenever the concentration A_c/V falls through 0.9
        Event doses = TapeEvents.at("dose", new double[] {0, 12, 24, 36}, 2, 4,
                (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(100)), y.get(1)});
        Event rescue = TapeEvents.whenZero("rescue", 2, 4, (tape, t, y, p) -> y.get(1).div(p.get(2)).minus(0.9),
                Event.Direction.DOWN, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(50)), y.get(1)});
        DifferentiableOdeModel pk = EventModel.of(rhs, doses, rescue);     // or override OdeModel.events()
        try (CvodesSolver solver = new CvodesSolver(pk, opts)) {
            Solution s = solver.solve(y0, params, times);
            for (EventRecord e : s.events()) System.out.println(e.name() + " at " + e.time());  // dose at 0.0, rescue at 9.95...
            // README:end
            result = s;
            // README:events
        }
        // README:end
        return result;
    }
}
