"""Rule packs: YAML files in ``rules/`` → validated ``Rule``s (RULES.md).

Loading composes each file with PyYAML's SafeLoader (``yaml.compose``), so
every value keeps the line and column it was written at; the data is then
validated with JSON Schema (one schema per check kind, each next to its kind
module) and by each kind's ``validate`` (reference syntax, regexes).  Every
error is reported as ``file:line:col: message`` in a ``PackError``; the first
one starts the message, the others follow on their own lines (and are in
``PackError.errors``).
"""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import itertools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import jsonschema
import yaml

# libyaml's C parser when present (4× faster), the same safe loader either way
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from .checks import KINDS
from .checks.base import BUILTIN_VARS, expand_pattern
from .errors import PackError
from .model import Document, normalise_label
from .refs import PLACEHOLDER, ROLE_PREFIX

ID_PATTERN = r"^[a-z0-9_.-]+$"

COMMON_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string", "pattern": ID_PATTERN},
    "kind": {"type": "string"},
    "severity": {"enum": ["error", "warning"]},
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


# ------------------------------------------------------------------ model


@dataclass(frozen=True)
class TableSpec:
    title: str
    may_be_empty: bool = False
    aliases: tuple[str, ...] = ()  # other titles the same table is printed under

    def names(self) -> tuple[str, ...]:
        return tuple(n for n in (normalise_label(x) for x in (self.title, *self.aliases)) if n)


@dataclass(frozen=True)
class Template:
    name: str
    tables: Mapping[str, TableSpec]
    signals: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()  # table ids that identify the template

    def title_match(self, title: str) -> tuple[int, str] | None:
        """(length of the longest declared title or alias contained in ``title``, table id)."""
        t = normalise_label(title)
        best: tuple[int, str] | None = None
        for tid, spec in self.tables.items():
            for n in spec.names():
                if n in t and (best is None or len(n) > best[0]):
                    best = (len(n), tid)
        return best

    def assign(self, document: Document) -> dict[int, str]:
        """Index of each document table → the template table id it is (by title, then by id).

        A table printed with a template id whose title is one of that id's
        names keeps it; any other table takes the id whose title or alias is
        the longest one contained in its title; a table matching no title
        keeps a template id it is printed with.  Each template id is given once.
        """
        out: dict[int, str] = {}
        taken: set[str] = set()
        tables = document.tables
        for i, t in enumerate(tables):
            spec = self.tables.get(t.id)
            if spec is None or t.id in taken:
                continue
            title = normalise_label(t.title)
            own = max((len(n) for n in spec.names() if n in title), default=0)
            m = self.title_match(t.title)
            if own and m is not None and m[0] <= own:
                out[i] = t.id
                taken.add(t.id)
        for i, t in enumerate(tables):
            if i in out:
                continue
            m = self.title_match(t.title)
            if m is not None and m[1] not in taken:
                out[i] = m[1]
                taken.add(m[1])
        for i, t in enumerate(tables):
            if i not in out and t.id in self.tables and t.id not in taken:
                out[i] = t.id
                taken.add(t.id)
        return out


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    params: Mapping[str, Any]  # the kind's own fields
    severity: str = "error"
    description: str = ""
    # every assignment of the for-variables: a mapping of lists gives every
    # combination, a list of mappings gives exactly those
    for_: tuple[Mapping[str, str], ...] = ()
    match: str | None = None  # as written
    min_matches: int = 1
    missing: str = "skip"
    pack: str = ""
    source: str = ""  # "rules/x.yaml:12:5"

    def pattern(self, env: Mapping[str, str] | None = None) -> re.Pattern[str] | None:
        """The compiled ``match`` ({AMT}, {PCT} and for-values expanded)."""
        if self.match is None:
            return None
        return _compile(expand_pattern(self.match, env or {}))

    def combinations(self) -> list[dict[str, str]]:
        """Every assignment of the ``for:`` variables (one empty one without ``for``)."""
        return [dict(c) for c in self.for_] or [{}]


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    if pattern not in _PATTERNS:
        _PATTERNS[pattern] = re.compile(pattern)
    return _PATTERNS[pattern]


