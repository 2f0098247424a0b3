"""A pack from its data (its rules, the tables they name) and ``load_packs``."""

from __future__ import annotations

import dataclasses
import difflib
import fnmatch
import itertools
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..checks import KINDS
from ..checks.patterns import expand_pattern
from ..sentences import VocabularyError
from ..refs import BUILTIN_VARS
from ..errors import PackError
from ..families import DEFAULT_FAMILY
from ..refs import PLACEHOLDER, ROLE_PREFIX
from .errors import Errors, schema_errors
from .includes import expand, include_target
from .model import Pack, PackSet, Rule, TableSpec, Template
from .schema import COMMON_PROPERTIES, PACK_SCHEMA, rule_schema
from .source import Path_, Source, read


def _pack_from(src: Source, errors: Errors) -> Pack | None:
    data = src.data
    n_before = len(errors.items)
    schema_errors(src, data, PACK_SCHEMA, (), errors)
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


def _check_tables(src: Source, raw: Mapping[str, Any], at: Path_, tpl: Template,
                  errors: Errors) -> None:
    """In a pack with a template, every table a rule names is one of the template's tables."""
    from ..refs import RefError, parse_ref

    known = list(tpl.tables)

    def check(table: str, path: Path_, glob: bool, key: bool = False) -> None:
        if PLACEHOLDER.search(table) or table.startswith(ROLE_PREFIX):
            return  # a role is checked against the vocabulary (_check_roles)
        base = re.sub(r"#\d+$", "", table)
        if glob and any(ch in base for ch in "*?["):
            if not any(fnmatch.fnmatchcase(k, base) for k in known):
                errors.add(src, path, f"{table!r} matches no table of template {tpl.name!r}", key=key)
        elif base not in tpl.tables:
            close = difflib.get_close_matches(base, known, n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            errors.add(src, path, f"table {table!r} is not in template {tpl.name!r}{hint}; "
                       f"its tables: {', '.join(known)}", key=key)

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

    kind = KINDS[raw["kind"]]
    for f in getattr(kind, "REF_FIELDS", ()):  # a REF, a list of them, or a mapping name → REF
        for path, item in _items(raw.get(f), at + (f,)):
            ref(item, path)
    for f in getattr(kind, "TABLE_FIELDS", ()):  # a table id, a list of them, or a mapping keyed by them
        v = raw.get(f)
        if isinstance(v, dict):
            for k in v:
                if isinstance(k, str):
                    check(k, at + (f, k), glob=True, key=True)
            continue
        for path, item in _items(v, at + (f,)):
            if isinstance(item, str):
                check(item, path, glob=True)


def _items(value: Any, at: Path_) -> list[tuple[Path_, Any]]:
    """(path, item) of a field's value: itself, each item of a list, each value of a mapping."""
    if isinstance(value, list):
        return [(at + (j,), v) for j, v in enumerate(value)]
    if isinstance(value, dict) and "ref" not in value:
        return [(at + (k,), v) for k, v in value.items()]
    return [(at, value)]


def _check_tables_of_included(order: Sequence[Path], loaded: Mapping[Path, Pack | None],
                              sources: Mapping[Path, Source], errors: Errors) -> None:
    """A pack without a template of its own (a narrative pack, an issuer pack) names the
    tables of the templates it serves: every template whose pack includes it (directly
    or through another include) or that it ``applies_to``; a table must be in each."""
    packs = {p.name: p for p in loaded.values() if p is not None}
    served: dict[str, list[Template]] = {}
    for tpl_pack in packs.values():
        if tpl_pack.template is None:
            continue
        stack, seen = list(tpl_pack.includes), set()
        while stack:
            n = stack.pop()
            if n in seen or n not in packs:
                continue
            seen.add(n)
            served.setdefault(n, []).append(tpl_pack.template)
            stack.extend(packs[n].includes)
    for key in order:
        pack = loaded[key]
        if pack is None or pack.template is not None:
            continue
        tpls = list(served.get(pack.name, ()))
        if pack.applies_to and pack.applies_to[0] in packs and packs[pack.applies_to[0]].template:
            tpls.append(packs[pack.applies_to[0]].template)  # type: ignore[arg-type]
        if pack.base:
            continue  # applied to every document: it names no template's tables
        src = sources[key]
        for tpl in {t.name: t for t in tpls}.values():
            for i, raw in enumerate(src.data.get("rules") or ()):
                if isinstance(raw, dict) and raw.get("kind") in KINDS:
                    _check_tables(src, raw, ("rules", i), tpl, errors)


def _check_roles(src: Source, raw: Mapping[str, Any], at: Path_, errors: Errors) -> bool:
    """Every ``@role`` a rule names (in a reference or a table field) is a role of the
    vocabulary (rules/vocabulary/roles.yaml)."""
    from ..roles import vocabulary

    names = vocabulary().names
    ok = True

    def check(text: Any, path: Path_, key: bool = False) -> None:
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
            errors.add(src, path, f"unknown table role {m[1]!r}{hint}; roles: rules/vocabulary/roles.yaml",
                       key=key)
            ok = False

    kind = KINDS[raw["kind"]]
    for f in getattr(kind, "REF_FIELDS", ()):
        for path, item in _items(raw.get(f), at + (f,)):
            check(item, path)
    for f in getattr(kind, "TABLE_FIELDS", ()):
        v = raw.get(f)
        if isinstance(v, dict):
            for k in v:
                check(k, at + (f, k), key=True)
            continue
        for path, item in _items(v, at + (f,)):
            check(item, path)
    return ok


def _rule_from(src: Source, raw: dict[str, Any], at: Path_, pack: str,
               errors: Errors) -> Rule | None:
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
    if schema_errors(src, raw, rule_schema(kind), at, errors):
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
        except VocabularyError as e:
            errors.add(src, at + ("match",), f"{e} in match")
            ok = False
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
        defers=bool(src.data.get("defers")),
        family=str(raw.get("family") or src.data.get("family")
                   or getattr(KINDS[kind], "FAMILY", DEFAULT_FAMILY)),
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


def load_pack_text(text: str, name: str = "<string>") -> PackSet:
    """One pack from YAML text (tests, tools); it cannot ``include``."""
    errors = Errors()
    src = read(Path(name), name, errors, text)
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
    errors = Errors()
    loaded: dict[Path, Pack | None] = {}
    order: list[Path] = []
    sources: dict[Path, Source] = {}

    def load(path: Path, display: str, stack: list[Path], root: Path) -> Pack | None:
        key = path.resolve()
        if key in loaded:
            return loaded[key]
        loaded[key] = None
        src = read(path, display, errors)
        if src is None:
            return None
        sources[key] = src
        pack = _pack_from(src, errors)
        includes: list[str] = []
        inc = src.data.get("include")
        for j, name in enumerate(inc if isinstance(inc, list) else []):
            if not isinstance(name, str):
                continue
            target, problem = include_target(name, path, root)
            if problem is not None:
                errors.add(src, ("include", j), problem)
                continue
            tkey = target.resolve()
            chain = [*stack, key]
            if tkey in chain:
                names = [c.name for c in chain[chain.index(tkey):]] + [tkey.name]
                errors.add(src, ("include", j), f"circular include: {' → '.join(names)}")
                continue
            sub = load(target, os.path.normpath(Path(display).parent / name), chain, root)
            if sub is not None:
                includes.append(sub.name)
        if pack is not None:
            pack = dataclasses.replace(pack, includes=tuple(includes))
        loaded[key] = pack
        order.append(key)
        return pack

    paths = expand(paths_or_dir)
    if not paths:
        raise PackError(str(paths_or_dir), None, None, "no rule packs found")
    for p, root in paths:
        if not p.exists():
            errors.items.append((str(p), 1, 1, "no such pack"))
            continue
        load(p, str(p), [], root)

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
    _check_tables_of_included(order, loaded, sources, errors)
    for key in order:
        pack = loaded[key]
        if pack is not None and pack.applies_to and pack.applies_to[0] not in templates:
            errors.add(sources[key], ("applies_to", "template"),
                       f"unknown template {pack.applies_to[0]!r} "
                       f"(templates: {', '.join(sorted(templates)) or 'none'})")
    errors.raise_if_any()
    packs = tuple(loaded[k] for k in order if loaded[k] is not None)
    return PackSet(packs)  # type: ignore[arg-type]
