package org.sundials4j.ode;

/**
 * The jumps of forward sensitivities and of the adjoint at an event, with the event-time terms.
 *
 * <h2>Derivation</h2>
 * Let θ be any parameter {@code p_j} or initial state {@code y0_i}, {@code s = ∂y/∂θ} the forward
 * sensitivity, and let an event fire at {@code τ(θ)} with the update {@code y⁺ = h(τ, y⁻, p)};
 * {@code f⁻ = f(τ, y⁻, p)} and {@code f⁺ = f(τ, y⁺, p)} are the right-hand sides on either side.
 *
 * <p><b>Event time.</b> A scheduled event has a fixed τ: {@code dτ/dθ = 0}. A state event fires
 * where {@code g(τ, y(τ⁻), p) = 0}. Differentiating this identity, with
 * {@code d y(τ⁻)/dθ = s⁻ + f⁻ dτ/dθ} (the state moves with the event time):
 * <pre>
 *   0 = g_t dτ/dθ + g_y (s⁻ + f⁻ dτ/dθ) + g_p e_θ
 *   dτ/dθ = -(g_y s⁻ + g_p e_θ) / D,        D = g_t + g_y f⁻  (the rate of g along the trajectory)
 * </pre>
 * where {@code e_θ} is the unit vector of θ when θ is a parameter and 0 for an initial state.
 * {@code D = 0} is a tangential crossing: τ is not differentiable there, which is reported as an error.
 *
 * <p><b>State after the event.</b> For {@code t > τ} near τ, {@code y(t) = y⁺(τ) + f⁺ (t - τ) + O((t-τ)²)},
 * so {@code s⁺ = dy⁺/dθ - f⁺ dτ/dθ}, and {@code dy⁺/dθ = h_t dτ/dθ + h_y (s⁻ + f⁻ dτ/dθ) + h_p e_θ}:
 * <pre>
 *   s⁺ = h_y s⁻ + h_p e_θ + (h_y f⁻ + h_t - f⁺) dτ/dθ
 * </pre>
 * An event without an update (a switch of the right-hand side) has {@code h = id}:
 * {@code s⁺ = s⁻ + (f⁻ - f⁺) dτ/dθ}, which is also exactly {@code s⁻} for a pure root report
 * ({@code f⁻ = f⁺}).
 *
 * <p><b>Integral functional.</b> {@code G = ∫ q dt} over a moving τ gains {@code (q⁻ - q⁺) dτ/dθ},
 * with {@code q^∓ = q(τ, y^∓, p)}: the forward quadrature sensitivity jumps by that much.
 *
 * <p><b>Adjoint.</b> Write the forward jump as {@code s⁺ = A s⁻ + b e_θ} with
 * {@code A = h_y - c g_yᵀ / D}, {@code b = h_p - c g_pᵀ / D}, {@code c = h_y f⁻ + h_t - f⁺} (and the
 * quadrature's {@code (q⁻ - q⁺)(-(g_y s⁻ + g_p e_θ)/D)}). The adjoint {@code λ(t) = ∂L/∂y(t)} satisfies
 * {@code λ⁻ᵀ s⁻ = λ⁺ᵀ s⁺ + (jump of G)} for every {@code s⁻}, hence, with
 * {@code w = cᵀλ⁺ + q⁻ - q⁺}:
 * <pre>
 *   λ⁻    = h_yᵀ λ⁺ - g_y w / D
 *   dL/dp += h_pᵀ λ⁺ - g_p w / D
 * </pre>
 * and {@code cᵀλ⁺ = (h_yᵀλ⁺)·f⁻ + h_tᵀλ⁺ - λ⁺·f⁺}: one reverse sweep of {@code h} gives every term.
 * Scheduled events drop the {@code /D} terms. Several events at one time compose in their order of
 * application (the adjoint in reverse order).
 *
 * <p><b>Stop.</b> A stop event ends the trajectory at τ; an output at {@link Event#AT_STOP} is
 * {@code y(τ(θ))}, whose derivative is {@code s⁻ + f⁻ dτ/dθ}, and an integral functional ends at τ,
 * gaining {@code q⁻ dτ/dθ}. That is the event above with {@code h = id}, {@code f⁺ = 0} and {@code q⁺ = 0}
 * (nothing moves after it): {@code s⁺ = s⁻ + f⁻ dτ/dθ}, {@code λ⁻ = λ⁺ - g_y (f⁻·λ⁺ + q⁻)/D},
 * {@code dL/dp -= g_p (f⁻·λ⁺ + q⁻)/D}, with {@code λ⁺ = ∂L/∂y(τ)} from the loss. A loss of τ itself
 * differentiates the same way through a clock state {@code c' = 1}, {@code c(t0) = t0}: {@code c(τ) = τ}.
 */