@dataclass(frozen=True)
class Pack:
    name: str
    path: str
    description: str = ""
    includes: tuple[str, ...] = ()  # pack names
    template: Template | None = None
    rules: tuple[Rule, ...] = ()
    # an issuer pack: added to a template's rules when its signals appear
    applies_to: tuple[str, tuple[str, ...]] | None = None
    base: bool = False  # applied to every document (generic.yaml)


@dataclass(frozen=True)
class PackSet:
    packs: tuple[Pack, ...]

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for p in self.packs for r in p.rules)

    @property
    def templates(self) -> dict[str, Template]:
        return {p.name: p.template for p in self.packs if p.template is not None}

    def pack(self, name: str) -> Pack | None:
        return next((p for p in self.packs if p.name == name), None)

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def rules_of(self, name: str) -> list[Rule]:
        """A pack's rules with those of its includes (included packs first)."""
        out: dict[str, Rule] = {}
        seen: set[str] = set()

        def walk(n: str) -> None:
            if n in seen:
                return
            seen.add(n)
            pack = self.pack(n)
            if pack is None:
                return
            for inc in pack.includes:
                walk(inc)
            for r in pack.rules:
                out.setdefault(r.id, r)

        walk(name)
        return list(out.values())

    def rules_for(self, name: str | None = None) -> list[Rule]:
        """Every rule (``None``) or those a template's pack applies (with its includes)."""
        if name is None:
            return list(self.rules)
        if self.pack(name) is None:
            return []
        return self.rules_of(name)

    def template_scores(self, document: Document) -> list[tuple[str, int, int]]:
        """(template, tables found, tables declared) for every template whose signals
        appear and whose identifying tables (``requires``) are found."""
        text = normalise_label(" ".join([document.title or "", document.narrative.text,
                                         *(t.title for t in document.tables)]))
        out = []
        for name, tpl in self.templates.items():
            if not all(normalise_label(s) in text for s in tpl.signals):
                continue
            found: set[str] = set()
            for i, tid in tpl.assign(document).items():
                t = document.tables[i]
                # a table counts when its title names it (a bare printed id is not evidence)
                if any(n in normalise_label(t.title) for n in tpl.tables[tid].names()) or (
                        t.title and normalise_label(t.title) in normalise_label(tpl.tables[tid].title)):
                    found.add(tid)
            if not set(tpl.requires) <= found:
                continue
            out.append((name, len(found), len(tpl.tables)))
        return out

    def align(self, document: Document, name: str | None) -> Document:
        """The document with its tables renamed to the ids of template ``name``
        (matched by title or alias, see ``Template.assign``); unchanged without one."""
        tpl = self.templates.get(name) if name else None
        if tpl is None:
            return document
        assigned = tpl.assign(document)
        renames = {document.tables[i].id: tid for i, tid in assigned.items()
                   if document.tables[i].id != tid}
        if not renames:
            return document
        # an unmatched table whose id a template table now takes keeps its place under a new id
        taken = set(assigned.values())
        for i, t in enumerate(document.tables):
            if i not in assigned and t.id in taken:
                renames[t.id] = f"{t.id}（{normalise_label(t.title) or '?'}）"
        tables = tuple(_renamed(t, renames[t.id]) if t.id in renames else t for t in document.tables)
        issues = tuple(dataclasses.replace(x, table=renames.get(x.table, x.table)) if x.table else x
                       for x in document.issues)
        return dataclasses.replace(document, tables=tables, issues=issues)

    def select(self, document: Document) -> tuple[str | None, list[Rule]]:
        """The document's template (at least half its tables found, best share wins)
        and the rules to apply; no template → the generic packs (those without one)."""
        best: tuple[Any, ...] | None = None
        for name, found, total in self.template_scores(document):
            if total and found * 2 >= total:
                key = (found / total, found, name)
                if best is None or key[:2] > best[:2]:
                    best = key
        if best is not None:
            rules = {r.id: r for r in self.rules_of(best[2])}
            text = _document_text(document)
            for p in self.packs:
                if p.applies_to and p.applies_to[0] == best[2] and all(
                        normalise_label(s) in text for s in p.applies_to[1]):
                    for r in self.rules_of(p.name):
                        rules.setdefault(r.id, r)
            return best[2], list(rules.values())
        # no template: the base packs, and packs of one's own that no other pack
        # includes (a template's narrative pack never speaks for another document)
        included = {i for p in self.packs for i in p.includes}
        out: dict[str, Rule] = {}
        for p in self.packs:
            if p.base or (p.template is None and p.applies_to is None and p.name not in included):
                for r in self.rules_of(p.name):
                    out.setdefault(r.id, r)
        return None, list(out.values())


