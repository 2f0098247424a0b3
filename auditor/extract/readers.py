"""Table readers: the pages of a PDF in, ``Grid``s out, behind one small interface.

A reader is any object with ``name``, ``engine`` and ``read(path, pages,
password, issues) -> list[Grid]`` (``TableReader``); ``issues`` collects
what could not be read, a reader never raises.  ``tables.read_grids`` chooses
which reader reads which page (camelot's lattice with an engine, then the
fallbacks); ``prefetch`` runs any reader in its helper process, rebuilding it
there with ``reader_for(name, engine)``.

- ``Camelot(engine)``: camelot's lattice flavour.  ``engine`` is camelot's
  (``"vector"``; ``None`` is the raster engine, rendering pages with pdfium),
  or ``POLYGONS`` / ``POLYGONS_IF_UNRULED``: the vector engine with the
  mid-lines of thin filled polygons taken as ruled lines too.
- ``Pdfplumber()``: pdfplumber's table finder, page by page (the last resort,
  and the second opinion on a page where camelot merged cells).

Only this module imports camelot or pdfplumber (lazily, in ``read``).
"""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager, nullcontext
from typing import Any, Iterator, Protocol

from ..model import Issue
from .grid import Grid, from_camelot, from_pdfplumber


class TableReader(Protocol):
    name: str
    engine: str | None

    def read(self, path: str, pages: list[int], password: str | None,
             issues: list[Issue]) -> list[Grid]: ...


class Camelot:
    """camelot lattice with one engine (see the module's docstring)."""

    name = "camelot"

    def __init__(self, engine: str | None = None) -> None:
        self.engine = engine

    def read(self, path: str, pages: list[int], password: str | None,
             issues: list[Issue]) -> list[Grid]:
        import camelot

        return _camelot(camelot, path, pages, password, issues, self.engine)


class Pdfplumber:
    """pdfplumber's table finder on each page (nothing when pdfplumber is absent)."""

    name = "pdfplumber"
    engine: str | None = None

    def read(self, path: str, pages: list[int], password: str | None,
             issues: list[Issue]) -> list[Grid]:
        return [g for p in pages for g in _pdfplumber(path, p, password, issues)]


def reader_for(name: str, engine: str | None = None) -> TableReader:
    """The reader called ``name`` (as a prefetch helper rebuilds it from a request)."""
    if name == Camelot.name:
        return Camelot(engine)
    if name == Pdfplumber.name:
        return Pdfplumber()
    raise ValueError(f"no table reader {name!r}")


# how camelot reads a ruled page (bench/audit_bench.py times camelot alone with the same)
CAMELOT_OPTIONS = {"flavor": "lattice", "split_text": True}



def _camelot(camelot: Any, path: str, pages: list[int], password: str | None, issues: list[Issue],
             engine: str | None) -> list[Grid]:
    kwargs: dict = dict(CAMELOT_OPTIONS)
    render = None
    polygons = engine in (POLYGONS, POLYGONS_IF_UNRULED)
    only_unruled = engine == POLYGONS_IF_UNRULED
    if polygons:
        engine = "vector"
        if not _polygon_lines_available(camelot):
            return []
    if engine:
        kwargs["engine"] = engine
    else:  # the raster engine renders pages: the same pixels, without camelot's PIL round trips
        render = _Render()
        kwargs["backend"] = render
    if password:
        kwargs["password"] = password
    grids: list[Grid] = []

    def run(pages_arg: str) -> None:
        with warnings.catch_warnings(), \
                (_polygon_lines(camelot, only_unruled) if polygons else nullcontext()):
            warnings.simplefilter("ignore")
            logging.disable(logging.WARNING)  # PDF parsers log every odd object at WARNING
            try:
                tables = camelot.read_pdf(path, pages=pages_arg, **kwargs)
            finally:
                logging.disable(logging.NOTSET)
        for t in tables:
            try:
                if t.shape[0] >= 1 and t.shape[1] >= 2:
                    grids.append(from_camelot(t))
            except Exception as e:  # pragma: no cover - defensive
                issues.append(Issue("table-unreadable", f"page {t.page}: {e}", page=int(t.page)))

    try:
        try:
            run(",".join(str(p) for p in pages))
        except Exception:
            grids.clear()
            for p in pages:  # one page at a time, so one bad page does not lose the others
                try:
                    run(str(p))
                except Exception as e:
                    issues.append(Issue("table-unreadable",
                                        f"page {p}: camelot failed ({type(e).__name__}: {e})"[:300], page=p))
    finally:
        if render is not None:
            render.close()
    return grids


