#!/usr/bin/env python3
"""Writes src/test/resources/sbml-models/pollu.xml: POLLU (shared/PROBLEMS.md) as SBML, 20 species and
25 mass-action reactions. The reaction list is checked against the ODE balances of PROBLEMS.md first."""
import re
from collections import Counter

k = [.35, 26.6, 1.23e4, 8.6e-4, 8.2e-4, 1.5e4, 1.3e-4, 2.4e4, 1.65e4, 9e3, .022, 1.2e4, 1.88, 1.63e4, 4.8e6,
     3.5e-4, .0175, 1e8, 4.44e11, 1240, 2.1, 5.78, .0474, 1780, 3.12]
# reaction: (reactants, products); rates r_i = k_i * prod(reactants)
R = {1: ([1], [2, 3]), 2: ([2, 4], [1]), 3: ([5, 2], [1, 6]), 4: ([7], [5, 5, 8]), 5: ([7], [8]), 6: ([7, 6], [5, 8]),
     7: ([9], [5, 8, 10]), 8: ([9, 6], [11]), 9: ([11, 2], [10, 1, 12]), 10: ([11, 1], [13]), 11: ([13], [1, 11]),
     12: ([10, 2], [1, 14]), 13: ([14], [5, 7]), 14: ([1, 6], [15]), 15: ([3], [4]), 16: ([4], [16]), 17: ([4], [3]),
     18: ([16], [6, 6]), 19: ([16], [3]), 20: ([17, 6], [5, 18]), 21: ([19], [2]), 22: ([19], [1, 3]),
     23: ([1, 4], [19]), 24: ([19, 1], [20]), 25: ([20], [1, 19])}
y0 = {2: 0.2, 4: 0.04, 7: 0.1, 8: 0.3, 9: 0.01, 17: 0.007}
# y_s' as PROBLEMS.md writes it
balance = {1: "-1-10-14-23-24+2+3+9+11+12+22+25", 2: "-2-3-9-12+1+21", 3: "-15+1+17+19+22", 4: "-2-16-17-23+15",
           5: "-3+4+4+6+7+13+20", 6: "-6-8-14-20+3+18+18", 7: "-4-5-6+13", 8: "+4+5+6+7", 9: "-7-8",
           10: "-12+7+9", 11: "-9-10+8+11", 12: "+9", 13: "-11+10", 14: "-13+12", 15: "+14", 16: "-18-19+16",
           17: "-20", 18: "+20", 19: "-21-22-24+23+25", 20: "-25+24"}
for s, e in balance.items():
    want = Counter()
    for sign, r in re.findall(r'([+-])(\d+)', e):
        want[int(r)] += 1 if sign == '+' else -1
    got = Counter()
    for r, (rea, pro) in R.items():
        got[r] += pro.count(s) - rea.count(s)
    assert {a: b for a, b in got.items() if b} == {a: b for a, b in want.items() if b}, (s, got, want)

out = ['<?xml version="1.0" encoding="UTF-8"?>',
       '<!-- POLLU (Verwer 1994; Hairer-Wanner test set) as SBML, written by tests/sbml/pollu_sbml.py from',
       '     shared/PROBLEMS.md: 20 species, 25 mass-action reactions, rate constants k1..k25. -->',
       '<sbml xmlns="http://www.sbml.org/sbml/level3/version2/core" level="3" version="2">',
       '  <model id="pollu">', '    <listOfCompartments>',
       '      <compartment id="cell" spatialDimensions="3" size="1" constant="true"/>', '    </listOfCompartments>',
       '    <listOfSpecies>']
for i in range(1, 21):
    out.append(f'      <species id="y{i}" compartment="cell" initialConcentration="{y0.get(i, 0)}" '
               'hasOnlySubstanceUnits="false" boundaryCondition="false" constant="false"/>')
out += ['    </listOfSpecies>', '    <listOfParameters>']
out += [f'      <parameter id="k{i}" value="{v!r}" constant="true"/>' for i, v in enumerate(k, 1)]
out += ['    </listOfParameters>', '    <listOfReactions>']
for r, (rea, pro) in R.items():
    out.append(f'      <reaction id="r{r}" reversible="false">')
    for name, lst in (('listOfReactants', rea), ('listOfProducts', pro)):
        out.append(f'        <{name}>')
        out += [f'          <speciesReference species="y{s}" stoichiometry="{c}" constant="true"/>'
                for s, c in Counter(lst).items()]
        out.append(f'        </{name}>')
    ci = ''.join(f'<ci> y{s} </ci>' for s in rea)
    out.append(f'        <kineticLaw><math xmlns="http://www.w3.org/1998/Math/MathML"><apply><times/>'
               f'<ci> k{r} </ci>{ci}</apply></math></kineticLaw>')
    out.append('      </reaction>')
out += ['    </listOfReactions>', '  </model>', '</sbml>', '']
open('src/test/resources/sbml-models/pollu.xml', 'w').write('\n'.join(out))
