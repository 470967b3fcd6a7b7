"""Numbers in explanations read the way an analyst writes them."""

from __future__ import annotations

import pytest

from recsight.answering.formatting import (
    format_difference,
    format_p_value,
    format_pair,
    format_percent,
)
from recsight.answering.stats import margin_of_error, slope, two_proportion_test


@pytest.mark.parametrize(
    ("value", "unit", "signed", "expected"),
    [
        (0.0113, "percent", False, "1.13 points"),
        (-0.0113, "percent", True, "−1.13 points"),
        (0.000016, "percent", True, "+0.0016 points"),
        (27046.2, "currency", False, "$27,046"),
        (0.16, "currency", False, "$0.16"),
        (1.34, "count", True, "+1.3"),
        (120, "count", True, "+120"),
        (0.187, "number", False, "0.187"),
    ],
)
def test_a_difference_reads_in_points_dollars_or_units(
    value: float, unit: str, signed: bool, expected: str
) -> None:
    assert format_difference(value, unit, signed=signed) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("first", "second", "unit", "expected"),
    [
        (0.035, 0.0237, "percent", ("3.50%", "2.37%")),
        (100.81, 100.66, "currency", ("$100.81", "$100.66")),
        (0.026413, 0.026409, "percent", ("2.6413%", "2.6409%")),
        (0.02, 0.02, "percent", ("2.00%", "2.00%")),
    ],
)
def test_two_different_values_never_read_the_same(
    first: float, second: float, unit: str, expected: tuple[str, str]
) -> None:
    assert format_pair(first, second, unit) == expected  # type: ignore[arg-type]


def test_a_tiny_relative_change_is_not_shown_as_zero() -> None:
    assert format_percent(0.00004) == "<0.1%"
    assert format_percent(0.479) == "47.9%"
    assert format_percent(-0.05, signed=True) == "−5.0%"


def test_p_values_below_a_thousandth_are_bounded() -> None:
    assert format_p_value(3e-116) == "p < 0.001"
    assert format_p_value(0.30627) == "p = 0.306"


def test_the_z_test_matches_a_worked_example() -> None:
    # 38,500 / 1,100,000 against 28,400 / 1,200,000: the article's Layer 1 CTRs.
    test = two_proportion_test(38_500, 1_100_000, 28_400, 1_200_000)

    assert test is not None
    assert test.z == pytest.approx(51.09, abs=0.01)
    assert test.significant
    assert two_proportion_test(5, 0, 3, 100) is None


def test_the_margin_and_slope_are_the_textbook_ones() -> None:
    assert margin_of_error(50, 1_000) == pytest.approx(1.959964 * (0.05 * 0.95 / 1_000) ** 0.5)
    assert slope([1.0, 2.0, 3.0, 4.0]) == pytest.approx(1.0)
    assert slope([5.0]) == 0.0
