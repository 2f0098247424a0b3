"""Rule families: what a user selects or ignores, the way linters select rule groups.

Every rule belongs to one family: its own ``family:`` in the pack, else its
pack's ``family:``, else its kind's (``FAMILY`` in the kind module; a kind
without one is ``arithmetic``).  ``--select`` keeps only the families named,
``--ignore`` drops them (after ``--select``); the same two keys can be set in
a config file read from the working folder:

- ``budget-audit.toml``: ``select = [...]`` / ``ignore = [...]`` at the top
  level (or under ``[tool.budget-audit]``);
- else ``pyproject.toml``: the same keys under ``[tool.budget-audit]``.

A command-line option replaces the config file's value of the same key.  An
unknown family name (command line or file) is an error naming the known ones.
"""

from __future__ import annotations

import dataclasses
import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

# name → what it checks (en, zh): `audit rules` lists them in this order
FAMILIES: dict[str, tuple[str, str]] = {
    "arithmetic": ("sums, totals, restatements, shares and changes of the figures",
                   "金额运算：合计、总计、重述、占比、增减"),
    "completeness": ("the tables, sections and empty-table sentences the template calls for",
                     "完整性：模板要求的表格、章节、空表说明"),
    "codes": ("subject codes and their names against the national code book, as of the year",
              "科目编码与名称：按年度对照全国政府收支分类科目"),
    "consistency": ("the text agrees with itself: one amount per item, year labels, the "
                    "document kind's words, one issuer and year",
                    "文字一致性：同一事项金额、比较年度、文档类型用语、单位名称与年度"),
    "sentences": ("sentences left unfinished: empty reason slots, template alternatives, "
                  "placeholders, an empty 其中 list",
                  "语句完整性：原因空缺、模板选项未删、占位符、其中未列明"),
    "typography": ("punctuation: doubled or missing sentence ends, unbalanced brackets and quotes",
                   "标点：重复或缺失句末标点、括号引号不成对"),
    "pages": ("blank pages and pages whose text cannot be read", "页面：空白页、文字无法读取的页"),
}
DEFAULT_FAMILY = "arithmetic"
CONFIG_FILE = "budget-audit.toml"


class SelectionError(ValueError):
    """A bad family name or config file: one line, ``file: message`` when from a file."""


@dataclass(frozen=True)
class Selection:
    select: tuple[str, ...] | None = None  # None: every family
    ignore: tuple[str, ...] = ()
    source: str | None = None  # the config file the values came from, if any

    def keeps(self, family: str) -> bool:
        if self.select is not None and family not in self.select:
            return False
        return family not in self.ignore

    @property
    def active(self) -> bool:
        return self.select is not None or bool(self.ignore)

    def to_dict(self) -> dict[str, Any]:
        return {"select": list(self.select) if self.select is not None else None,
                "ignore": list(self.ignore)}


def names(values: Iterable[str] | None, where: str) -> tuple[str, ...]:
    """Family names from options or a file (``a,b`` and repeated values alike), checked."""
    out: list[str] = []
    for v in values or ():
        for name in str(v).split(","):
            name = name.strip()
            if not name:
                continue
            if name not in FAMILIES:
                close = difflib.get_close_matches(name, list(FAMILIES), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                raise SelectionError(f"{where}: unknown rule family {name!r}{hint}; "
                                     f"families: {', '.join(FAMILIES)}")
            if name not in out:
                out.append(name)
    return tuple(out)


def read_config(folder: str | Path = ".") -> Selection:
    """The selection of ``budget-audit.toml`` or ``pyproject.toml`` in ``folder``."""
    folder = Path(folder)
    for fname, nested_only in ((CONFIG_FILE, False), ("pyproject.toml", True)):
        path = folder / fname
        if not path.is_file():
            continue
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
            raise SelectionError(f"{path}: {e}") from None
        table = data.get("tool", {}).get("budget-audit") if isinstance(data.get("tool"), dict) else None
        if table is None and not nested_only:
            table = {k: v for k, v in data.items() if k != "tool"}
        if table is None:
            continue  # a pyproject.toml without our table
        if not isinstance(table, dict):
            raise SelectionError(f"{path}: [tool.budget-audit] must be a table")
        unknown = sorted(set(table) - {"select", "ignore"})
        if unknown:
            raise SelectionError(f"{path}: unknown key {unknown[0]!r} (known: select, ignore)")
        for key in ("select", "ignore"):
            if key in table and not (isinstance(table[key], list)
                                     and all(isinstance(x, str) for x in table[key])):
                raise SelectionError(f"{path}: {key} must be a list of family names")
        select = names(table["select"], str(path)) if "select" in table else None
        return Selection(select, names(table.get("ignore"), str(path)), str(path))
    return Selection()


def selection(select: Sequence[str] | None, ignore: Sequence[str] | None,
              folder: str | Path = ".") -> Selection:
    """The config file's selection with the command line's values in place of its own."""
    conf = read_config(folder)
    sel = names(select, "--select") if select else conf.select
    ign = names(ignore, "--ignore") if ignore else conf.ignore
    return Selection(sel, ign, conf.source)


def apply(packset: Any, sel: Selection | None) -> Any:
    """The pack set with only the rules of the selected families (templates unchanged)."""
    if sel is None or not sel.active:
        return packset
    packs = tuple(dataclasses.replace(p, rules=tuple(r for r in p.rules if sel.keeps(r.family)))
                  for p in packset.packs)
    return dataclasses.replace(packset, packs=packs)
