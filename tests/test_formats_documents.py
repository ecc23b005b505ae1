"""read_document: the text of .txt/.md/.html/.docx/.pdf files, and one clear error per bad file."""

from __future__ import annotations

import io

import docx
import pytest
from pdfmaker import pdf_with_text, pdf_without_text

from glossary.formats import FormatError
from glossary.formats.documents import read_document


def test_plain_text_and_markdown_are_read_as_utf8_nfc_with_unix_line_ends() -> None:
    assert read_document("a.txt", "\ufeff总体国家安全观\r\n第二行".encode()) == "总体国家安全观\n第二行"
    assert read_document("a.md", "# 标题\n\n正文".encode()) == "# 标题\n\n正文"
    assert read_document("a.TXT", "e\u0301".encode()) == "\u00e9"  # NFC, so offsets count what a reader sees


def test_html_text_comes_from_a_parser_one_line_per_block_without_scripts_or_head() -> None:
    page = (
        "<html><head><title>页标题</title><style>p{color:red}</style></head><body>"
        "<h1>报告</h1><p>坚持<b>总体国家安全观</b>。</p><script>var x = '国家安全';</script>"
        "<div>第二段 &amp; 实体</div></body></html>"
    ).encode()
    text = read_document("page.html", page)
    assert [line for line in text.split("\n") if line] == ["报告", "坚持总体国家安全观。", "第二段 & 实体"]
    assert "页标题" not in text and "var x" not in text and "color" not in text


def test_docx_paragraphs_and_tables_are_read() -> None:
    document = docx.Document()
    document.add_paragraph("坚持总体国家安全观")
    document.add_paragraph("第二段")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "网络主权"
    table.cell(0, 1).text = "数据安全"
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_document("report.docx", buffer.getvalue()).split("\n") == [
        "坚持总体国家安全观",
        "第二段",
        "网络主权\t数据安全",
    ]


def test_pdf_text_layer_is_read() -> None:
    assert read_document("report.pdf", pdf_with_text("坚持总体国家安全观 2024")) == "坚持总体国家安全观 2024"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("scan.pdf", pdf_without_text(), "scan.pdf: the PDF has no text layer (a scan?); run OCR on it first"),
        ("bad.pdf", b"%PDF-1.4 not really", "bad.pdf: not a readable PDF"),
        ("gbk.txt", "国家安全".encode("gb18030"), "gbk.txt: line 1: not valid UTF-8 (byte 0); save the file as UTF-8"),
        ("wide.txt", "国家安全 text".encode("utf-16"), "wide.txt: the file is UTF-16 (little-endian"),
        ("notes.rtf", b"{\\rtf1}", "notes.rtf: unknown file type '.rtf'; give one of .txt, .md, .html"),
        ("README", b"text", "README: unknown file type '(no extension)'"),
        ("empty.txt", b" \n\n", "empty.txt: the document has no text"),
        ("broken.docx", b"PK not a zip", "broken.docx: not a readable .docx file"),
    ],
)
def test_bad_files_get_one_line_naming_the_file_and_the_problem(name: str, data: bytes, message: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_document(name, data)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_html_honours_a_declared_charset_and_refuses_bytes_that_are_not_utf8_without_one() -> None:
    page = '<html><head><meta charset="gb2312"></head><body><p>国家安全</p></body></html>'
    assert read_document("gb.html", page.encode("gb2312")).strip() == "国家安全"
    with pytest.raises(FormatError, match=r"^latin\.html: line 1: not valid UTF-8"):
        read_document("latin.html", "<p>caf\u00e9</p>".encode("latin-1"))
    with pytest.raises(FormatError, match=r"^odd\.html: unknown character set 'x-nonsense' declared"):
        read_document("odd.html", b'<meta charset="x-nonsense"><p>a</p>')