def _document_text(document: Document) -> str:
    return normalise_label(" ".join([document.title or "", document.issuer or "",
                                     document.narrative.text,
                                     *(t.title for t in document.tables)]))


def _renamed(table: Any, new_id: str) -> Any:
    rows = tuple(dataclasses.replace(r, cells={c: dataclasses.replace(f, table=new_id)
                                               for c, f in r.cells.items()})
                 for r in table.rows)
    return dataclasses.replace(table, id=new_id, rows=rows)


# ------------------------------------------------------------------ loading


Path_ = tuple[Any, ...]
Mark = tuple[int, int]


class _Source:
    """One pack file: its data and where each value and key was written."""

    def __init__(self, path: Path, display: str):
        self.path = path
        self.display = display
        self.values: dict[Path_, Mark] = {}
        self.keys: dict[Path_, Mark] = {}
        self.data: Any = None

    def mark(self, path: Path_, key: bool = False) -> Mark:
        table = self.keys if key else self.values
        p = tuple(path)
        if key and p in table:
            return table[p]
        while p not in self.values and p:
            p = p[:-1]
        return self.values.get(p, (1, 1))


class _Errors:
    def __init__(self) -> None:
        self.items: list[tuple[str, int, int, str]] = []

    def add(self, src: _Source, path: Path_, message: str, key: bool = False) -> None:
        line, col = src.mark(path, key)
        self.items.append((src.display, line, col, message))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        first, *rest = self.items
        path, line, col, msg = first
        text = msg + "".join(f"\n{p}:{ln}:{c}: {m}" for p, ln, c, m in rest)
        err = PackError(path, line, col, text)
        err.errors = [f"{p}:{ln}:{c}: {m}" for p, ln, c, m in self.items]  # type: ignore[attr-defined]
        raise err


