"""Vietnamese alphabetical order for lists sorted in Python."""

from caseapp.core.text import vietnamese_sort_key


def test_vietnamese_letter_order_and_word_boundaries() -> None:
    names = ["Phường Hai Bà Trưng", "Zed", "Phường Đống Đa", "Phường Hà Đông", "Phường Dương Nội", "Ăn", "An"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An",
        "Ăn",
        "Phường Dương Nội",
        "Phường Đống Đa",
        "Phường Hà Đông",
        "Phường Hai Bà Trưng",
        "Zed",
    ]


def test_tones_only_break_ties() -> None:
    assert sorted(["má", "ma", "mà", "mb"], key=vietnamese_sort_key) == ["ma", "mà", "má", "mb"]
