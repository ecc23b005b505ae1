"""The bucketed copy of jieba's dictionary that `glossary annotate` reads instead of loading it
whole: the same words and counts, so the same segmentation and the same matches."""

from __future__ import annotations

import pytest

from glossary.text.dictionary import BucketedFrequencies, load_buckets, save_buckets
from glossary.text.segment import Segmenter

WINDOWS = ["摆脱贫困的决定性胜利", "坚持党的领导干部队伍建设", "维护国家安全部门的工作", "共同体意识，自主权。"]


@pytest.fixture(scope="module")
def eager() -> Segmenter:
    return Segmenter()


def test_buckets_hold_the_same_words_and_counts(eager: Segmenter) -> None:
    save_buckets(eager.tokenizer.FREQ, eager.tokenizer.total)
    buckets = load_buckets()
    assert isinstance(buckets, BucketedFrequencies)
    assert buckets.total == eager.tokenizer.total
    freq = eager.tokenizer.FREQ
    for word in ["国家", "国家安全", "摆脱贫困", "不是一个词吗", "", "安"]:
        assert (word in buckets) == (word in freq), word
        assert buckets.get(word) == freq.get(word), word
    assert buckets["国家"] == freq["国家"]
    with pytest.raises(KeyError):
        buckets["不是一个词吗"]
    assert len(buckets) == len(freq)


def test_a_lazy_segmenter_segments_as_jieba_does(eager: Segmenter) -> None:
    save_buckets(eager.tokenizer.FREQ, eager.tokenizer.total)
    lazy = Segmenter(lazy_dictionary=True)
    assert isinstance(lazy.tokenizer.FREQ, BucketedFrequencies)
    for window in WINDOWS:
        assert lazy.words(window) == eager.words(window)
        assert lazy.split_compound(window[:4]) == eager.split_compound(window[:4])
    for window, (start, end) in zip(WINDOWS, [(2, 4), (2, 6), (2, 6), (3, 5)], strict=True):
        assert lazy.boundary_check(window, start, end) == eager.boundary_check(window, start, end)
