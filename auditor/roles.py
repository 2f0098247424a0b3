"""Table roles: the national table a printed table is, whatever its number or wording.

Every province prints the Ministry of Finance's table set (收支总表, 收入总表,
支出总表, 财政拨款收支总表, 一般公共预算支出表 …, and the nine 决算 tables)
under its own numbers and titles.  The fixed vocabulary of roles ships with the
tool as data (``rules/vocabulary/roles.yaml``, inside the package as
``auditor.rules``): each role with the title patterns that name it, the words
that rule it out and, for a table whose title names nothing, the header words
that identify it.  ``assign(document)`` gives every table its role (``Table.role``,
None when unrecognised); the audit does it before any rule runs, so a rule
may name a table by role.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Mapping, Sequence

from .model import Document, Table, normalise_label
from .shipped import shipped_text, vocabulary_data

VOCABULARY = "vocabulary/roles.yaml"  # inside auditor.rules

SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["roles"],
    "properties": {
        "roles": {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": r"^[a-z][a-z-]*$"},
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["label", "titles"],
                "properties": {
                    "label": {"type": "string", "minLength": 1},
                    "titles": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                    "excludes": {"type": "array", "items": {"type": "string", "minLength": 1}},
                    "header": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    titles: tuple[re.Pattern[str], ...]
    excludes: tuple[str, ...] = ()
    header: tuple[str, ...] = ()  # words that all appear in the header of a table of this role

    def title_match(self, core: str) -> int:
        """Length of the longest text of ``core`` one of the role's patterns matches (0: none)."""
        if any(x in core for x in self.excludes):
            return 0
        return max((len(m[0]) for p in self.titles for m in [p.search(core)] if m), default=0)

    def header_match(self, header: str) -> bool:
        return bool(self.header) and not any(x in header for x in self.excludes) \
            and all(w in header for w in self.header)


@dataclass(frozen=True)
class Vocabulary:
    roles: tuple[Role, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.roles)

    def role(self, name: str) -> Role | None:
        return next((r for r in self.roles if r.name == name), None)

    def of_title(self, title: str) -> str | None:
        """The role a printed title names (the longest match wins, the first listed on a tie)."""
        core = title_core(title)
        best, length = None, 0
        for r in self.roles:
            n = r.title_match(core)
            if n > length:
                best, length = r.name, n
        return best

    def of_header(self, header: Sequence[Sequence[str]] | Sequence[str]) -> str | None:
        """The role whose header words all appear in ``header``, when exactly one role's do."""
        text = normalise_label("".join("".join(h) if not isinstance(h, str) else h for h in header))
        hits = [r.name for r in self.roles if r.header_match(text)]
        return hits[0] if len(hits) == 1 else None

    def of_table(self, table: Table) -> str | None:
        return self.of_title(table.title) or self.of_header([*table.header, *table.columns])


# What a title prints besides its name: its number (表1, 表一, 公开01表, 单位预算01表,
# 部门公开表5, (预算表4)), and a year (2026年, 2026年度).  Set aside before matching so
# that a number's words (预算, 公开) never count as the name's.
_NUMBER = re.compile(
    r"[（(]?(?:[\u4e00-\u9fff]{0,6}?(?:公开|预算|决算))?表[\d一二三四五六七八九十]+[）)]?"
    r"|[（(]?(?:[\u4e00-\u9fff]{0,6}?(?:公开|预算|决算))?\d+表[）)]?")
_YEAR = re.compile(r"\d{4}年度?")


def title_core(title: str) -> str:
    """The title's name: white space, its number and its year removed."""
    t = normalise_label(title)
    t = _NUMBER.sub("", t)
    return _YEAR.sub("", t)


def _load(text: str, where: str) -> Vocabulary:
    data = vocabulary_data(text, SCHEMA, where)
    roles = []
    for name, spec in data["roles"].items():
        try:
            titles = tuple(re.compile(p) for p in spec["titles"])
        except re.error as e:
            raise ValueError(f"{where}: roles/{name}/titles: bad regular expression: {e}") from None
        roles.append(Role(name, spec["label"], titles, tuple(spec.get("excludes") or ()),
                          tuple(normalise_label(w) for w in spec.get("header") or ())))
    return Vocabulary(tuple(roles))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once per process): a source checkout's
    ``rules/vocabulary/roles.yaml``, else the package's own (as ``cli.default_rules_dir``)."""
    return _load(shipped_text(VOCABULARY), f"rules/{VOCABULARY}")


def load_vocabulary(text: str, where: str = "<string>") -> Vocabulary:
    """A vocabulary from YAML text (tests); ``ValueError`` naming the field when invalid."""
    return _load(text, where)


# The id and title extraction gives a grid printed without a title (auditor/extract).
UNTITLED = re.compile(r"table-p\d+")


def continues(table: Table, before: Table) -> bool:
    """An untitled grid printed on the page of ``before``'s last grid or the next one:
    the rest of that table, which the reader did not join to it (its header not
    repeated, a wide table's last columns on a page of their own)."""
    return (UNTITLED.fullmatch(table.title or "") is not None and bool(table.pages) and bool(before.pages)
            and 0 <= table.pages[0] - before.pages[-1] <= 1)


def assign(document: Document, vocab: Vocabulary | None = None) -> Document:
    """The document with every table's role set (None where none is recognised):
    by title, else by header, else — an untitled grid right after a table — that table's."""
    vocab = vocab or vocabulary()
    roles: list[str | None] = []
    for i, t in enumerate(document.tables):
        role = vocab.of_table(t)
        if role is None and i and continues(t, document.tables[i - 1]):
            role = roles[i - 1]
        roles.append(role)
    if all(t.role == r for t, r in zip(document.tables, roles)):
        return document
    tables = tuple(t if t.role == r else dataclasses.replace(t, role=r)
                   for t, r in zip(document.tables, roles))
    return dataclasses.replace(document, tables=tables)


def counts(document: Document) -> Mapping[str, int]:
    """Tables with a role and without one."""
    with_role = sum(1 for t in document.tables if t.role)
    return {"tables": len(document.tables), "with_role": with_role,
            "unrecognised": len(document.tables) - with_role}
