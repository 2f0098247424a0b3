"""The rule packs (YAML): shipped inside the package as ``auditor.rules`` (see pyproject.toml)."""
