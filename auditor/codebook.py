"""The national code book: 政府收支分类科目 codes and their names, by year.

Read from ``auditor/data/codebook.yaml`` (package data; its header says where
the names come from and what it leaves out).  Two lists:

- ``functional`` (支出功能分类科目): 类 3 digits, 款 5, 项 7;
- ``economic`` (部门预算支出经济分类科目): 类 3 digits, 款 5.

An entry is a name, or a list of ``{name, since, until}`` (years, inclusive)
when the subject was renamed: 210 is 医疗卫生与计划生育支出 until 2018 and
卫生健康支出 from 2019.  ``aliases`` are other names the national list itself
prints for the same subject in some edition's tables (a shortened form).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

import yaml

from .model import normalise_label


@dataclass(frozen=True)
class Name:
    name: str
    since: int | None = None
    until: int | None = None

    def valid(self, year: int | None) -> bool:
        if year is None:
            return self.until is None
        return (self.since is None or year >= self.since) and (self.until is None or year <= self.until)


@dataclass(frozen=True, eq=False)
class CodeBook:
    names: dict[str, tuple[Name, ...]]  # code → its names over the years
    source: str = ""

    def knows(self, code: str) -> bool:
        return code in self.names

    def current(self, code: str, year: int | None) -> list[str]:
        return [n.name for n in self.names.get(code, ()) if n.valid(year)]

    def former(self, code: str, year: int | None) -> list[Name]:
        """Names the code had before ``year`` and no longer has."""
        if year is None:
            return []
        return [n for n in self.names.get(code, ()) if n.until is not None and n.until < year]

    def codes_named(self, name: str, year: int | None) -> list[str]:
        """The codes whose name as of ``year`` is ``name`` (exactly, white space aside)."""
        return [c for c in _index(self).get(normalise_label(name), ()) if name_of(self, c, name, year)]


    def codes_ever_named(self, name: str) -> list[str]:
        """The codes that have had ``name`` in some year."""
        return list(_index(self).get(normalise_label(name), ()))


def name_of(book: CodeBook, code: str, name: str, year: int | None) -> bool:
    return any(normalise_label(n) == normalise_label(name) for n in book.current(code, year))


@lru_cache(maxsize=4)
def _index(book: CodeBook) -> dict[str, tuple[str, ...]]:
    by_name: dict[str, list[str]] = {}
    for code, names in book.names.items():
        for n in names:
            by_name.setdefault(normalise_label(n.name), []).append(code)
    return {k: tuple(dict.fromkeys(v)) for k, v in by_name.items()}


def _entries(raw: object) -> tuple[Name, ...]:
    if isinstance(raw, str):
        return (Name(raw),)
    out = []
    for item in raw or ():  # type: ignore[union-attr]
        if isinstance(item, str):
            out.append(Name(item))
        else:
            out.append(Name(str(item["name"]), item.get("since"), item.get("until")))
    return tuple(out)


@lru_cache(maxsize=1)
def load() -> CodeBook:
    text = resources.files("auditor").joinpath("data/codebook.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    names: dict[str, tuple[Name, ...]] = {}
    for part in ("functional", "economic"):
        for code, raw in (data.get(part) or {}).items():
            names[str(code)] = _entries(raw)
    return CodeBook(names, str(data.get("source", "")))


# ------------------------------------------------------------------ comparing names

# characters a printed name adds to or drops from the official one without
# naming another subject (as refs.same_subject_name), and marks around it
_FILLER = frozenset("的和及与、支出缴费")


def clean_label(label: str) -> str:
    """A row label as a name: level markers, a leading code or number, 其中, marks removed."""
    import re

    t = normalise_label(label)
    t = re.sub(r"[（(][类款项][)）]", "", t)
    t = re.sub(r"^(?:其中[:：]?)", "", t)
    t = re.sub(r"^[\d.、．]+", "", t)
    t = re.sub(r"[*＊]+$", "", t)
    return t


def same_name(printed: str, official: str) -> bool:
    """The printed name is the official one: equal up to filler characters and
    order, or cut short by the cell (a prefix of at least 6 characters), or the
    official name with its bracketed part left out or put in."""
    import re

    p, o = normalise_label(printed), normalise_label(official)
    if p == o:
        return True
    strip = lambda s: re.sub(r"[（(][^）)]*[)）]", "", s).replace("（", "").replace("）", "")  # noqa: E731
    if strip(p) == strip(o):
        return True
    if len(p) >= 6 and o.startswith(p):
        return True
    a, b = Counter(strip(p)), Counter(strip(o))
    extra = (a - b) + (b - a)
    return sum((a & b).values()) >= 4 and all(ch in _FILLER for ch in extra)


def near_codes(code: str, known: Iterable[str]) -> list[str]:
    """Known codes of the same length one slip away: one digit wrong, or two
    neighbouring digits swapped."""
    out = []
    for k in known:
        if len(k) != len(code) or k == code:
            continue
        diff = [i for i in range(len(k)) if k[i] != code[i]]
        if len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                              and k[diff[0]] == code[diff[1]] and k[diff[1]] == code[diff[0]]):
            out.append(k)
    return out
