package org.sundials4j.sbml;

/**
 * A quantity to report from a simulation: an id and, for species, whether its amount or its
 * concentration is wanted. {@link Quantity#VALUE} is the value SBML math sees: a species'
 * concentration unless it has only substance units, a parameter's or compartment's value, a
 * species reference's stoichiometry, a reaction's rate.
 */
public record Variable(String id, Quantity quantity) {
    public enum Quantity { VALUE, AMOUNT, CONCENTRATION }

    public Variable {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("variable id is empty");
        if (quantity == null) throw new IllegalArgumentException("quantity of '" + id + "' is null");
    }

    public static Variable value(String id) {
        return new Variable(id, Quantity.VALUE);
    }

    public static Variable amount(String id) {
        return new Variable(id, Quantity.AMOUNT);
    }

    public static Variable concentration(String id) {
        return new Variable(id, Quantity.CONCENTRATION);
    }

    @Override
    public String toString() {
        return id;
    }
}
