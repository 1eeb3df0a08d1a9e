"""Trims the mCODE STU4 StructureDefinitions and ValueSets oncourse's conformance test reads.

Input: the npm package hl7.fhir.us.mcode 4.0.0 (CC0-1.0), unpacked, e.g.
    npm pack hl7.fhir.us.mcode@4.0.0 && tar xzf hl7.fhir.us.mcode-4.0.0.tgz
Output (this directory): structure-definitions.json (url, type, kind, baseDefinition and the
differential of every StructureDefinition) and value-sets.json (url and compose of every
ValueSet). Narratives and snapshots are dropped to keep the data small; nothing else changes.

Usage: python3 trim.py path/to/package
"""

import json
import pathlib
import sys

package = pathlib.Path(sys.argv[1])
here = pathlib.Path(__file__).parent

definitions = []
for path in sorted(package.glob("StructureDefinition-*.json")):
    d = json.loads(path.read_text(encoding="utf-8"))
    definitions.append({k: d[k] for k in ("url", "type", "kind", "baseDefinition") if k in d}
                       | {"differential": d["differential"]})
value_sets = []
for path in sorted(package.glob("ValueSet-*.json")):
    d = json.loads(path.read_text(encoding="utf-8"))
    value_sets.append({"url": d["url"], "compose": d.get("compose", {})})

(here / "structure-definitions.json").write_text(json.dumps(definitions, indent=1) + "\n", encoding="utf-8")
(here / "value-sets.json").write_text(json.dumps(value_sets, indent=1) + "\n", encoding="utf-8")
print(len(definitions), "structure definitions,", len(value_sets), "value sets")
