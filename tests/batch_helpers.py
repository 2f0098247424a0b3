"""Shared by the batch tests: a sink that keeps what it is given, and a rules
folder with no rule (the fake tasks need none, and the bundled packs may be
under edit)."""

from __future__ import annotations

from pathlib import Path


class Collect:
    """A sink that keeps everything (tests only)."""

    def __init__(self, ordered: bool = False):
        self.ordered = ordered
        self.results: list = []
        self.stats = None

    def start(self, stats):
        pass

    def add(self, result):
        self.results.append(result)

    def finish(self, stats):
        self.stats = stats

    def close(self):
        pass


def empty_rules(folder: Path) -> Path:
    (folder / "fake.yaml").write_text("pack: fake\ndescription: batch tests\nrules: []\n")
    return folder
