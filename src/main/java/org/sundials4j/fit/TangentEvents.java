package org.sundials4j.fit;

import java.util.ArrayList;
import java.util.List;
import org.sundials4j.ode.Event;
import org.sundials4j.tape.OdeDefinition;
import org.sundials4j.tape.Tape;
import org.sundials4j.tape.TapeEvents;
import org.sundials4j.tape.TriggerDefinition;
import org.sundials4j.tape.UpdateDefinition;
import org.sundials4j.tape.Var;
import org.sundials4j.tape.VarVector;

/**
 * The events of the tangent system {@code (y, s = (∂y/∂p) v)} of {@link SecondOrderAdjoint}, made from
 * a model's tape events.
 *
 * <p>Each event of the model becomes one event of the augmented model with the same trigger
 * ({@code G(t, y, s, p, v, u) = g(t, y, p)}: it fires at the same time) and the jump of the pair: {@code y}
 * jumps by the model's update {@code h}, and {@code s} by the forward-sensitivity jump of
 * {@code EventJumps} in direction {@code v},
 * <pre>
 *   scheduled:   s⁺ = h_y s⁻ + h_p v                                  (τ fixed)
 *   state event: s⁺ = h_y s⁻ + h_p v + (h_y f⁻ + h_t - f⁺) dτ,   dτ = -(g_y s⁻ + g_p v) / (g_t + g_y f⁻)
 * </pre>
 * with {@code f⁻ = f(τ, y⁻, p)}, {@code f⁺ = f(τ, h, p)}. Both are functions of {@code (τ, y⁻, s⁻, p, v)}
 * only, so the jump is an ordinary event update of the augmented model, written on the tape with
 * {@code g}'s and {@code h}'s derivatives as nested gradients (the tangent {@code J_h·(dτ, s⁻ + f⁻dτ, v)}
 * by the same two-gradient product as {@link SecondOrderAdjoint#tangentRhs}). For every {@code (p, v)}
 * the augmented solution's {@code s} is then exactly {@code (∂y/∂p) v}, and the first-order machinery's
 * exact gradient of the augmented objective, event-time terms included (the augmented trigger's
 * {@code G_p = g_p} moves τ with {@code p}; {@code H_t} holds the time dependence of {@code f^∓}, {@code g}'s
 * gradient and {@code h}), is {@code H v} through the events.
 *
 * <p>A pure root report ({@code h = id}, {@code f⁻ = f⁺}) leaves {@code s} as it is; a stop event stops
 * the augmented model at the same time. Events not written on the tape ({@link TapeEvents}) and
 * switches of a piecewise right-hand side (whose {@code s} jump needs the right-hand side's two
 * branches at one point) are refused with an {@link IllegalArgumentException} naming the event.
 */
final class TangentEvents {
    private TangentEvents() {
    }

    /**
     * The augmented events for a model of {@code n} states and {@code np} parameters with right-hand side
     * {@code rhs}; the augmented model has {@code 2n} states {@code (y, s)} and {@code 2np + n} parameters
     * {@code (p, v, u)} as in {@link SecondOrderAdjoint#tangentRhs}.
     */
    static List<Event> of(List<Event> events, int n, int np, OdeDefinition rhs) {
        List<Event> out = new ArrayList<>(events.size());
        int an = 2 * n, anp = 2 * np + n;
        for (Event e : events) {
            String name = e.name();
            if (e.isSwitch())
                throw new IllegalArgumentException("event '" + name + "' is a switch of a piecewise right-hand side: "
                        + "second-order sensitivities do not follow switches");
            UpdateDefinition h = e.update() == null ? null : TapeEvents.definitionOf(e.update());
            if (e.update() != null && h == null)
                throw new IllegalArgumentException("event '" + name + "': second-order sensitivities need its update written on the tape (TapeEvents)");
            if (e.isScheduled()) {
                out.add(Event.at(name, e.times(), TapeEvents.update(an, anp, jump(n, np, rhs, null, h))));
                continue;
            }
            TriggerDefinition g = TapeEvents.definitionOf(e.trigger());
            if (g == null)
                throw new IllegalArgumentException("event '" + name + "': second-order sensitivities need its trigger written on the tape (TapeEvents)");
            TriggerDefinition ga = (tape, t, ys, pvu) -> g.apply(tape, t, ys.slice(0, n), pvu.slice(0, np));
            if (e.stops()) out.add(TapeEvents.stopWhen(name, an, anp, ga, e.direction()));
            else out.add(TapeEvents.whenZero(name, an, anp, ga, e.direction(), h == null ? null : jump(n, np, rhs, g, h)));
        }
        return out;
    }

    /** The update {@code (y, s) ← (h, s⁺)}; {@code g} null for a scheduled event ({@code dτ = 0}). */
    private static UpdateDefinition jump(int n, int np, OdeDefinition rhs, TriggerDefinition g, UpdateDefinition h) {
        return (tape, t, ys, pvu) -> {
            VarVector y = ys.slice(0, n), s = ys.slice(n, n), p = pvu.slice(0, np), v = pvu.slice(np, np), u = pvu.slice(2 * np, n);
            Var[] wrt = new Var[1 + n + np], dir = new Var[1 + n + np];
            wrt[0] = t;
            for (int i = 0; i < n; i++) wrt[1 + i] = y.get(i);
            for (int j = 0; j < np; j++) wrt[1 + n + j] = p.get(j);
            Var[] fMinus = g == null ? null : rhs.rhs(tape, t, y, p);
            Var dtau = g == null ? tape.constant(0) : eventTimeTangent(tape, tape.gradient(g.apply(tape, t, y, p), wrt), fMinus, s, v);
            dir[0] = dtau;
            for (int i = 0; i < n; i++) dir[1 + i] = g == null ? s.get(i) : s.get(i).plus(fMinus[i].times(dtau));
            for (int j = 0; j < np; j++) dir[1 + n + j] = v.get(j);
            Var[] hy = h.apply(tape, t, y, p);
            Var[] tangent = SecondOrderAdjoint.product(tape, hy, wrt, dir, u);
            Var[] fPlus = g == null ? null : rhs.rhs(tape, t, tape.vector(hy), p);
            Var[] result = new Var[2 * n];
            for (int i = 0; i < n; i++) {
                result[i] = hy[i];
                result[n + i] = g == null ? tangent[i] : tangent[i].minus(fPlus[i].times(dtau));
            }
            return result;
        };
    }

    /** {@code dτ = -(g_y s + g_p v) / (g_t + g_y f⁻)} from {@code dg = [g_t, g_y, g_p]} recorded on the tape. */
    private static Var eventTimeTangent(Tape tape, Var[] dg, Var[] fMinus, VarVector s, VarVector v) {
        int n = s.size(), np = v.size();
        Var rate = dg[0], num = tape.constant(0);
        for (int i = 0; i < n; i++) {
            rate = rate.plus(dg[1 + i].times(fMinus[i]));
            num = num.plus(dg[1 + i].times(s.get(i)));
        }
        for (int j = 0; j < np; j++) num = num.plus(dg[1 + n + j].times(v.get(j)));
        return num.neg().div(rate);
    }
}
