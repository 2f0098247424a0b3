"""The files shipped under rules/ (package ``auditor.rules``): read from a
source checkout's ``rules/`` when this module runs from one (so an edit there is
seen without reinstalling, even beside another editable install), else from the
installed package."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any, Mapping


def checkout_rules() -> Path | None:
    """This source checkout's ``rules/`` folder; None when installed as a package."""
    top = Path(__file__).resolve().parent.parent
    if (top / "pyproject.toml").is_file() and (top / "rules").is_dir():
        return top / "rules"
    return None


def shipped_rules() -> Path:
    """The rule packs' folder: the checkout's, else the package's own."""
    return checkout_rules() or Path(str(resources.files("auditor.rules")))


def shipped_text(name: str) -> str:
    """The text of ``rules/NAME`` (``vocabulary/roles.yaml`` …)."""
    own = checkout_rules()
    if own is not None and (own / name).is_file():
        return (own / name).read_text(encoding="utf-8")
    return resources.files("auditor.rules").joinpath(name).read_text(encoding="utf-8")


def vocabulary_data(text: str, schema: Mapping[str, Any], where: str) -> Any:
    """A vocabulary file's YAML (``rules/vocabulary/…``) read and checked against its
    JSON Schema; ``ValueError`` naming the file and the field when invalid."""
    import jsonschema
    import yaml

    data = yaml.safe_load(text)
    try:
        jsonschema.validate(data, schema)
    except jsonschema.ValidationError as e:
        path = "/".join(str(p) for p in e.absolute_path) or "top"
        raise ValueError(f"{where}: {path}: {e.message}") from None
    return data