_SCALARS = yaml.SafeLoader("")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def _to_data(src: _Source, node: yaml.Node, path: Path_, errors: _Errors) -> Any:
    src.values[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if node.tag not in _PLAIN_TAGS:
        errors.add(src, path, f"YAML tag {node.tag} is not allowed in a pack")
        return None
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                src.values[path + ("?",)] = (knode.start_mark.line + 1, knode.start_mark.column + 1)
                errors.add(src, path + ("?",), "a key must be a plain name")
                continue
            key = knode.value
            kp = path + (key,)
            kmark = (knode.start_mark.line + 1, knode.start_mark.column + 1)
            if key in out:
                src.values.setdefault(kp + ("#dup",), kmark)
                errors.add(src, kp + ("#dup",), f"duplicate key {key!r}")
                continue
            src.keys[kp] = kmark
            out[key] = _to_data(src, vnode, kp, errors)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(src, n, path + (i,), errors) for i, n in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:float":
        try:  # keep the written digits: never a float
            return Decimal(node.value.replace("_", ""))
        except ArithmeticError:
            return node.value
    return _SCALARS.construct_object(node, deep=True)


def _read(path: Path, display: str, errors: _Errors, text: str | None = None) -> _Source | None:
    src = _Source(path, display)
    if text is None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            errors.items.append((display, 1, 1, f"cannot read the pack: {e}"))
            return None
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = e.problem or str(e)
        if e.context:
            problem = f"{e.context}, {problem}" if "while" not in e.context else f"{problem} ({e.context})"
        errors.items.append((display, line, col, f"YAML syntax error: {problem}"))
        return None
    except yaml.YAMLError as e:
        errors.items.append((display, 1, 1, f"YAML error: {e}"))
        return None
    if node is None:
        errors.items.append((display, 1, 1, "empty pack"))
        return None
    src.data = _to_data(src, node, (), errors)
    if not isinstance(src.data, dict):
        errors.add(src, (), "a pack is a mapping with keys pack, description, include, template, rules")
        return None
    return src


# ---- JSON Schema errors → messages


_TYPE_NAMES = {"string": "a string", "number": "a number", "integer": "an integer",
               "array": "a list", "object": "a mapping", "boolean": "true or false",
               "null": "empty"}


def _python_type(v: Any) -> str:
    if isinstance(v, bool):
        return "a boolean"
    if isinstance(v, (int, Decimal, float)):
        return "a number"
    if isinstance(v, str):
        return "a string"
    if isinstance(v, list):
        return "a list"
    if isinstance(v, dict):
        return "a mapping"
    if v is None:
        return "empty"
    return type(v).__name__


def _display(path: Sequence[Any]) -> str:
    out = ""
    for p in path:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out or "pack"


def _schema_errors(src: _Source, data: Any, schema: Mapping[str, Any], prefix: Path_,
                   errors: _Errors) -> bool:
    validator = jsonschema.Draft202012Validator(schema)
    found = sorted(validator.iter_errors(data), key=lambda e: src.mark(prefix + tuple(e.absolute_path)))
    for err in found:
        _report(src, err, prefix, errors)
    return bool(found)


def _report(src: _Source, err: jsonschema.ValidationError, prefix: Path_, errors: _Errors) -> None:
    path = prefix + tuple(err.absolute_path)
    rel = path[2:] if path[:1] == ("rules",) and len(path) >= 2 else path
    name = _display(rel)
    v = err.validator
    if v == "additionalProperties":
        known = list(err.schema.get("properties", {}))
        for key in err.instance:
            if key in known:
                continue
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else (
                f" (known keys: {', '.join(known)})" if known else "")
            if not known and isinstance(err.schema.get("additionalProperties"), bool):
                hint = ""
            errors.add(src, path + (key,), f"unknown key {key!r}{hint}", key=True)
        return
    if v == "required":
        for key in err.validator_value:
            if isinstance(err.instance, dict) and key not in err.instance:
                where = f" in {name}" if rel else ""
                errors.add(src, path, f"missing required key {key!r}{where}")
        return
    if v in ("anyOf", "oneOf") and err.context:
        deeper = [e for e in err.context if e.validator != "type" or e.absolute_path != err.absolute_path]
        if deeper:
            for e in deeper:
                _report(src, e, prefix, errors)
            return
        types = []
        for e in err.context:
            vv = e.validator_value
            types.extend(vv if isinstance(vv, list) else [vv])
        wanted = " or ".join(dict.fromkeys(_TYPE_NAMES.get(t, t) for t in types))
        errors.add(src, path, f"{name!r} must be {wanted}, not {_python_type(err.instance)}")
        return
    if v == "type":
        vv = err.validator_value
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in (vv if isinstance(vv, list) else [vv]))
        errors.add(src, path, f"{name!r} must be {wanted}, not {_python_type(err.instance)}")
        return
    if v == "enum":
        choices = ", ".join(str(c) for c in err.validator_value)
        errors.add(src, path, f"{name!r} must be one of {choices}, not {err.instance!r}")
        return
    if v == "pattern":
        errors.add(src, path, f"{name!r}: {err.instance!r} does not match {err.validator_value}")
        return
    if v in ("minItems", "minProperties", "minLength"):
        errors.add(src, path, f"{name!r} must not be empty")
        return
    errors.add(src, path, f"{name!r}: {err.message}")


# ---- a pack


