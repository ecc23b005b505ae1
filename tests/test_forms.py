"""Derived traditional, Taiwan and Hong Kong forms (OpenCC), before any review."""

from __future__ import annotations

from glossary.text.forms import derive_forms


def test_taiwan_phrasing_is_derived_for_vocabulary_not_for_proper_names() -> None:
    assert ("網路主權", "zh-TW") in derive_forms("网络主权", "concept")
    assert ("網路主權", "zh-TW") in derive_forms("网络主权")
    assert derive_forms("中央一号文件", "publication") == [("中央一號文件", "zh-Hant")]  # not 中央一號檔案
    assert [t for t, _ in derive_forms("国家互联网信息办公室", "institution")] == ["國家互聯網信息辦公室"]
    assert ("脱貧攻堅", "zh-HK") in derive_forms("脱贫攻坚", "policy")  # character forms still apply


def test_saved_proper_names_carry_no_made_up_taiwan_phrasing(client, write_token) -> None:
    for simplified, kind in (("中央一号文件", "publication"), ("网络主权", "concept")):
        response = client.post(
            "/api/v1/terms",
            json={"simplified": simplified, "kind": kind},
            headers={"Authorization": f"Bearer {write_token}"},
        )
        assert response.status_code == 201, response.get_json()
    forms = {
        key: {f["text"] for f in client.get(f"/api/v1/terms/{key}").get_json()["surface_forms"]}
        for key in ("中央一号文件", "网络主权")
    }
    assert forms["中央一号文件"] == {"中央一号文件", "中央一號文件"}
    assert "網路主權" in forms["网络主权"]


def test_regional_forms_come_from_the_curated_traditional_not_from_the_simplified_again() -> None:
    # OpenCC's s2t reads 个中 in 一个中国 as 箇中, 大斗 in 伟大斗争 as a measure word, 吃 as 喫
    assert derive_forms("一个中国原则", "policy") == [("一箇中國原則", "zh-Hant")]  # what the fix avoids
    assert derive_forms("一个中国原则", "policy", "一個中國原則") == [("一個中國原則", "zh-Hant")]
    assert derive_forms("伟大斗争", "formulation", "偉大鬥爭") == [("偉大鬥爭", "zh-Hant")]
    assert derive_forms("党吃政", "concept", "黨吃政") == [("黨吃政", "zh-Hant")]
    # the Taiwan and Hong Kong steps still apply to the curated form
    assert derive_forms("以人民为中心", "formulation", "以人民爲中心") == [
        ("以人民爲中心", "zh-Hant"),
        ("以人民為中心", "zh-TW"),
    ]
    assert ("網路主權", "zh-TW") in derive_forms("网络主权", "concept", "網絡主權")


def test_a_saved_term_keeps_no_form_its_curated_traditional_corrects(client, write_token) -> None:
    response = client.post(
        "/api/v1/terms",
        json={"simplified": "一个中国原则", "traditional": "一個中國原則", "kind": "policy"},
        headers={"Authorization": f"Bearer {write_token}"},
    )
    assert response.status_code == 201, response.get_json()
    forms = {f["text"] for f in client.get("/api/v1/terms/一个中国原则").get_json()["surface_forms"]}
    assert forms == {"一个中国原则", "一個中國原則"}