final class EventJumps {
    /** The integrand of an integral functional (its value jumps with the state), or null. */
    Integrand integrand;
    private final int n, np;
    private final double[] grad, hbar, v, w, out;

    EventJumps(OdeModel model) {
        this.n = model.stateCount();
        this.np = model.parameterCount();
        this.grad = new double[1 + n + np];
        this.hbar = new double[1 + n + np];
        this.v = new double[n];
        this.w = new double[np];
        this.out = new double[n];
    }

    /**
     * For a state event: {@code D = g_t + g_y·f⁻}, with the trigger's gradient kept for the jumps
     * that follow at this point; NaN for a scheduled event.
     */
    double rate(Event e, double t, double[] yMinus, double[] p, double[] fMinus) {
        if (e.kind() != Event.Kind.ROOT) return Double.NaN;
        e.trigger().gradient(t, yMinus, p, grad);
        double d = grad[0];
        for (int i = 0; i < n; i++) d += grad[1 + i] * fMinus[i];
        return d;
    }

    /** {@code q(τ, y⁻) - q(τ, y⁺)} ({@code q⁺ = 0} after a stop: the integral ends there), 0 without an integrand. */
    double integrandJump(Event e, double t, double[] yMinus, double[] yPlus, double[] p) {
        if (integrand == null) return 0;
        return integrand.value(t, yMinus, p) - (e.stops() ? 0 : integrand.value(t, yPlus, p));
    }

    /**
     * {@code dτ/dθ} for the sensitivity {@code s} of parameter {@code param} (-1: an initial state);
     * 0 for a scheduled event. Call after {@link #rate} at the same point.
     */
    double timeSensitivity(Event e, double d, double[] s, int param) {
        if (e.kind() != Event.Kind.ROOT) return 0;
        double num = param >= 0 ? grad[1 + n + param] : 0;
        for (int i = 0; i < n; i++) num += grad[1 + i] * s[i];
        return -num / d;
    }

    /** {@code s⁺} from {@code s⁻} (in place), given {@code dτ/dθ}. */
    void forward(Event e, double t, double[] yMinus, double[] p, double[] fMinus, double[] fPlus, double dtau,
                 double[] s, int param) {
        EventAction h = e.update();
        if (h == null) {
            if (dtau != 0) for (int i = 0; i < n; i++) s[i] += (fMinus[i] - fPlus[i]) * dtau;
            return;
        }
        for (int i = 0; i < n; i++) v[i] = s[i] + fMinus[i] * dtau;
        if (param >= 0) w[param] = 1;
        try {
            h.jvp(t, yMinus, p, dtau, v, param >= 0 ? w : null, out);
        } finally {
            if (param >= 0) w[param] = 0;
        }
        for (int i = 0; i < n; i++) s[i] = out[i] - fPlus[i] * dtau;
    }

    /**
     * {@code λ⁻} from {@code λ⁺} (in place) and the event's contribution added to {@code dp} (all
     * {@code np} parameters). Call after {@link #rate} at the same point; {@code qJump} is
     * {@link #integrandJump}.
     */
    void adjoint(Event e, double t, double[] yMinus, double[] p, double[] fMinus, double[] fPlus, double d, double qJump,
                 double[] lambda, double[] dp) {
        EventAction h = e.update();
        double c;
        if (h == null) {
            c = 0;
            for (int i = 0; i < n; i++) c += lambda[i] * (fMinus[i] - fPlus[i]);
            // λ⁻ = λ⁺ before the event-time term
        } else {
            h.vjp(t, yMinus, p, lambda, hbar);
            c = hbar[0];
            for (int i = 0; i < n; i++) c += hbar[1 + i] * fMinus[i] - lambda[i] * fPlus[i];
            for (int i = 0; i < n; i++) lambda[i] = hbar[1 + i];
            for (int j = 0; j < np; j++) dp[j] += hbar[1 + n + j];
        }
        if (e.kind() != Event.Kind.ROOT) return;
        double k = (c + qJump) / d;
        for (int i = 0; i < n; i++) lambda[i] -= grad[1 + i] * k;
        for (int j = 0; j < np; j++) dp[j] -= grad[1 + n + j] * k;
    }
}