def _pack_from(src: _Source, errors: _Errors) -> Pack | None:
    data = src.data
    n_before = len(errors.items)
    _schema_errors(src, data, PACK_SCHEMA, (), errors)
    name = data.get("pack") if isinstance(data.get("pack"), str) else src.path.stem
    tpl = None
    t = data.get("template")
    if isinstance(t, dict) and isinstance(t.get("tables"), dict):
        tables = {str(k): TableSpec(str(v.get("title", "")), bool(v.get("may_be_empty", False)),
                                    tuple(str(a) for a in v.get("aliases") or () if isinstance(a, str)))
                  for k, v in t["tables"].items() if isinstance(v, dict)}
        signals = tuple(str(s) for s in t.get("signals") or () if isinstance(s, str))
        requires = tuple(str(r) for r in t.get("requires") or () if isinstance(r, str))
        for k, r in enumerate(requires):
            if r not in tables:
                errors.add(src, ("template", "requires", k), f"'{r}' is not a table of this template")
        tpl = Template(name, tables, signals, requires)
    rules: list[Rule] = []
    raw_rules = data.get("rules")
    for i, raw in enumerate(raw_rules if isinstance(raw_rules, list) else []):
        if isinstance(raw, dict):
            rule = _rule_from(src, raw, ("rules", i), name, errors)
            if rule is not None:
                rules.append(rule)
                if tpl is not None:
                    _check_tables(src, raw, ("rules", i), tpl, errors)
    if len(errors.items) > n_before:
        return None
    applies = data.get("applies_to")
    applies_to = None
    if isinstance(applies, dict):
        applies_to = (str(applies.get("template", "")),
                      tuple(str(s) for s in applies.get("signals") or ()))
    return Pack(name=name, path=src.display, description=str(data.get("description", "")),
                template=tpl, rules=tuple(rules), applies_to=applies_to,
                base=data.get("base") is True)


# The fields that hold references (REF) and table ids (globs allowed).
_REF_FIELDS = ("value", "equals", "limit", "current", "delta", "pct", "part", "whole", "total", "parts")
_TABLE_FIELDS = ("tables", "table", "source")


