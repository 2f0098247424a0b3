"""Writing a marked-up copy of a PDF: boxes with comments (pypdfium2).

``write_annotated(src, dst, marks)`` copies ``src`` to ``dst`` with one
Square annotation per rectangle of each ``Mark``: a coloured border and a
comment (``/Contents``) that every PDF viewer shows on click or hover.  Each
annotation carries its own appearance stream, so viewers that do not draw
annotations lacking one (poppler, some printers) show the box too.  The
source file is only read.
"""

from __future__ import annotations

import ctypes
import os
import tempfile
from dataclasses import dataclass

from ..model import BBox

AUTHOR = "budget-audit"
# Severity → RGB (0..255): error red, warning amber, note blue.
COLORS = {"error": (214, 39, 40), "warning": (230, 145, 0), "note": (31, 119, 220),
          "waived": (128, 128, 128)}
BORDER = 1.5  # points


@dataclass(frozen=True)
class Mark:
    page: int  # 1-based
    rects: tuple[BBox, ...]  # PDF points, origin bottom-left
    severity: str  # error | warning | note | waived
    title: str  # short subject, the rule id
    contents: str  # the comment text
    name: str = ""  # unique id (/NM), e.g. "f3-c0"


def _wide(text: str) -> tuple[object, object]:
    """A UTF-16LE, NUL-terminated FPDF_WIDESTRING and the buffer that keeps it alive."""
    import pypdfium2.raw as pdfium_c

    data = (text + "\x00").encode("utf-16-le")
    buf = ctypes.create_string_buffer(data, len(data))
    return ctypes.cast(buf, pdfium_c.FPDF_WIDESTRING), buf


def _pad(rect: BBox, pad: float) -> BBox:
    x0, y0, x1, y1 = rect
    return (x0 - pad, y0 - pad, x1 + pad, y1 + pad)


def write_annotated(src: str, dst: str, marks: list[Mark], *, password: str | None = None,
                    pad: float = 1.0) -> int:
    """Copy ``src`` to ``dst`` with ``marks`` as annotations; returns how many were written."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    if os.path.abspath(src) == os.path.abspath(dst):
        raise ValueError("the annotated copy must not overwrite the audited PDF")
    pdf = pdfium.PdfDocument(src, password=password)
    written = 0
    try:
        n_pages = len(pdf)
        for mark in marks:
            if not 1 <= mark.page <= n_pages or not mark.rects:
                continue
            page = pdf[mark.page - 1]
            r, g, b = COLORS.get(mark.severity, COLORS["note"])
            for k, rect in enumerate(mark.rects):
                x0, y0, x1, y1 = _pad(rect, pad)
                annot = pdfium_c.FPDFPage_CreateAnnot(page.raw, pdfium_c.FPDF_ANNOT_SQUARE)
                if not annot:
                    continue
                try:
                    pdfium_c.FPDFAnnot_SetRect(annot, pdfium_c.FS_RECTF(x0, y1, x1, y0))
                    pdfium_c.FPDFAnnot_SetColor(annot, pdfium_c.FPDFANNOT_COLORTYPE_Color, r, g, b, 255)
                    pdfium_c.FPDFAnnot_SetBorder(annot, 0, 0, BORDER)
                    pdfium_c.FPDFAnnot_SetFlags(annot, pdfium_c.FPDF_ANNOT_FLAG_PRINT)
                    keep = []
                    for key, value in (("Contents", mark.contents), ("T", AUTHOR),
                                       ("Subj", mark.title),
                                       ("NM", f"{mark.name or 'mark'}-{k}")):
                        ptr, buf = _wide(value)
                        keep.append(buf)
                        pdfium_c.FPDFAnnot_SetStringValue(annot, key.encode(), ptr)
                    half = BORDER / 2
                    stream = (f"q {r / 255:.3f} {g / 255:.3f} {b / 255:.3f} RG {BORDER} w "
                              f"{x0 + half:.2f} {y0 + half:.2f} {x1 - x0 - BORDER:.2f} "
                              f"{y1 - y0 - BORDER:.2f} re S Q")
                    ptr, buf = _wide(stream)
                    keep.append(buf)
                    pdfium_c.FPDFAnnot_SetAP(annot, pdfium_c.FPDF_ANNOT_APPEARANCEMODE_NORMAL, ptr)
                    written += 1
                finally:
                    pdfium_c.FPDFPage_CloseAnnot(annot)
        # Write next to the target and rename: a failed run never leaves half a file.
        folder = os.path.dirname(os.path.abspath(dst)) or "."
        fd, tmp = tempfile.mkstemp(prefix=".annotate-", suffix=".pdf", dir=folder)
        os.close(fd)
        try:
            pdf.save(tmp)
            os.replace(tmp, dst)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    finally:
        pdf.close()
    return written


def read_annotations(path: str) -> list[dict]:
    """The Square annotations of a PDF: page, rect, contents, subject.

(pdfium does not report the colour of an annotation that has an appearance
stream; read ``/C`` with another reader when it matters.)
"""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    out: list[dict] = []
    pdf = pdfium.PdfDocument(path)
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            for j in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
                annot = pdfium_c.FPDFPage_GetAnnot(page.raw, j)
                try:
                    if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_SQUARE:
                        continue
                    rect = pdfium_c.FS_RECTF()
                    pdfium_c.FPDFAnnot_GetRect(annot, rect)
                    out.append({
                        "page": i + 1,
                        "rect": (rect.left, rect.bottom, rect.right, rect.top),
                        "contents": _get_string(annot, b"Contents"),
                        "subject": _get_string(annot, b"Subj"),
                    })
                finally:
                    pdfium_c.FPDFPage_CloseAnnot(annot)
    finally:
        pdf.close()
    return out


def _get_string(annot: object, key: bytes) -> str:
    import pypdfium2.raw as pdfium_c

    n = pdfium_c.FPDFAnnot_GetStringValue(annot, key, None, 0)
    if n <= 2:
        return ""
    buf = ctypes.create_string_buffer(n)
    pdfium_c.FPDFAnnot_GetStringValue(annot, key, ctypes.cast(buf, pdfium_c.POINTER(pdfium_c.FPDF_WCHAR)), n)
    return buf.raw[: n - 2].decode("utf-16-le")
