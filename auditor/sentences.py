"""The sentence vocabulary: the change words and the national sentence forms, once.

``rules/vocabulary/sentences.yaml`` (inside the package as ``auditor.rules``,
read like ``roles.yaml``) declares

- ``words``: the words a change or a comparison is stated with, grouped by
  what they say (``up``, ``down``, ``flat`` for the change kind; ``above``,
  ``below``, ``equal`` for the comparison kind), and
- ``fragments``: named regular expressions, each with ``examples`` that must
  match in full and ``counter_examples`` that must not.

A pack's ``match`` (and any pattern ``expand_pattern`` fills) names a fragment
as ``{vocab:NAME}``; it expands to ``(?:PATTERN)``.  An unknown name raises
``VocabularyError`` (a ``re.error``), which the pack loader reports at the
rule's ``file:line:col``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping

from .shipped import shipped_text, vocabulary_data
from .text import AMT, NAME, PCT

VOCABULARY = "vocabulary/sentences.yaml"  # inside auditor.rules

# {vocab:NAME} in a pattern; NAME as the vocabulary spells it (lower case, digits, -)
REFERENCE = re.compile(r"\{vocab:([^{}]*)\}")
_NAME = r"^[a-z][a-z0-9-]*$"
# the placeholders a fragment's pattern may use besides {vocab:NAME}
_BUILTINS = ("AMT", "PCT", "NAME")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")

GROUPS = ("up", "down", "flat", "above", "below", "equal")

_WORDS = {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}}
_TEXTS = {"type": "array", "items": {"type": "string", "minLength": 1}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["words", "fragments"],
    "properties": {
        "words": {
            "type": "object",
            "additionalProperties": False,
            "required": list(GROUPS),
            "properties": {g: _WORDS for g in GROUPS},
        },
        "fragments": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _NAME},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["description", "examples"],
                "oneOf": [{"required": ["words"]}, {"required": ["pattern"]}],
                "properties": {
                    "description": {"type": "string", "minLength": 1},
                    "words": _WORDS,
                    "pattern": {"type": "string", "minLength": 1},
                    "examples": {**_TEXTS, "minItems": 1},
                    "counter_examples": _TEXTS,
                },
            },
        },
    },
}


class VocabularyError(re.error):
    """A ``{vocab:NAME}`` that names no fragment."""


@dataclass(frozen=True)
class Fragment:
    name: str
    description: str
    source: str  # the pattern as declared ({AMT}, {vocab:x} not yet expanded)
    examples: tuple[str, ...]
    counter_examples: tuple[str, ...]


@dataclass(frozen=True)
class Sentences:
    words: Mapping[str, tuple[str, ...]]
    fragments: Mapping[str, Fragment]

    def expand(self, pattern: str) -> str:
        """``pattern`` with every ``{vocab:NAME}`` replaced by ``(?:its pattern)``, recursively."""
        return self._expand(pattern, ())

    def _expand(self, pattern: str, stack: tuple[str, ...]) -> str:
        def sub(m: re.Match[str]) -> str:
            name = m[1]
            frag = self.fragments.get(name)
            if frag is None:
                raise VocabularyError(unknown_message(name, self.fragments))
            if name in stack:
                raise VocabularyError(f"{{vocab:{name}}} refers to itself ({' → '.join((*stack, name))})")
            return f"(?:{self._expand(frag.source, (*stack, name))})"

        return REFERENCE.sub(sub, pattern)

    def problems(self) -> list[str]:
        """Every example a fragment does not match in full, every counter-example it does."""
        out = []
        for name, frag in self.fragments.items():
            rx = self.regex(name)
            out += [f"{name}: example {e!r} does not match" for e in frag.examples if not rx.fullmatch(e)]
            out += [f"{name}: counter-example {e!r} matches" for e in frag.counter_examples if rx.fullmatch(e)]
        return out

    def regex(self, name: str) -> re.Pattern[str]:
        """The fragment ``name`` compiled, every placeholder filled in."""
        builtins = {"AMT": AMT, "PCT": PCT, "NAME": NAME}
        pattern = self.expand(f"{{vocab:{name}}}")
        return re.compile(_PLACEHOLDER.sub(lambda m: builtins.get(m[1], m[0]), pattern))


def unknown_message(name: str, fragments: Mapping[str, Any]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(fragments), n=1, cutoff=0.6)
    hint = f" (did you mean {{vocab:{close[0]}}}?)" if close else ""
    return (f"unknown sentence vocabulary name {{vocab:{name}}}{hint}; "
            f"known: {', '.join(sorted(fragments))} (rules/{VOCABULARY})")


def _load(text: str, where: str) -> Sentences:
    data = vocabulary_data(text, SCHEMA, where)
    words = {g: tuple(data["words"][g]) for g in GROUPS}
    known = {w for ws in words.values() for w in ws}
    fragments: dict[str, Fragment] = {}
    for name, spec in data["fragments"].items():
        at = f"{where}: fragments/{name}"
        if "words" in spec:
            strange = [w for w in spec["words"] if w not in known]
            if strange:
                raise ValueError(f"{at}/words: {', '.join(strange)} in no group of words ({', '.join(GROUPS)})")
            source = "|".join(re.escape(w) for w in spec["words"])
        else:
            source = spec["pattern"]
            bad = [m[1] for m in _PLACEHOLDER.finditer(source) if m[1] not in _BUILTINS]
            if bad:
                raise ValueError(f"{at}/pattern: unknown placeholder {{{bad[0]}}} "
                                 f"(a fragment may use {', '.join('{' + b + '}' for b in _BUILTINS)} and {{vocab:NAME}})")
        fragments[name] = Fragment(name, spec["description"], source, tuple(spec["examples"]),
                                   tuple(spec.get("counter_examples") or ()))
    out = Sentences(words, fragments)
    for name in fragments:
        try:
            rx = out.regex(name)
        except re.error as e:
            raise ValueError(f"{where}: fragments/{name}: bad regular expression: {e}") from None
        if rx.groupindex:
            raise ValueError(f"{where}: fragments/{name}: a fragment has no named group "
                             f"({', '.join(rx.groupindex)}): the pack using it names its captures")
    return out


@lru_cache(maxsize=1)
def sentences() -> Sentences:
    """The shipped vocabulary (read once per process): a source checkout's
    ``rules/vocabulary/sentences.yaml``, else the package's own (as ``roles.vocabulary``)."""
    return _load(shipped_text(VOCABULARY), f"rules/{VOCABULARY}")


def load_sentences(text: str, where: str = "<string>") -> Sentences:
    """A vocabulary from YAML text (tests); ``ValueError`` naming the field when invalid."""
    return _load(text, where)


def words(group: str) -> tuple[str, ...]:
    """The shipped words of one group (``up``, ``down``, ``flat``, ``above``, ``below``, ``equal``)."""
    return sentences().words[group]
