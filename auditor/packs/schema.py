"""The JSON Schema of a pack file and of a rule (the fields every rule may have,
merged with its kind's own ``SCHEMA``)."""

from __future__ import annotations

from typing import Any

from ..checks import KINDS
from ..families import FAMILIES

ID_PATTERN = r"^[a-z0-9_.-]+$"

COMMON_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string", "pattern": ID_PATTERN},
    "kind": {"type": "string"},
    "severity": {"enum": ["error", "warning", "note"]},
    "family": {"enum": list(FAMILIES)},
    "description": {"type": "string"},
    "for": {
        "anyOf": [
            {"type": "object", "minProperties": 1, "propertyNames": {"pattern": r"^\w+$"},
             "additionalProperties": {"type": "array", "minItems": 1,
                                      "items": {"type": ["string", "number"]}}},
            {"type": "array", "minItems": 1,
             "items": {"type": "object", "minProperties": 1,
                       "propertyNames": {"pattern": r"^\w+$"},
                       "additionalProperties": {"type": ["string", "number"]}}},
        ]
    },
    "match": {"type": "string", "minLength": 1},
    "min_matches": {"type": "integer", "minimum": 0},
    "missing": {"enum": ["skip", "zero"]},
}

PACK_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "pack": {"type": "string", "pattern": ID_PATTERN},
        "description": {"type": "string"},
        "include": {"type": "array", "items": {"type": "string"}},
        # a layer under the template packs (national-sentences.yaml): an instance that
        # judges a narrative figure a non-deferring rule of the same kind judged is
        # skipped in its favour (engine.run), so a slip is reported once
        "defers": {"type": "boolean"},
        "template": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "signals": {"type": "array", "items": {"type": "string"}},
                # the tables only this template prints: a document is of this
                # template only when they are found (by title), whatever else matches
                "requires": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "tables": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"title": {"type": "string"},
                                       "aliases": {"type": "array", "items": {"type": "string"}},
                                       "may_be_empty": {"type": "boolean"}},
                        "required": ["title"],
                    },
                },
            },
            "required": ["tables"],
        },
        "applies_to": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "template": {"type": "string"},
                "signals": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            },
            "required": ["template", "signals"],
        },
        # applied to every document, whatever its template (and alone to a
        # document that matches none); a pack reached only through include is not
        "base": {"type": "boolean"},
        # the family of the pack's rules (families.py), unless a rule names its own
        "family": {"enum": list(FAMILIES)},
        "rules": {"type": "array", "items": {"type": "object"}},
    },
}


def rule_schema(kind: str) -> dict[str, Any]:
    """The full JSON Schema of a rule of ``kind``: common fields + the kind's own."""
    own = KINDS[kind].SCHEMA
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {**COMMON_PROPERTIES, **own.get("properties", {})},
        "required": ["id", "kind", *own.get("required", [])],
    }
