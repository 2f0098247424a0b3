"""Which pack files a folder holds, and where an ``include`` points.

A folder is read with its subfolders (``rules/base/``, ``rules/national/``…).
An include names a pack file relative to the including pack's folder
(``generic.yaml``, ``../base/generic.yaml``); it must stay inside the rules
folder loaded (the folder given, or the folder of the file given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable


# A folder of a rules folder that holds data the packs name, not packs: the
# vocabulary of table roles (rules/vocabulary/roles.yaml, auditor/roles.py).
NOT_PACKS = ("vocabulary",)


def expand(paths_or_dir: str | Path | Iterable[str | Path]) -> list[tuple[Path, Path]]:
    """(pack file, the rules folder its includes must stay in) for a folder (its
    ``*.yaml``/``*.yml``, subfolders too, in path order, but not ``vocabulary/``),
    a file or several."""
    items = [paths_or_dir] if isinstance(paths_or_dir, (str, Path)) else list(paths_or_dir)
    out: list[tuple[Path, Path]] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend((f, p) for f in sorted([*p.rglob("*.yaml"), *p.rglob("*.yml")])
                       if f.is_file() and not set(f.relative_to(p).parts[:-1]) & set(NOT_PACKS))
        else:
            out.append((p, p.parent))
    return out


def include_target(name: str, pack: Path, root: Path) -> tuple[Path, str | None]:
    """The file ``include: [name]`` of ``pack`` names, or why it cannot be included."""
    target = pack.parent / name
    inside = target.resolve().is_relative_to(root.resolve())
    if Path(name).is_absolute() or "\\" in name or not inside:
        return target, (f"include {name!r} is outside the pack's folder: name a pack of the same "
                        f"folder (or of another folder under {root})")
    if not target.is_file():
        return target, f"include {name!r}: no such pack in {target.parent}"
    return target, None
