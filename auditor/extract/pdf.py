"""Opening a PDF and reading its text layer (pypdfium2).

``open_pdf`` checks the input and turns every way a file can be unusable into
an ``InputError`` with a stable code; ``PdfText`` gives each page's text and,
on demand, its lines with their positions (PDF points, origin bottom-left).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field

from ..errors import InputError
from ..model import BBox, Issue

_CID = re.compile(r"\(cid:\d+\)")
# What a font without a Unicode map reads as: (cid:NN), U+FFFD, private use,
# control codes, or its glyph codes taken as WinAnsi (Latin-1 letters, ƒ„…).
_GARBAGE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\xa1-\xff\ufffd\ue000-\uf8ff"
                      "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                      "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u2044\u20ac\u2122]")
_EOF_TAIL = 4096
_FOLIO = re.compile(r"^(?:[-—–－─━]\s*)?(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*[-—–－─━])?$")


@dataclass
class Line:
    text: str
    bbox: BBox  # x0, y0, x1, y1

    @property
    def top(self) -> float:
        return self.bbox[3]

    @property
    def bottom(self) -> float:
        return self.bbox[1]


@dataclass
class PageText:
    number: int  # 1-based
    text: str
    width: float = 0.0
    height: float = 0.0
    rotation: int = 0  # the page's /Rotate (text boxes are in unrotated space, grids in displayed space)
    _lines: list[Line] | None = field(default=None, repr=False)


def check_file(path: str) -> None:
    """The checks that need no PDF library: exists, readable, not empty, a PDF, complete.

    Only a regular file is opened: a FIFO would block ``open`` for ever, a
    device could be endless.
    """
    if not os.path.lexists(path):
        raise InputError("not-found", f"{path}: no such file")
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputError("unreadable", f"{path}: a broken symbolic link (its target does not exist)") from None
    except OSError as e:
        raise InputError("unreadable", f"{path}: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        if not _has_pdf(path):
            raise InputError("no-pdfs", f"{path}: a folder with no PDF files (*.pdf)")
        raise InputError("unreadable", f"{path}: is a directory, not a PDF file")
    if not stat.S_ISREG(st.st_mode):
        what = ("a FIFO, a named pipe" if stat.S_ISFIFO(st.st_mode) else
                "a socket" if stat.S_ISSOCK(st.st_mode) else "a device")
        raise InputError("unreadable", f"{path}: not a regular file ({what})")
    try:
        size = st.st_size
        with open(path, "rb") as fh:
            head = fh.read(1024)
            if size > _EOF_TAIL:
                fh.seek(size - _EOF_TAIL)
            else:
                fh.seek(0)
            tail = fh.read()
    except PermissionError:
        raise InputError("unreadable", f"{path}: permission denied") from None
    except OSError as e:
        raise InputError("unreadable", f"{path}: {e.strerror or e}") from None
    if size == 0:
        raise InputError("empty-file", f"{path}: the file is empty (0 bytes)")
    if b"%PDF-" not in head:
        kind = _guess_kind(head)
        raise InputError("not-pdf", f"{path}: not a PDF (no %PDF header{kind})")
    if b"%%EOF" not in tail:
        raise InputError("corrupt-pdf", f"{path}: the PDF is truncated (no %%EOF at the end)")


def _has_pdf(folder: str) -> bool:
    for _root, _dirs, names in os.walk(folder):
        if any(n.lower().endswith(".pdf") for n in names):
            return True
    return False


# A stream that inflates beyond these is refused before any PDF library reads
# it (a decompression bomb): no real disclosure comes near them.
MAX_STREAM_BYTES = 128 * 1024 * 1024
MAX_TOTAL_BYTES = 512 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")


def check_streams(path: str, *, max_stream: int = MAX_STREAM_BYTES,
                  max_total: int = MAX_TOTAL_BYTES) -> list[int]:
    """Inflate every Flate stream of the file, counting bytes and keeping none.

    Cheap (zlib only; a real disclosure of a few MB takes milliseconds) and
    bounded in time by the file's size: every byte of the file is fed to zlib
    at most about twice (the scan for the next stream resumes where the last
    one ended), and every call to zlib either consumes input or stops the
    stream; a stream is read until it ends or passes ``max_stream``.  A
    stream that is not a valid zlib stream is left to the PDF library.
    Returns the 1-based pages whose content stream is damaged (it stops
    before its end: the page reads only in part); [0] for a damaged stream
    no page could be found for.
    """
    import mmap

    total = 0
    damaged: list[int] = []  # object numbers
    with open(path, "rb") as fh:
        try:
            data = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # pragma: no cover - empty file (checked before)
            return []
        try:
            at = 0
            while True:
                m = _STREAM.search(data, at)
                if m is None:
                    break
                start = m.end()
                at = start
                head = data[start:start + 2]
                if len(head) < 2 or head[0] & 0x0F != 8 or (head[0] << 8 | head[1]) % 31:
                    continue
                size, at, ok = _inflate_size(data, start, max_stream)
                if not ok:  # damaged: the PDF library reads what it can
                    obj = _OBJ.findall(data[max(0, start - 4096):start])
                    damaged.append(int(obj[-1]) if obj else 0)
                at = max(at, start)
                total += size
                if size > max_stream:
                    raise InputError("too-large", f"{path}: a compressed stream at byte {start} inflates "
                                     f"to more than {max_stream >> 20} MB (a decompression bomb?)")
                if total > max_total:
                    raise InputError("too-large", f"{path}: the compressed streams inflate to more than "
                                     f"{max_total >> 20} MB (a decompression bomb?)")
            return _pages_of(data, damaged) if damaged else []
        finally:
            data.close()


def _inflate_size(data, start: int, limit: int) -> tuple[int, int, bool]:
    """Inflate the zlib stream at ``start``: (bytes out, offset where its input
    ended, False when zlib found it damaged); stops past ``limit`` bytes out.

    Never loops on zlib's state: after the stream's end (``eof``) nothing more is
    fed (CPython leaves ``unconsumed_tail`` set when the end comes under a
    ``max_length``, and feeding it again never ends), and a call that neither
    consumes input nor gives output stops the stream.
    """
    import zlib

    d = zlib.decompressobj()
    size, pos, step = 0, start, 4096  # small first reads: a false start costs little
    end = len(data)
    try:
        while pos < end and size <= limit:
            buf = data[pos:pos + step]
            step = min(step * 4, 65536)
            fed = pos
            pos += len(buf)
            while buf and size <= limit:
                out = d.decompress(buf, 1 << 22)
                size += len(out)
                if d.eof:
                    return size, pos - len(d.unused_data) - len(d.unconsumed_tail), True
                tail = d.unconsumed_tail
                if not out and len(tail) >= len(buf):  # no progress: zlib wants nothing more
                    return size, pos - len(tail), True
                buf = tail
            if not buf:
                continue
            return size, pos - len(buf), True  # past the limit
        return size, pos, True  # the file ends inside the stream
    except zlib.error:
        return size, fed, False


_OBJ = re.compile(rb"(?<![\d])(\d+)\s+\d+\s+obj\b")
_REF = re.compile(rb"(\d+)\s+\d+\s+R")


def _pages_of(data, objects: list[int]) -> list[int]:
    """The pages (1-based, page-tree order) whose /Contents are ``objects``; 0 when not found.

    A best effort on a plain (not object-stream) file: objects are found by
    their ``N 0 obj`` header (one pass over the file, the first header of each
    number kept), the tree walked from the trailer's /Root.
    """
    where: dict[int, int] = {}
    for m in _OBJ.finditer(data):
        where.setdefault(int(m[1]), m.end())

    def body(num: int) -> bytes:
        at = where.get(num)
        if at is None:
            return b""
        end = data.find(b"endobj", at, at + (1 << 20))
        head = data[at: end if end != -1 else at + 65536]
        return head.split(b"stream", 1)[0]

    pages: dict[int, int] = {}
    try:
        root = re.findall(rb"/Root\s+(\d+)\s+\d+\s+R", data)
        top = re.search(rb"/Pages\s+(\d+)\s+\d+\s+R", body(int(root[-1]))) if root else None
        todo, seen, n = [int(top[1])] if top else [], set(), 0
        while todo and n < 100000 and len(seen) < 200000:
            num = todo.pop()
            if num in seen:
                continue
            seen.add(num)
            b = body(num)
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", b)
            if kids:
                todo.extend(reversed([int(k) for k in _REF.findall(kids[1])]))
                continue
            n += 1
            c = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+\s+\d+\s+R)", b)
            for k in _REF.findall(c[1]) if c else ():
                pages.setdefault(int(k), n)
    except (ValueError, IndexError, OverflowError):  # pragma: no cover - best effort
        pass
    return sorted({pages.get(o, 0) for o in objects})


def _guess_kind(head: bytes) -> str:
    h = head.lstrip()[:16].lower()
    if h.startswith(b"pk"):
        return "; looks like a ZIP/Office file"
    if h.startswith(b"\xd0\xcf\x11\xe0"):
        return "; looks like an old Word/Excel file"
    if h.startswith((b"<!doctype", b"<html", b"<?xml")):
        return "; looks like an HTML/XML page"
    return ""


# a contents page's leaders (一、部门主要职能 ……………… 3): text, though … is among
# the WinAnsi misreadings above
_LEADERS = re.compile("\u2026{2,}|[.\u00b7]{4,}")


def garbled(texts: list[str]) -> int:
    """How many characters of ``texts`` are glyph codes rather than text."""
    joined = _LEADERS.sub("", "".join(texts))
    return len(_CID.findall(joined)) * 7 + len(_GARBAGE.findall(joined))


class PdfText:
    """An open PDF (pypdfium2) with per-page text, read once."""

    def __init__(self, path: str, *, password: str | None = None, max_pages: int = 2000):
        check_file(path)
        import pypdfium2 as pdfium

        self.path = path
        self.issues: list[Issue] = []
        try:
            self._pdf = pdfium.PdfDocument(path, password=password)
        except pdfium.PdfiumError as e:
            msg = str(e)
            if "password" in msg.lower() or getattr(e, "err_code", None) == 4:
                why = "a wrong password" if password else "no password given"
                raise InputError("encrypted", f"{path}: the PDF is encrypted ({why})") from None
            raise InputError("corrupt-pdf", f"{path}: cannot open the PDF ({msg})") from None
        except Exception as e:  # pragma: no cover - defensive
            raise InputError("corrupt-pdf", f"{path}: cannot open the PDF ({e})") from None
        try:
            n = len(self._pdf)
        except Exception as e:  # pragma: no cover - defensive
            raise InputError("corrupt-pdf", f"{path}: cannot read the page tree ({e})") from None
        if n == 0:
            raise InputError("corrupt-pdf", f"{path}: the PDF has no pages")
        if n > max_pages:
            raise InputError("too-many-pages", f"{path}: {n} pages, more than the limit of {max_pages}")
        damaged = check_streams(path)
        self.page_count = n
        self.pages: list[PageText] = []
        self._textpages: dict[int, object] = {}
        for i in range(n):
            self.pages.append(self._read_page(i))
        self._check_text()
        for p in damaged:
            where = f"page {p}" if p else "a page"
            self.issues.append(Issue("page-unreadable", f"{where}: its content is damaged and reads only in part",
                                     page=p or None))

    # ------------------------------------------------------------------ reading
    def _read_page(self, i: int) -> PageText:
        try:
            page = self._pdf[i]
            w, h = page.get_size()
            rotation = page.get_rotation() or 0
            tp = page.get_textpage()
            text = tp.get_text_range()
        except Exception as e:
            self.issues.append(Issue("page-unreadable", f"page {i + 1}: cannot read its text ({e})", page=i + 1))
            return PageText(i + 1, "")
        self._textpages[i + 1] = tp
        return PageText(i + 1, text.replace("\r\n", "\n").replace("\r", "\n"), w, h, rotation)

    def _check_text(self) -> None:
        texts = [p.text for p in self.pages]
        total = sum(len(re.sub(r"\s+", "", t)) for t in texts)
        if total == 0:
            raise InputError("no-text-layer", f"{self.path}: no page has a text layer (scanned?)")
        if garbled(texts) > 0.3 * total:
            raise InputError("no-unicode-map",
                             f"{self.path}: the fonts have no Unicode map (text reads as glyph codes)")
        for p in self.pages:
            n = len(re.sub(r"\s+", "", p.text))
            if n >= 20 and garbled([p.text]) > 0.3 * n:
                self.issues.append(Issue("page-garbled", f"page {p.number}: its text reads as glyph codes "
                                         "(a font without a Unicode map)", page=p.number))

    def lines(self, number: int) -> list[Line]:
        """The page's text lines with bounding boxes (computed once, on demand)."""
        pt = self.pages[number - 1]
        if pt._lines is not None:
            return pt._lines
        tp = self._textpages.get(number)
        out: list[Line] = []
        if tp is not None:
            raw = tp.get_text_range()
            start = 0
            for m in re.finditer(r"\r\n|\n|\r|$", raw):
                seg = raw[start : m.start()]
                if seg.strip():
                    boxes = []
                    for k, ch in enumerate(seg):
                        if not ch.isspace():
                            try:
                                boxes.append(tp.get_charbox(start + k))
                            except Exception:  # pragma: no cover - defensive
                                pass
                    if boxes:
                        bbox = (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                max(b[2] for b in boxes), max(b[3] for b in boxes))
                    else:  # pragma: no cover
                        bbox = (0.0, 0.0, 0.0, 0.0)
                    if not self._off_page(number, bbox):
                        out.append(Line(seg.strip(), bbox))
                start = m.end()
                if m.start() == len(raw):
                    break
        pt._lines = out
        return out

    def _off_page(self, number: int, bbox: BBox) -> bool:
        """Text placed wholly outside the page box (a spreadsheet export that runs
        on below the page) is in the content stream but never printed."""
        pt = self.pages[number - 1]
        size = max(pt.width, pt.height)
        if not size or bbox == (0.0, 0.0, 0.0, 0.0):
            return False
        return bbox[3] < 0 or bbox[1] > size or bbox[2] < 0 or bbox[0] > size

    def is_folio(self, number: int, line: Line) -> bool:
        """A page number printed in the top or bottom margin (``24``, ``- 24 -``, ``─ 24 ─``, ``第24页``)."""
        if not _FOLIO.match(line.text):
            return False
        h = self.pages[number - 1].height or 842.0
        return line.bottom < 0.12 * h or line.top > 0.88 * h

    def body_text(self, number: int) -> str:
        """The page's text without its page number (a folio line in the margin).

        Text layers often put the folio first or last; joined into the prose it
        would glue onto a figure broken over the page (``增加 40`` + ``25`` +
        ``万元`` reads ``4025万元``).
        """
        text = self.pages[number - 1].text
        if not any(_FOLIO.match(x.strip()) for x in text.splitlines() if x.strip()) \
                and not self._text_off_page(number):
            return text
        # built from the lines: without the folio, and without text placed off the page
        return "\n".join(ln.text for ln in self.lines(number) if not self.is_folio(number, ln))

    def _text_off_page(self, number: int) -> bool:
        """Some of the page's text is placed outside the page box (never printed)."""
        pt = self.pages[number - 1]
        tp = self._textpages.get(number)
        size = max(pt.width, pt.height)
        if tp is None or not size:
            return False
        try:
            inside = tp.get_text_bounded(0, 0, size, size)  # type: ignore[attr-defined]
        except Exception:  # pragma: no cover - defensive
            return False
        return len(re.sub(r"\s+", "", inside)) < len(re.sub(r"\s+", "", pt.text))

    def text_below(self, number: int, bottom: float) -> str:
        """The page's lines printed wholly below ``bottom`` (the prose that goes on
        under a page's last table: 第三部分 often starts under 公开12表), folio dropped.
        Empty for a rotated page (its text boxes are not in the grids' space)."""
        if self.pages[number - 1].rotation:
            return ""
        return "\n".join(ln.text for ln in self.lines(number)
                         if ln.top < bottom - 1 and not self.is_folio(number, ln))

    def path_objects(self, number: int, limit: int = 40) -> int:
        """How many path objects (lines, rectangles) the page draws, up to ``limit``."""
        import pypdfium2.raw as pdfium_c

        try:
            page = self._pdf[number - 1]
            n = 0
            for _ in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_PATH,), max_depth=2):
                n += 1
                if n >= limit:
                    break
            return n
        except Exception:  # pragma: no cover - defensive
            return 0

    def close(self) -> None:
        for tp in self._textpages.values():
            try:
                tp.close()  # type: ignore[attr-defined]
            except Exception:  # pragma: no cover
                pass
        self._textpages.clear()
        try:
            self._pdf.close()
        except Exception:  # pragma: no cover
            pass

