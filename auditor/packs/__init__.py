"""Rule packs: YAML files in ``rules/`` → validated ``Rule``s (RULES.md).

Loading composes each file with PyYAML's SafeLoader (``yaml.compose``), so
every value keeps the line and column it was written at; the data is then
validated with JSON Schema (one schema per check kind, each next to its kind
module) and by each kind's ``validate`` (reference syntax, regexes).  Every
error is reported as ``file:line:col: message`` in a ``PackError``; the first
one starts the message, the others follow on their own lines (and are in
``PackError.errors``).

The package, a module for each part:

- ``schema``: the JSON Schema of a pack and of a rule (common fields + the kind's);
- ``model``: ``Rule``, ``Pack``, ``PackSet``, ``Template``, ``TableSpec``;
- ``source``: reading a YAML file into data that remembers where each value was;
- ``errors``: collecting errors with their positions, JSON Schema's in words;
- ``includes``: which files a folder holds, where an ``include`` points;
- ``loader``: a pack from its data (rules, the tables they name), ``load_packs``.

Which template a document is and its tables renamed to the template's ids
is the engine's side: ``auditor.templates``.
"""

from __future__ import annotations

from .loader import load_pack_text, load_packs
from .model import Pack, PackSet, Rule, TableSpec, Template
from .schema import COMMON_PROPERTIES, ID_PATTERN, PACK_SCHEMA, rule_schema

__all__ = ["load_packs", "load_pack_text", "Pack", "PackSet", "Rule", "TableSpec", "Template",
           "COMMON_PROPERTIES", "ID_PATTERN", "PACK_SCHEMA", "rule_schema"]
