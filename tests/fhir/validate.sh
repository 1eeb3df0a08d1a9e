#!/usr/bin/env bash
# Exports the seed case, the every-field case file and the observation-kinds case file (blood
# pressure and dipstick values) as collection and transaction bundles
# with the built `oncourse` binary, then validates them with two independent validators:
# the official FHIR R4 JSON schema (npm) and fhir.resources R4B (PyPI). Needs node/npm and
# python3 with venv; installs both validators into tests/fhir/ (node_modules, .venv; git-ignored).
set -euo pipefail
cd "$(dirname "$0")"
root=../..
oncourse="${ONCOURSE:-$root/target/debug/oncourse}"
out=$(mktemp -d)
for case in "$root/examples/popliteal-lms.toml" "$root/tests/data/case-files/valid/every-field.toml" \
  "$root/tests/data/case-files/valid/observation-kinds.toml"; do
  name=$(basename "$case" .toml)
  "$oncourse" fhir export "$case" > "$out/$name.collection.json"
  "$oncourse" fhir export --transaction "$case" > "$out/$name.transaction.json"
done
[ -d node_modules ] || npm install --no-audit --no-fund --silent
node validate_schema.js "$out"/*.json
[ -d .venv ] || { python3 -m venv .venv && .venv/bin/pip install --quiet "fhir.resources==8.0.0"; }
.venv/bin/python validate_r4b.py "$out"/*.json
rm -r "$out"
