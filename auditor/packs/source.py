"""A pack file read with the position of every value: ``yaml.compose`` keeps each
node's line and column, ``Source`` maps a path into the data (``("rules", 3, "id")``)
to them.  Only plain YAML: a tag (``!!python/object``) is an error, a float keeps
its written digits as a ``Decimal``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:  # pragma: no cover
    from .errors import Errors

# libyaml's C parser when present (4× faster), the same safe loader either way
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Path_ = tuple[Any, ...]
Mark = tuple[int, int]


class Source:
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


_SCALARS = yaml.SafeLoader("")
_PLAIN_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map")}


def to_data(src: Source, node: yaml.Node, path: Path_, errors: Errors) -> Any:
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
            out[key] = to_data(src, vnode, kp, errors)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [to_data(src, n, path + (i,), errors) for i, n in enumerate(node.value)]
    if node.tag == "tag:yaml.org,2002:float":
        try:  # keep the written digits: never a float
            return Decimal(node.value.replace("_", ""))
        except ArithmeticError:
            return node.value
    return _SCALARS.construct_object(node, deep=True)


def read(path: Path, display: str, errors: Errors, text: str | None = None) -> Source | None:
    src = Source(path, display)
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
    src.data = to_data(src, node, (), errors)
    if not isinstance(src.data, dict):
        errors.add(src, (), "a pack is a mapping with keys pack, description, include, template, rules")
        return None
    return src
