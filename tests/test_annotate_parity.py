"""`glossary annotate` and POST /api/v1/annotate give the same JSON, byte for byte, for the same
text and options (both encode with formats.json_text)."""

from __future__ import annotations

import pytest

from glossary.cli import main

TEXT = (
    "坚持党的领导，推动构建人类命运共同体。維護網路主權，<b>全面依法治国</b> & 党的领导干部。\n"
    "中国特色社会主义进入新时代，实现中华民族伟大复兴的中国梦；一带一路\n倡议。"
)


@pytest.mark.parametrize(
    ("options", "argv"),
    [
        ({}, []),
        ({"nested": True}, ["--nested"]),
        ({"lang": "fr"}, ["--lang", "fr"]),
    ],
    ids=["default", "nested", "lang"],
)
def test_the_command_line_answers_what_the_api_answers(
    seeded, client, tmp_path, capsys: pytest.CaptureFixture[str], options: dict, argv: list[str]
) -> None:
    path = tmp_path / "text.txt"
    path.write_text(TEXT, "utf-8")
    reply = client.post("/api/v1/annotate", json={"text": TEXT, **options})
    assert reply.status_code == 200
    assert len(reply.get_json()["matches"]) >= 6  # the seed's terms, found
    assert main(["annotate", str(path), *argv]) == 0
    out = capsys.readouterr().out
    assert out == reply.get_data(as_text=True) + "\n"
