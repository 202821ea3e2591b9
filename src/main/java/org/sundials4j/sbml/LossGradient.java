package org.sundials4j.sbml;

import java.util.List;
import org.sundials4j.ode.Gradient;

/**
 * The sum-of-squares loss of reported variables against data and its gradient with respect to the
 * chosen declared quantities ({@code wrt}, in the order given), with the underlying solver's
 * {@link Gradient} (method, statistics; null when the model has no state or no chosen quantity
 * reaches one).
 */
public record LossGradient(double loss, List<String> wrt, double[] gradient, Gradient solverGradient) { }
