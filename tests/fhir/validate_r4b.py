"""Parses FHIR Bundles with the pydantic models of PyPI fhir.resources 8.0.0 (its R4B package,
the nearest to R4 it has; it checks element names, types and cardinalities, not code values).

Usage: python validate_r4b.py FILE.json...   (exit 1 if any file fails)
"""

import sys

from fhir.resources.R4B.bundle import Bundle

failed = 0
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    try:
        Bundle.model_validate_json(text)
        print(f"{path}: valid (fhir.resources R4B)")
    except Exception as error:  # pydantic.ValidationError, with every problem listed
        failed += 1
        print(f"{path}: {error}")
sys.exit(1 if failed else 0)
