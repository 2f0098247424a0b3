"""Bad inputs, generated: every way a file given to ``audit`` can be unusable.

``write_cases(folder)`` writes each case into ``folder`` and returns them as
``Case``s (name, path, expected error code, a phrase the message must hold).
Everything is generated (seeded, deterministic): nothing binary is committed.
The sample-derived cases rebuild the reference sample with
``samples.generate.build`` and a small change (encrypted, uncompressed with its
Unicode maps broken, every figure 0.00 under an ``XX单位`` issuer).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "samples" / "xinjiang-2026-unit-budget.pdf"
PASSWORD = "s3cret"
BOMB_MB = 400  # what the bomb's one content stream inflates to


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    code: str | None  # expected error code; None: audited (exit 0/1)
    phrase: str  # a phrase the one-line message must contain
    args: tuple[str, ...] = ()  # extra CLI arguments
    batch: bool = True  # a file of the folder batch (not: paths that are not files)


# ----------------------------------------------------------------------------- raw PDFs


def raw_pdf(page_streams: list[bytes], *, filters: list[str | None] | None = None,
            extra: list[bytes] = ()) -> bytes:
    """A minimal valid PDF (classic xref) with one content stream per page."""
    n = len(page_streams)
    objs: list[bytes] = []
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(n))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n} >>".encode())
    font = 3 + 2 * n
    for i, data in enumerate(page_streams):
        f = (filters or [None] * n)[i]
        objs.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {4 + 2 * i} 0 R "
                    f"/Resources << /Font << /F1 {font} 0 R >> >> >>".encode())
        head = f"<< /Length {len(data)}" + (f" /Filter /{f}" if f else "") + " >>"
        objs.append(head.encode() + b"\nstream\n" + data + b"\nendstream")
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    objs.extend(extra)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for k, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{k} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def text_stream(lines: list[str]) -> bytes:
    body = ["BT /F1 12 Tf 72 780 Td 16 TL"]
    for line in lines:
        body.append("(" + line.replace("(", r"\(").replace(")", r"\)") + ") Tj T*")
    body.append("ET")
    return "\n".join(body).encode("latin-1")


def bomb_pdf(megabytes: int = BOMB_MB) -> bytes:
    """One page whose content stream is ~``megabytes`` MB of spaces, deflated (~1000:1)."""
    z = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [z.compress(text_stream(["Budget 2026"]) + b"\n")]
    for _ in range(megabytes):
        parts.append(z.compress(chunk))
    parts.append(z.flush())
    return raw_pdf([b"".join(parts)], filters=["FlateDecode"])


def image_only_pdf() -> bytes:
    """A 'scan': one page that draws a grey image and nothing else."""
    w = h = 64
    pixels = bytes((x * 4 + y * 2) % 256 for y in range(h) for x in range(w))
    img = zlib.compress(pixels)
    content = b"q 400 0 0 400 100 300 cm /Im1 Do Q"
    n_img = 5  # catalog, pages, page, contents, font, image
    pdf = raw_pdf([content], extra=[
        f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(img)} >>\nstream\n".encode()
        + img + b"\nendstream"])
    # the page's resources name the image (object 6)
    return pdf.replace(b"/Resources << /Font << /F1 5 0 R >> >>",
                       f"/Resources << /XObject << /Im1 {n_img + 1} 0 R >> >>".encode().ljust(
                           len(b"/Resources << /Font << /F1 5 0 R >> >>")))


# ----------------------------------------------------------------------------- from the sample


@contextmanager
def _patched(**canvas_kw) -> Iterator[object]:
    import samples.generate as g

    orig = g.Canvas

    def canvas(*a, **kw):
        kw.update(canvas_kw)
        return orig(*a, **kw)

    g.Canvas = canvas
    try:
        yield g
    finally:
        g.Canvas = orig


def sample_encrypted(path: Path) -> None:
    from reportlab.lib import pdfencrypt

    enc = pdfencrypt.StandardEncryption(PASSWORD, ownerPassword=PASSWORD + "-owner", strength=128)
    with _patched(encrypt=enc) as g:
        g.build(path)


def sample_uncompressed(path: Path) -> None:
    with _patched(pageCompression=0) as g:
        g.build(path)


def break_unicode_maps(data: bytes) -> bytes:
    """Every /ToUnicode renamed in place (same length): the fonts lose their Unicode map."""
    return data.replace(b"/ToUnicode", b"/ToUnicodX")


def sample_placeholder(path: Path) -> None:
    """The sample as a blank template: issuer XX单位, every amount 0.00, every percentage 0.00%."""
    import samples.generate as g

    orig = g.draw_text
    issuer = g.C.ISSUER
    number = re.compile(r"-?\d{1,3}(?:,\d{3})*\.\d+|-?\d+\.\d+")

    def draw_text(c, text, *a, **kw):
        text = text.replace(issuer, "XX单位")
        text = number.sub("0.00", text)
        return orig(c, text, *a, **kw)

    g.draw_text = draw_text
    try:
        g.build(path)
    finally:
        g.draw_text = orig


# ----------------------------------------------------------------------------- all cases


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document><w:body>预算</w:body></w:document>')
    return buf.getvalue()


def write_cases(folder: Path) -> list[Case]:
    """Write every case into ``folder`` (files) and ``folder/../bad-paths`` (the rest)."""
    import pypdfium2 as pdfium

    folder.mkdir(parents=True, exist_ok=True)
    other = folder.parent / (folder.name + "-paths")
    other.mkdir(exist_ok=True)
    sample = SAMPLE.read_bytes()
    cases: list[Case] = []

    def add(name: str, code: str | None, phrase: str, write: Callable[[Path], None], **kw) -> None:
        p = folder / name
        write(p)
        cases.append(Case(name, p, code, phrase, **kw))

    add("word-renamed.pdf", "not-pdf", "ZIP/Office", lambda p: p.write_bytes(_docx()))
    add("html-saved-as.pdf", "not-pdf", "HTML", lambda p: p.write_bytes(
        "<!DOCTYPE html>\n<html><head><title>预算公开</title></head><body>表1</body></html>\n".encode()))
    add("empty.pdf", "empty-file", "empty", lambda p: p.write_bytes(b""))
    add("truncated.pdf", "corrupt-pdf", "truncated", lambda p: p.write_bytes(sample[: len(sample) // 2]))
    add("garbage-body.pdf", "corrupt-pdf", "cannot open",
        lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"))
    add("encrypted.pdf", "encrypted", "no password given", sample_encrypted)
    cases.append(Case("encrypted-wrong-password", folder / "encrypted.pdf", "encrypted", "wrong password",
                      args=("--password", "nope"), batch=False))
    cases.append(Case("encrypted-with-password", folder / "encrypted.pdf", None, "",
                      args=("--password", PASSWORD), batch=False))
    add("scanned.pdf", "no-text-layer", "no page has a text layer",
        lambda p: p.write_bytes(image_only_pdf()))

    def no_unicode(p: Path) -> None:
        sample_uncompressed(p)
        p.write_bytes(break_unicode_maps(p.read_bytes()))

    add("no-unicode-map.pdf", "no-unicode-map", "Unicode map", no_unicode)
    add("text-only.pdf", "no-tables", "no budget table", lambda p: p.write_bytes(raw_pdf([
        text_stream(["Annual report 2026", "This document has text and no table at all."] * 5)])))
    add("placeholder-template.pdf", "placeholder-template", "template", sample_placeholder)

    def many_pages(p: Path) -> None:
        pdf = pdfium.PdfDocument.new()
        for _ in range(3000):
            pdf.new_page(595, 842)
        pdf.save(str(p))
        pdf.close()

    add("3000-pages.pdf", "too-many-pages", "3000 pages", many_pages)
    add("bomb.pdf", "too-large", "inflates", lambda p: p.write_bytes(bomb_pdf()))

    # paths that are not readable files
    fifo = folder / "fifo.pdf"
    os.mkfifo(fifo)
    cases.append(Case("fifo.pdf", fifo, "unreadable", "not a regular file"))
    link = folder / "broken-link.pdf"
    link.symlink_to(folder / "no-such-target.pdf")
    cases.append(Case("broken-link.pdf", link, "unreadable", "broken symbolic link"))
    d = other / "folder.pdf"
    d.mkdir(exist_ok=True)
    (d / "notes.txt").write_text("not a pdf\n")
    cases.append(Case("folder.pdf", d, "no-pdfs", "no PDF files", batch=False))
    cases.append(Case("missing.pdf", other / "missing.pdf", "not-found", "no such file", batch=False))
    return cases


def sample_damaged_page(path: Path, page: int = 9) -> None:
    """The sample with the middle of one page's content stream zeroed: that page reads only in part."""
    data = bytearray(SAMPLE.read_bytes())
    contents = [int(n) for n in re.findall(rb"/Contents (\d+) 0 R", data)]
    m = re.search(rb"\n%d 0 obj\n" % contents[page - 1], data)
    start = data.index(b"stream", m.end()) + len(b"stream")
    end = data.index(b"endstream", start)
    mid = start + (end - start) // 3
    data[mid:mid + 40] = bytes(40)
    path.write_bytes(bytes(data))
