"""Plain text out of a document file: UTF-8 .txt/.md, .html, .docx, .pdf (its text layer).

One entry point, :func:`read_document`, shared by the corpus import and any upload form, so every
way in reads a file the same way and refuses it with the same message."""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile

from . import FormatError, decode_text

EXTENSIONS = (".txt", ".md", ".html", ".htm", ".docx", ".pdf")
# Block-level HTML elements: each starts a new line, so paragraphs do not run into each other.
_BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_SKIP = frozenset(["script", "style", "noscript", "template", "head"])


def _problem(name: str, message: str) -> FormatError:
    return FormatError([{"path": name, "message": message}])


def _utf8(name: str, data: bytes) -> str:
    try:
        return decode_text(data)
    except FormatError as exc:
        where = exc.errors[0]["path"]
        raise _problem(name, f"{where + ': ' if where else ''}{exc.errors[0]['message']}") from None


def _html(name: str, data: bytes) -> str:
    """The text a reader sees: scripts, styles and the head dropped, one line per block element.
    Bytes are UTF-8 unless a <meta> charset says otherwise (lxml alone would guess Latin-1)."""
    import lxml.html
    from lxml import etree

    declared = _CHARSET.search(data[:4096])
    charset = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    if charset.replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        charset = "utf-8"
        _utf8(name, data)  # a byte that is not UTF-8 is refused, not read as Latin-1
    else:
        try:
            codecs.lookup(charset)
        except LookupError:
            raise _problem(name, f"unknown character set {charset!r} declared") from None
    try:
        root = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding=charset))
    except (etree.ParserError, ValueError) as exc:
        raise _problem(name, f"not readable as HTML: {exc}") from None
    out: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _SKIP:
            return
        block = tag in _BLOCKS
        if block:
            out.append("\n")
        if element.text and tag:
            out.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                out.append(child.tail)
        if block:
            out.append("\n")

    walk(root)
    return "".join(out)


def _docx(name: str, data: bytes) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise _problem(name, f"not a readable .docx file ({exc})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf(name: str, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError) as exc:
        raise _problem(name, f"not a readable PDF ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise _problem(name, "the PDF has no text layer (a scan?); run OCR on it first or give the text")
    return text


def read_document(name: str, data: bytes) -> str:
    """The text of the file ``name`` (its extension picks the reader), NFC-normalised with Unix
    line ends, so code-point offsets mean the same whatever the file came as."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in (".txt", ".md"):
        text = _utf8(name, data)
    elif suffix in (".html", ".htm"):
        text = _html(name, data)
    elif suffix == ".docx":
        text = _docx(name, data)
    elif suffix == ".pdf":
        text = _pdf(name, data)
    else:
        known = ", ".join(EXTENSIONS)
        raise _problem(name, f"unknown file type {suffix or '(no extension)'!r}; give one of {known}")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise _problem(name, "the document has no text")
    return text
