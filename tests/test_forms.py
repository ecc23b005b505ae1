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
