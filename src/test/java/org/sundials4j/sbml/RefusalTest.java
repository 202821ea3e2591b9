package org.sundials4j.sbml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Every construct the importer does not simulate is refused at import with an
 * {@link UnsupportedSbmlException} naming the construct, the element and its id. The models are SBML
 * Test Suite cases (src/test/resources/sbml-refusals, the suite's license beside them) except the
 * rateOf one, written here.
 */
class RefusalTest {
    private static final Path DIR = Path.of("src/test/resources/sbml-refusals");

    private static UnsupportedSbmlException refused(String file) {
        return assertThrows(UnsupportedSbmlException.class, () -> SbmlImporter.read(DIR.resolve(file)));
    }

    private static void names(UnsupportedSbmlException e, String construct, String element, String id) {
        assertEquals(construct, e.construct());
        assertEquals(element, e.element());
        assertEquals(id, e.id());
        assertTrue(e.getMessage().contains(element + " '" + id + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(construct + " is not supported"), e.getMessage());
    }

    @Test
    void algebraicRule() {
        names(refused("algebraic-rule.xml"), "algebraicRule", "algebraicRule", "#0");
    }

    @Test
    void fastReaction() {
        names(refused("fast-reaction.xml"), "fast reaction", "reaction", "J0");
    }

    @Test
    void delayCsymbol() {
        names(refused("delay.xml"), "csymbol delay", "assignmentRule", "P1");
    }

    @Test
    void compPackage() {
        UnsupportedSbmlException e = refused("comp.xml");
        names(e, "SBML package 'comp'", "sbml", "case01168");
    }

    @Test
    void fbcPackage() {
        UnsupportedSbmlException e = refused("fbc.xml");
        assertEquals("SBML package 'fbc'", e.construct());
        assertEquals("sbml", e.element());
    }

    @Test
    void rateOfAnAssignmentRuleTarget() {
        String xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">
                  <model id="m">
                    <listOfParameters>
                      <parameter id="a" constant="false"/>
                      <parameter id="b" value="0" constant="false"/>
                    </listOfParameters>
                    <listOfRules>
                      <assignmentRule variable="a">
                        <math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/><cn>2</cn>
                          <csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/time"> t </csymbol></apply></math>
                      </assignmentRule>
                      <rateRule variable="b">
                        <math xmlns="http://www.w3.org/1998/Math/MathML"><apply>
                          <csymbol encoding="text" definitionURL="http://www.sbml.org/sbml/symbols/rateOf"> rateOf </csymbol>
                          <ci> a </ci></apply></math>
                      </rateRule>
                    </listOfRules>
                  </model>
                </sbml>
                """;
        UnsupportedSbmlException e = assertThrows(UnsupportedSbmlException.class, () -> SbmlImporter.fromString(xml));
        names(e, "csymbol rateOf", "rateRule", "b");
        assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    }

    @Test
    void unreadableInputIsATypedErrorNotACrash() {
        SbmlException e = assertThrows(SbmlException.class, () -> SbmlImporter.fromString("<sbml><not closed"));
        assertEquals("sbml", e.element());
        SbmlException missing = assertThrows(SbmlException.class, () -> SbmlImporter.read(DIR.resolve("no-such-file.xml")));
        assertTrue(missing.getMessage().contains("no-such-file.xml"), missing.getMessage());
    }
}
