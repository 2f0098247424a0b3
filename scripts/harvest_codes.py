"""The subject codes and names budget tables print, against the code book.

    python scripts/harvest_codes.py CACHE_DIR_OR_JSON_FILES...

reads Documents (``audit extract`` JSON dumps, or the ``documents/`` of a
batch's ``--cache-dir``) and prints, per code, the names printed and the
years they were printed in, marking the codes the code book
(``auditor/data/codebook.yaml``) lacks (``+``) and the names it does not
give for that year (``!``).  It never writes the book: a name goes into it
only after it has been checked by hand against the national edition of its
year (see the book's header).
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from auditor import codebook  # noqa: E402


def documents(args: list[str]):
    for a in args:
        p = Path(a)
        files = sorted(p.rglob("*.json")) if p.is_dir() else [p]
        for f in files:
            d = json.loads(f.read_text(encoding="utf-8"))
            d = d.get("document", d)
            if isinstance(d, dict) and "tables" in d:
                yield d


def main(args: list[str]) -> int:
    book = codebook.load()
    names: dict[str, Counter] = defaultdict(Counter)
    years: dict[tuple[str, str], set] = defaultdict(set)
    for d in documents(args):
        for t in d["tables"]:
            for r in t["rows"]:
                c = r.get("code")
                if not c or "#" in r["key"] or not ((c[0] == "2" and len(c) in (3, 5, 7))
                                                     or (c[0] in "35" and len(c) in (3, 5))):
                    continue
                label = codebook.clean_label(r["label"])
                if label:
                    names[c][label] += 1
                    years[(c, label)].add(d.get("year"))
    for code in sorted(names):
        mark = "+" if not book.knows(code) else " "
        out = []
        for name, n in names[code].most_common():
            ys = sorted(y for y in years[(code, name)] if y)
            ok = book.knows(code) and all(any(codebook.same_name(name, x) for x in book.current(code, y))
                                          for y in ys or [None])
            out.append(f"{'' if ok or mark == '+' else '!'}{name} ×{n} {ys}")
        print(f"{mark} {code}: " + "; ".join(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