# The vector engine on the pages it found nothing on, its ruled lines taken from
# thin filled polygons too (a band drawn as a 5-point path with slanted ends,
# which camelot leaves to the raster engine: 10 times slower).
POLYGONS = "vector+polygons"
POLYGONS_IF_UNRULED = "vector+polygons-if-unruled"  # the polygons only on a page without other rules


def _polygon_lines_available(camelot: Any) -> bool:
    try:
        import camelot.image_processing as ip
        from playa.miner import LTCurve  # noqa: F401
    except ImportError:  # pragma: no cover
        return False
    return all(hasattr(ip, n) for n in ("_ruled_lines_from_layout", "_walk_layout_objects",
                                        "_LINE_AS_THIN_RECT_TOL"))


@contextmanager
def _polygon_lines(camelot: Any, only_unruled: bool = False) -> Iterator[None]:
    """camelot's vector ruled lines plus the mid-line of every thin filled, unstroked
    polygon (thinner than camelot's own thin-rectangle tolerance), for the call only;
    ``only_unruled``: the polygons' lines only for a page that has no other (so a
    page with ruled lines reads exactly as the vector engine reads it)."""
    import camelot.image_processing as ip
    from playa.miner import LTCurve

    original = ip._ruled_lines_from_layout
    tol = ip._LINE_AS_THIN_RECT_TOL

    def lines(layout: Any) -> list[tuple[float, float, float, float]]:
        out = original(layout)
        if out and only_unruled:
            return out
        for obj in ip._walk_layout_objects(layout):
            if type(obj) is not LTCurve or not getattr(obj, "fill", False) or getattr(obj, "stroke", False):
                continue
            w, h = obj.x1 - obj.x0, obj.y1 - obj.y0
            if min(w, h) <= tol < max(w, h):
                if w >= h:
                    mid = (obj.y0 + obj.y1) / 2
                    out.append((obj.x0, mid, obj.x1, mid))
                else:
                    mid = (obj.x0 + obj.x1) / 2
                    out.append((mid, obj.y0, mid, obj.y1))
        return out

    ip._ruled_lines_from_layout = lines
    try:
        yield
    finally:
        ip._ruled_lines_from_layout = original


class _Render:
    """camelot's page renderer (its ``backend``) for the raster engine.

    The pixels are camelot's own pdfium backend's (the document's forms
    initialised, the page rendered at ``resolution / 72``, BGR), taken from
    pdfium's bitmap as they are: camelot's backend opens the PDF again for
    every page and converts each page through PIL twice (to RGB, then back
    to BGR), several times the rendering itself.  Here the PDF is opened
    once per camelot call and closed after it.
    """

    def __init__(self) -> None:
        self._docs: dict[str, object] = {}

    def _doc(self, path: str):
        import pypdfium2 as pdfium

        doc = self._docs.get(path)
        if doc is None:
            doc = pdfium.PdfDocument(path)
            doc.init_forms()
            self._docs[path] = doc
        return doc

    def to_array(self, pdf_path: str, resolution: int = 300, page: int = 1) -> Any:
        import numpy as np

        pg = self._doc(pdf_path)[page - 1]
        try:
            bitmap = pg.render(scale=resolution / 72)
            try:
                pixels = bitmap.to_numpy()
                if pixels.ndim != 3 or pixels.shape[2] != 3 or bitmap.mode != "BGR":  # pragma: no cover
                    raise ValueError(f"unexpected bitmap format {bitmap.mode}")
                return np.array(pixels, copy=True)  # the bitmap's memory is pdfium's, freed with it
            finally:
                bitmap.close()
        finally:
            pg.close()

    def convert(self, pdf_path: str, png_path: str, resolution: int = 300, page: int = 1) -> None:
        from camelot.backends.pdfium_backend import PdfiumBackend

        PdfiumBackend().convert(pdf_path, png_path, resolution=resolution, page=page)

    def close(self) -> None:
        for doc in self._docs.values():
            try:
                doc.close()  # type: ignore[attr-defined]
            except Exception:  # pragma: no cover
                pass
        self._docs.clear()


def _pdfplumber(path: str, page: int, password: str | None, issues: list[Issue]) -> list[Grid]:
    try:
        import pdfplumber
    except ImportError:  # pragma: no cover
        return []
    try:
        with pdfplumber.open(path, password=password or "") as pdf:
            pg = pdf.pages[page - 1]
            out = []
            for t in pg.find_tables():
                g = from_pdfplumber(t, page, float(pg.height))
                if g is not None and g.ncols >= 2:
                    out.append(g)
            return out
    except Exception as e:
        issues.append(Issue("table-unreadable", f"page {page}: pdfplumber failed ({e})"[:300], page=page))
        return []
