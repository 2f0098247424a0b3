"""``--format jsonl``: one ``documents[]`` entry of the JSON report per line.

Written and flushed as each document finishes (in completion order), so a
consumer can follow the stream and a crash loses nothing already done.
"""

from __future__ import annotations

import json
from typing import IO, Any, Iterable

from ..model import Audit
from .json_report import document_dict


def line(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def render(audits: Iterable[Audit], out: IO[str], **_: Any) -> None:
    for a in audits:
        out.write(line(document_dict(a)))


class JsonlSink:
    ordered = False

    def __init__(self, out: IO[str]):
        self.out = out

    def start(self, stats: Any) -> None:
        pass

    def add(self, result: Any) -> None:
        self.out.write(line(result.document))
        self.out.flush()

    def finish(self, stats: Any) -> None:
        self.out.flush()

    def close(self) -> None:
        pass