def _check_tables(src: _Source, raw: Mapping[str, Any], at: Path_, tpl: Template,
                  errors: _Errors) -> None:
    """In a pack with a template, every table a rule names is one of the template's tables."""
    from .refs import PLACEHOLDER, RefError, parse_ref

    known = list(tpl.tables)

    def check(table: str, path: Path_, glob: bool) -> None:
        if PLACEHOLDER.search(table) or table.startswith(ROLE_PREFIX):
            return  # a role is checked against the vocabulary (_check_roles)
        base = re.sub(r"#\d+$", "", table)
        if glob and any(ch in base for ch in "*?["):
            if not any(fnmatch.fnmatchcase(k, base) for k in known):
                errors.add(src, path, f"{table!r} matches no table of template {tpl.name!r}")
        elif base not in tpl.tables:
            close = difflib.get_close_matches(base, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.add(src, path, f"table {table!r} is not in template {tpl.name!r}{hint}; "
                       f"its tables: {', '.join(known)}")

    def ref(value: Any, path: Path_) -> None:
        if isinstance(value, dict):
            if "ref" in value:
                ref(value["ref"], path + ("ref",))
            return
        if not isinstance(value, str):
            return
        try:
            r = parse_ref(PLACEHOLDER.sub(lambda m: "{" + m[1] + "}", value))
        except RefError:
            return
        if r.kind == "cell" and r.table:
            check(r.table, path, glob=False)

    for f in _REF_FIELDS:
        v = raw.get(f)
        for j, item in enumerate(v) if isinstance(v, list) else [(None, v)]:
            ref(item, at + ((f,) if j is None else (f, j)))
    for f in _TABLE_FIELDS:
        v = raw.get(f)
        for j, item in enumerate(v) if isinstance(v, list) else [(None, v)]:
            if isinstance(item, str):
                check(item, at + ((f,) if j is None else (f, j)), glob=True)


def _check_roles(src: _Source, raw: Mapping[str, Any], at: Path_, errors: _Errors) -> bool:
    """Every ``@role`` a rule names (in a reference or a table field) is a role of the
    vocabulary (rules/vocabulary/roles.yaml)."""
    from .roles import vocabulary

    names = vocabulary().names
    ok = True

    def check(text: Any, path: Path_) -> None:
        nonlocal ok
        if isinstance(text, dict) and "ref" in text:
            check(text["ref"], path + ("ref",))
            return
        if not isinstance(text, str):
            return
        m = re.match(r"^\s*(?:prev:)?-?@([^\[\]\s]*)", text)
        if m is None or PLACEHOLDER.search(m[1]):
            return
        if m[1] not in names:
            close = difflib.get_close_matches(m[1], names, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.add(src, path, f"unknown table role {m[1]!r}{hint}; roles: rules/vocabulary/roles.yaml")
            ok = False

    for f in (*_REF_FIELDS, *_TABLE_FIELDS):
        v = raw.get(f)
        for j, item in enumerate(v) if isinstance(v, list) else [(None, v)]:
            check(item, at + ((f,) if j is None else (f, j)))
    return ok


def _rule_from(src: _Source, raw: dict[str, Any], at: Path_, pack: str,
               errors: _Errors) -> Rule | None:
    kind = raw.get("kind")
    if "kind" not in raw:
        errors.add(src, at, "missing required key 'kind'")
        return None
    if not isinstance(kind, str) or kind not in KINDS:
        known = sorted(KINDS)
        close = difflib.get_close_matches(str(kind), known, n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}? " if close else ""
        errors.add(src, at + ("kind",),
                   f"unknown kind {kind!r} ({hint}known kinds: {', '.join(known)})")
        return None
    if _schema_errors(src, raw, rule_schema(kind), at, errors):
        return None
    if not _check_roles(src, raw, at, errors):
        return None
    for_ = _for_combinations(raw.get("for"))
    names = set(BUILTIN_VARS)
    for combo in for_:
        names |= set(combo)
    sample = dict(for_[0]) if for_ else {}
    match = raw.get("match")
    ok = True
    if match is not None:
        try:
            names |= set(re.compile(expand_pattern(match, sample)).groupindex)
        except re.error as e:
            errors.add(src, at + ("match",), f"bad regular expression in match: {e}")
            ok = False
    elif "min_matches" in raw:
        errors.add(src, at + ("min_matches",), "min_matches needs a match pattern", key=True)
        ok = False
    params = {k: v for k, v in raw.items() if k not in COMMON_PROPERTIES}
    validate = getattr(KINDS[kind], "validate", None)
    if validate is not None and ok:
        seen: set[tuple[tuple, str]] = set()
        # each for-assignment filled in, so that ``$held_{class}`` is checked as
        # the capture it names (``$held_a``, ``$held_b``), not as a pattern
        for combo in for_ or ({},):
            for path, message in validate(_filled(params, combo), names):
                if (tuple(path), message) not in seen:
                    seen.add((tuple(path), message))
                    errors.add(src, at + tuple(path), message)
                    ok = False
    if not ok:
        return None
    line, col = src.mark(at)
    return Rule(
        id=raw["id"], kind=kind, params=params,
        severity=raw.get("severity", "error"), description=raw.get("description", ""),
        for_=for_, match=match, min_matches=int(raw.get("min_matches", 1)),
        missing=raw.get("missing", "skip"), pack=pack,
        source=f"{src.display}:{line}:{col}",
    )


def _filled(value: Any, combo: Mapping[str, str]) -> Any:
    """``value`` with the ``{name}`` placeholders of one for-assignment filled in."""
    if not combo:
        return value
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: combo.get(m[1], m[0]), value)
    if isinstance(value, list):
        return [_filled(v, combo) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, combo) for k, v in value.items()}
    return value


def _for_combinations(spec: Any) -> tuple[dict[str, str], ...]:
    if not spec:
        return ()
    if isinstance(spec, dict):
        names = list(spec)
        values = [[str(x) for x in spec[n]] for n in names]
        return tuple(dict(zip(names, combo)) for combo in itertools.product(*values))
    return tuple({k: str(v) for k, v in item.items()} for item in spec)


def _expand(paths_or_dir: str | Path | Iterable[str | Path]) -> list[Path]:
    items = [paths_or_dir] if isinstance(paths_or_dir, (str, Path)) else list(paths_or_dir)
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        else:
            out.append(p)
    return out


