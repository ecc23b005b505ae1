"""English and other languages through POST /api/v1/annotate and `glossary annotate`, on the
real seed glossary: the same JSON from both, text_lang chosen or detected, errors named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from glossary.cli import main
from glossary.cli.annotate import TEXT_LANGS as CLI_TEXT_LANGS
from glossary.text.languages import TEXT_LANGS

REPORT = (
    "Beijing presents the Belt and Road Initiative (一带一路) and its “community of common destiny” "
    "as steps towards a Community with a Shared Future for Mankind; the BRIDGE is no BRI."
)


def _annotate(client, **body: object) -> dict:
    r = client.post("/api/v1/annotate", json=body)
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_json()


def test_english_text_links_renderings_with_language_and_rendering(client, seeded) -> None:
    matches = _annotate(client, text=REPORT)["matches"]
    assert [(m["surface"], m["slug"], m.get("text_lang"), m["form_type"]) for m in matches] == [
        ("Belt and Road Initiative", "yidai-yilu", "en", "rendering"),
        ("一带一路", "yidai-yilu", None, "primary"),
        ("community of common destiny", "renlei-mingyun-gongtongti", "en", "rendering"),
        ("Community with a Shared Future for Mankind", "renlei-mingyun-gongtongti", "en", "rendering"),
        ("BRI", "yidai-yilu", "en", "rendering"),
    ]
    deprecated = matches[2]
    assert deprecated["deprecated"] is True and deprecated["status"] == "deprecated"
    assert deprecated["current"] == "community with a shared future for mankind"
    assert matches[3]["rendering"] == "community with a shared future for mankind" and "deprecated" not in matches[3]


def test_text_lang_zh_keeps_to_chinese_and_fr_reads_french(client, seeded) -> None:
    assert [m["surface"] for m in _annotate(client, text=REPORT, text_lang="zh")["matches"]] == ["一带一路"]
    text = "Construire la communauté de destin pour l'humanité et la Ceinture et la Route."
    matches = _annotate(client, text=text, text_lang="fr")["matches"]
    assert [(m["surface"], m["text_lang"]) for m in matches] == [
        ("communauté de destin pour l'humanité", "fr"),
        ("la Ceinture et la Route", "fr"),
    ]
    assert _annotate(client, text=text)["matches"] == matches  # detected as French


def test_html_links_renderings(client, seeded) -> None:
    body = _annotate(client, text="The BRI and the Belt and Road Initiative.", format="html", ruby=True)
    assert body["html"].count('href="/terms/yidai-yilu"') == 2 and "<rt>" not in body["html"]


@pytest.mark.parametrize("value", ["english", "EN", "", 3])
def test_bad_text_lang_is_named(client, seeded, value: object) -> None:
    r = client.post("/api/v1/annotate", json={"text": "x", "text_lang": value})
    assert r.status_code == 400
    problem = r.get_json()
    assert problem["errors"] == [{"path": "text_lang", "message": "must be one of zh, en, fr, de, es, ru, ja"}]
    assert problem["detail"] == "text_lang: must be one of zh, en, fr, de, es, ru, ja"


def test_cli_gives_the_api_json(client, seeded, db_url: str, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("GLOSSARY_DATABASE_URL", db_url)
    path = tmp_path / "report.txt"
    path.write_text(REPORT, "utf-8")
    for argv, body in (([], {}), (["--text-lang", "zh"], {"text_lang": "zh"})):
        assert main(["annotate", str(path), *argv]) == 0
        assert json.loads(capsys.readouterr().out) == _annotate(client, text=REPORT, **body)
    assert main(["annotate", str(path), "--text-lang", "english"]) == 2
    assert "invalid choice: 'english'" in capsys.readouterr().err


def test_cli_and_engine_agree_on_the_languages() -> None:
    assert CLI_TEXT_LANGS == TEXT_LANGS
