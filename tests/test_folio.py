"""Page numbers printed in the margin are not prose: the forms _FOLIO drops."""

from __future__ import annotations

import pytest

from auditor.extract.pdf import _FOLIO


@pytest.mark.parametrize("text", ["24", "- 24 -", "— 24 —", "－24－", "─ 14 ─", "━14━", "第24页", "第 3 页"])
def test_folio_forms(text):
    assert _FOLIO.match(text)


@pytest.mark.parametrize("text", ["24.5", "─ 14 ─ 万元", "占“三公”经费的50.12%", "14万元"])
def test_not_folios(text):
    assert not _FOLIO.match(text)
