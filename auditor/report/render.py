"""Rendering regions of PDF pages to PNG (pypdfium2), for the HTML report.

``Renderer(path, document).crop(page, rect)`` returns the PNG bytes of ``rect`` (PDF
points, origin bottom-left) and its pixel size.  Marks are not burnt into
the image: the report draws them over it (SVG), so they scale with it and
can carry tooltips.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from ..model import BBox
from .locate import Locator


@dataclass(frozen=True)
class Crop:
    png: bytes
    width: int  # pixels
    height: int
    rect: BBox  # the region rendered, PDF points (clamped to the page)


class Renderer(Locator):
    """A ``Locator`` that also renders: one open PDF for both (the HTML report)."""

    def crop(self, number: int, rect: BBox, *, scale: float = 2.0, grey: bool = False,
             colors: int | None = 32) -> Crop:
        """PNG of ``rect`` on page ``number`` (1-based) at ``scale`` × 72 dpi."""
        page = self._pdf[number - 1]
        w, h = page.get_size()
        x0, y0, x1, y1 = rect
        x0, y0 = max(0.0, x0), max(0.0, y0)
        x1, y1 = min(float(w), x1), min(float(h), y1)
        if x1 <= x0 or y1 <= y0:
            x0, y0, x1, y1 = 0.0, 0.0, float(w), float(h)
        # crop = what to cut from each side: left, bottom, right, top.
        bitmap = page.render(scale=scale, crop=(x0, y0, w - x1, h - y1), draw_annots=False,
                             grayscale=grey)
        image = bitmap.to_pil()
        if grey:
            image = image.convert("L")
        elif colors:
            # Printed pages hold few colours: a palette image is a fraction of the size.
            image = image.convert("RGB").quantize(colors=colors)
        buf = io.BytesIO()
        image.save(buf, format="PNG", optimize=True)
        return Crop(buf.getvalue(), image.width, image.height, (x0, y0, x1, y1))