def load_pack_text(text: str, name: str = "<string>") -> PackSet:
    """One pack from YAML text (tests, tools); it cannot ``include``."""
    errors = _Errors()
    src = _read(Path(name), name, errors, text)
    pack = None
    if src is not None:
        pack = _pack_from(src, errors)
        if src.data.get("include"):
            errors.add(src, ("include",), "a pack given as text cannot include other packs")
        seen: dict[str, str] = {}
        for idx, raw in enumerate(src.data.get("rules") or ()):
            rid = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(rid, str):
                line, col = src.mark(("rules", idx, "id"))
                if rid in seen:
                    errors.add(src, ("rules", idx, "id"),
                               f"duplicate rule id {rid!r} (first defined at {seen[rid]})")
                seen.setdefault(rid, f"{name}:{line}:{col}")
    errors.raise_if_any()
    assert pack is not None
    return PackSet((pack,))


def load_packs(paths_or_dir: str | Path | Iterable[str | Path]) -> PackSet:
    """Load and validate packs (a folder, a file or several); ``PackError`` on any error."""
    errors = _Errors()
    loaded: dict[Path, Pack | None] = {}
    order: list[Path] = []
    sources: dict[Path, _Source] = {}

    def load(path: Path, display: str, stack: list[Path]) -> Pack | None:
        key = path.resolve()
        if key in loaded:
            return loaded[key]
        loaded[key] = None
        src = _read(path, display, errors)
        if src is None:
            return None
        sources[key] = src
        pack = _pack_from(src, errors)
        includes: list[str] = []
        inc = src.data.get("include")
        for j, name in enumerate(inc if isinstance(inc, list) else []):
            if not isinstance(name, str):
                continue
            target = path.parent / name
            if (Path(name).is_absolute() or "/" in name or "\\" in name
                    or target.resolve().parent != path.parent.resolve()):
                errors.add(src, ("include", j),
                           f"include {name!r} is outside the pack's folder: "
                           "name a pack of the same folder")
                continue
            if not target.is_file():
                errors.add(src, ("include", j), f"include {name!r}: no such pack in {path.parent}")
                continue
            tkey = target.resolve()
            chain = [*stack, key]
            if tkey in chain:
                names = [c.name for c in chain[chain.index(tkey):]] + [tkey.name]
                errors.add(src, ("include", j), f"circular include: {' → '.join(names)}")
                continue
            sub = load(target, str(Path(display).parent / name), chain)
            if sub is not None:
                includes.append(sub.name)
        if pack is not None:
            pack = dataclasses.replace(pack, includes=tuple(includes))
        loaded[key] = pack
        order.append(key)
        return pack

    paths = _expand(paths_or_dir)
    if not paths:
        raise PackError(str(paths_or_dir), None, None, "no rule packs found")
    for p in paths:
        if not p.exists():
            errors.items.append((str(p), 1, 1, "no such pack"))
            continue
        load(p, str(p), [])

    # Pack names and rule ids are unique over everything loaded together.
    pack_names: dict[str, str] = {}
    rule_ids: dict[str, str] = {}
    for key in order:
        pack = loaded[key]
        src = sources[key]
        if pack is None:
            continue
        if pack.name in pack_names:
            errors.add(src, ("pack",), f"duplicate pack name {pack.name!r} "
                       f"(also {pack_names[pack.name]})")
        pack_names.setdefault(pack.name, src.display)
        for idx, raw in enumerate(src.data.get("rules") or ()):
            rid = raw.get("id") if isinstance(raw, dict) else None
            if not isinstance(rid, str):
                continue
            line, col = src.mark(("rules", idx, "id"))
            if rid in rule_ids:
                errors.add(src, ("rules", idx, "id"),
                           f"duplicate rule id {rid!r} (first defined at {rule_ids[rid]})")
                continue
            rule_ids[rid] = f"{src.display}:{line}:{col}"
    templates = {p.name for p in loaded.values() if p is not None and p.template is not None}
    for key in order:
        pack = loaded[key]
        if pack is not None and pack.applies_to and pack.applies_to[0] not in templates:
            errors.add(sources[key], ("applies_to", "template"),
                       f"unknown template {pack.applies_to[0]!r} "
                       f"(templates: {', '.join(sorted(templates)) or 'none'})")
    errors.raise_if_any()
    packs = tuple(loaded[k] for k in order if loaded[k] is not None)
    return PackSet(packs)  # type: ignore[arg-type]
