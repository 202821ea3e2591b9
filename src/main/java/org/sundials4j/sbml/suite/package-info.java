/**
 * The SBML Test Suite as the judge: read a case's settings and expected results, simulate it with
 * tolerances tighter than the case's, apply the suite's pass rule to every reported value, and
 * report passed / failed / unsupported per case and per component and test tag. Used by the
 * {@code sbml-suite} command, CI and the tests.
 */
package org.sundials4j.sbml.suite;
