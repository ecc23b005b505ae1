"""within_edits: a bounded Levenshtein test for search's typo tolerance, against the textbook
full dynamic programme."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from glossary.text.keys import within_edits


def levenshtein(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


@given(st.text("abcdé", max_size=10), st.text("abcdé", max_size=10), st.integers(0, 3))
def test_agrees_with_the_full_distance(a: str, b: str, limit: int) -> None:
    assert within_edits(a, b, limit) == (levenshtein(a, b) <= limit)


def test_typical_typos() -> None:
    assert within_edits("sovereignty", "soverignty", 1)  # a letter left out
    assert within_edits("sovereignty", "sovereingty", 2)  # two letters swapped: two edits
    assert not within_edits("sovereignty", "sovereingty", 1)
    assert not within_edits("security", "society", 2)
