"""The pattern vocabulary of packs and the validators of reference fields.

``{AMT}`` (an amount as printed), ``{PCT}`` (a percentage's number) and
``{NAME}`` (a subject name) in a rule's ``match``, and ``{vocab:NAME}`` (a
fragment of the sentence vocabulary ``rules/vocabulary/sentences.yaml``, e.g.
``(?P<dir>{vocab:change})``); ``expand_pattern`` fills them (and for-values) in.  ``REF`` and ``TABLES`` are the JSON Schema of a
reference field and of a list of table ids; ``validate_refs`` /
``validate_text_refs`` check what a schema cannot say.
"""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping, Sequence

from ..refs import BUILTIN_VARS
from ..text import AMT, NAME, PCT

# JSON Schema of a reference: a string (table cell, $capture) or a number (a constant).
REF = {"type": ["string", "number"]}
TABLES = {"type": "array", "items": {"type": "string"}, "minItems": 1}

# {AMT}: an amount as the narrative prints it (white space removed): 3,599.74 / 480 / 74.6;
# {PCT}: a percentage number, without its % sign (both in auditor.text, beside NUMBER).
# {NAME}: a subject name as the narrative prints it (auditor.text).
_PATTERN_VAR = re.compile(r"\{(\w+)\}")


def expand_pattern(pattern: str, env: Mapping[str, str] | None = None) -> str:
    """``{vocab:NAME}``, ``{AMT}``, ``{PCT}``, ``{NAME}`` and ``{var}`` (for-values, escaped) in a regex.

    Other braces (``\\d{1,3}``) are regex syntax and stay.  A ``{vocab:NAME}``
    naming no fragment raises ``auditor.sentences.VocabularyError`` (a ``re.error``).
    """
    env = env or {}
    if "{vocab:" in pattern:
        from ..sentences import sentences

        pattern = sentences().expand(pattern)

    def sub(m: re.Match[str]) -> str:
        name = m[1]
        if name == "AMT":
            return AMT
        if name == "PCT":
            return PCT
        if name == "NAME":
            return NAME
        if name in env:
            return re.escape(env[name])
        return m[0]

    return _PATTERN_VAR.sub(sub, pattern)


def validate_refs(params: Mapping[str, Any], fields: Sequence[str],
                  names: set[str]) -> Iterator[tuple[tuple, str]]:
    """Syntax of the reference fields a kind declares: ``(path, message)`` per error."""
    from ..refs import check_syntax

    for f in fields:
        if f in params:
            msg = check_syntax(params[f], names)
            if msg:
                yield (f,), msg


def validate_text_refs(params: Mapping[str, Any], fields: Sequence[str],
                       names: set[str]) -> Iterator[tuple[tuple, str]]:
    """Text references (``$dir``) must name a capture of ``match``."""
    for f in fields:
        v = params.get(f)
        if isinstance(v, str) and v.strip().startswith("$"):
            name = v.strip()[1:]
            if not re.fullmatch(r"\w+", name):
                yield (f,), f"bad capture reference {v!r}"
            elif name not in names:
                known = ", ".join(sorted(names - set(BUILTIN_VARS))) or "none"
                yield (f,), f"unknown capture ${name} (match groups: {known})"


def validate_findall(spec: Mapping[str, Any], at: tuple, names: set[str],
                     group_fields: Sequence[str]) -> Iterator[tuple[tuple, str]]:
    """A ``{findall: CAPTURE, pattern: …}`` field: the capture is a group of ``match``,
    the pattern compiles, and the fields that name its groups (``value``; ``part``,
    ``pct``, ``of``; the keys of ``negate_if``) name groups it has."""
    cap = str(spec["findall"]).lstrip("$")  # findall and pattern: required by the kinds' schemas
    if cap not in names:
        known = ", ".join(sorted(names - set(BUILTIN_VARS))) or "none"
        yield at + ("findall",), f"unknown capture {cap!r} (match groups: {known})"
    try:
        groups = set(re.compile(expand_pattern(str(spec["pattern"]))).groupindex)
    except re.error as e:
        yield at + ("pattern",), f"bad regular expression: {e}"
        return
    for f in group_fields:
        if f in spec and spec[f] not in groups:
            yield at + (f,), f"no group {spec[f]!r} in pattern"
    for g in spec.get("negate_if") or {}:
        if g not in groups:
            yield at + ("negate_if", g), f"no group {g!r} in pattern"

