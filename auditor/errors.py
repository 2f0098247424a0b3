"""Errors that end the audit of one document (exit code 2), with stable codes.

Each code is listed in the README; the JSON report carries it in
``documents[].error.code``.
"""

from __future__ import annotations

ERROR_CODES = {
    "not-found": "the path does not exist",
    "no-pdfs": "a folder holds no PDF file (*.pdf, or --glob)",
    "unreadable": "the file cannot be read (permissions, a directory, an I/O error)",
    "empty-file": "the file is empty",
    "not-pdf": "the file is not a PDF (no %PDF header: a Word file, an HTML page, ...)",
    "corrupt-pdf": "the PDF is damaged or truncated and cannot be opened",
    "encrypted": "the PDF is encrypted and no (or a wrong) --password was given",
    "too-many-pages": "the PDF has more pages than --max-pages",
    "too-large": "a compressed stream inflates beyond the limit (128 MB, 512 MB in all): a decompression bomb",
    "no-text-layer": "no page has a text layer (a scanned document): nothing can be read",
    "no-unicode-map": "the fonts have no Unicode map: the text reads as (cid:NN) glyph codes",
    "no-tables": "no budget table was recognised in the document",
    "placeholder-template": "a blank template: every table figure is 0.00 or blank (XX单位 placeholders)",
    "timeout": "the audit took longer than --timeout",
    "bad-waivers": "(batch) the document's sidecar waiver file became invalid after the batch began",
    "internal": "an unexpected error in the auditor (a bug: please report it)",
}


class InputError(Exception):
    """A document that cannot be audited: one line for people, a code for tools."""

    def __init__(self, code: str, message: str):
        assert code in ERROR_CODES, code
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"{self.code}: {self.message}"


class PackError(Exception):
    """A rule pack that cannot be used; the message starts with file:line:col."""

    def __init__(self, path: str, line: int | None, col: int | None, message: str):
        self.path = path
        self.line = line
        self.col = col
        self.message = message
        where = path if line is None else f"{path}:{line}:{col}"
        super().__init__(f"{where}: {message}")
