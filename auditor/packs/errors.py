"""Errors found while loading packs, each with ``file:line:col``; JSON Schema's in words."""

from __future__ import annotations

import difflib
from decimal import Decimal
from typing import Any, Mapping, Sequence

import jsonschema

from ..errors import PackError
from .source import Path_, Source

class Errors:
    def __init__(self) -> None:
        self.items: list[tuple[str, int, int, str]] = []

    def add(self, src: Source, path: Path_, message: str, key: bool = False) -> None:
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


def schema_errors(src: Source, data: Any, schema: Mapping[str, Any], prefix: Path_,
                   errors: Errors) -> bool:
    validator = jsonschema.Draft202012Validator(schema)
    found = sorted(validator.iter_errors(data), key=lambda e: src.mark(prefix + tuple(e.absolute_path)))
    for err in found:
        _report(src, err, prefix, errors)
    return bool(found)


def _report(src: Source, err: jsonschema.ValidationError, prefix: Path_, errors: Errors) -> None:
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
        types: list[str] = []
        for e in err.context:
            vv = e.validator_value
            types.extend(vv if isinstance(vv, list) else [vv])
        wanted = " or ".join(dict.fromkeys(_TYPE_NAMES.get(t, t) for t in types))
        errors.add(src, path, f"{name!r} must be {wanted}, not {_python_type(err.instance)}")
        return
    if v == "type":
        vv = err.validator_value
        wanted = " or ".join(_TYPE_NAMES.get(t, t) for t in (vv if isinstance(vv, list) else [str(vv)]))
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
