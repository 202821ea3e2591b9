package org.sundials4j.problems;

import java.util.List;
import org.sundials4j.ode.Event;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.Var;

/**
 * Oral dosing with a state-triggered rescue dose: a one-compartment model with first-order
 * absorption, {@code A_gut' = -ka A_gut}, {@code A_c' = ka A_gut - (CL/V) A_c}, {@code y = [A_gut, A_c]}
 * (mg), {@code p = [ka, CL, V, F]}. Scheduled doses of {@code F·100} into the gut at 0, 12, 24 and
 * 36 h (the one at 0 applies right after the initial state); a rescue dose of {@code F·50} each time
 * the concentration {@code C = A_c/V} falls through {@code c_min = 0.9} (a state-triggered,
 * parameter-dependent, state-updating event; near t = 9.95 and 35.77 h at the nominal parameters).
 */
public final class PkDosing {
    public static final String NAME = "pk-dosing";
    public static final double[] PARAMETERS = {1.2, 3.5, 25, 0.8};
    public static final double[] Y0 = {0, 0};
    public static final double[] DOSE_TIMES = {0, 12, 24, 36};
    public static final double DOSE = 100, RESCUE_DOSE = 50, C_MIN = 0.9, FINAL_TIME = 48;
    public static final double[] OUTPUT_TIMES = {1, 2, 4, 8, 11, 14, 20, 26, 32, 38, 44, 48};
    public static final double[] DATA = {1.5916, 2.0154, 1.8994, 1.2721, 0.9231, 3.7057, 2.2104, 3.1782, 1.8835, 3.0062,
            1.7931, 1.1687};
    public static final double RTOL = 1e-8, ATOL = 1e-10;

    private PkDosing() {
    }

    public static OdeDefinition definition() {
        return (tape, t, y, p) -> {
            Var absorbed = p.get(0).times(y.get(0));
            return new Var[] {absorbed.neg(), absorbed.minus(p.get(1).div(p.get(2)).times(y.get(1)))};
        };
    }

    /** The scheduled doses, then the rescue dose (simultaneous events apply in this order). */
    public static List<Event> events() {
        return events(2, 4, DOSE, DOSE_TIMES);
    }

    /**
     * Doses of F·{@code dose} into the gut at {@code doseTimes}, then the rescue dose, for a model of
     * {@code n} states and {@code np} parameters whose first two states and parameters are this
     * problem's (the fitting example's subjects differ only in their schedules).
     */
    public static List<Event> events(int n, int np, double dose, double[] doseTimes) {
        Event doses = TapeEvents.at("dose", doseTimes, n, np,
                (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(dose)), y.get(1)});
        Event rescue = TapeEvents.whenZero("rescue", n, np, (tape, t, y, p) -> y.get(1).div(p.get(2)).minus(C_MIN),
                Event.Direction.DOWN, (tape, t, y, p) -> new Var[] {y.get(0).plus(p.get(3).times(RESCUE_DOSE)), y.get(1)});
        return List.of(doses, rescue);
    }

    public static Problem problem() {
        return new Problem(NAME, PARAMETERS, Y0, OUTPUT_TIMES, RTOL, new double[] {ATOL}, definition(), events());
    }
}
