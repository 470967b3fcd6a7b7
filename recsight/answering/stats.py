"""The little statistics the explainer needs: a two-proportion z-test, margins, a fitted slope."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z_95 = 1.959964
"""The two-sided 95% critical value of the standard normal distribution."""

SIGNIFICANCE_LEVEL = 0.05


@dataclass(frozen=True)
class ProportionTest:
    """Whether two rates (successes / trials) differ by more than chance would explain."""

    z: float
    p_value: float

    @property
    def significant(self) -> bool:
        return self.p_value < SIGNIFICANCE_LEVEL


def two_proportion_test(
    successes_a: float, trials_a: float, successes_b: float, trials_b: float
) -> ProportionTest | None:
    """The pooled two-proportion z-test; None when either side has no trials or nothing varies."""
    if trials_a <= 0 or trials_b <= 0:
        return None
    pooled = (successes_a + successes_b) / (trials_a + trials_b)
    spread = pooled * (1 - pooled) * (1 / trials_a + 1 / trials_b)
    if spread <= 0:
        return None
    z = (successes_a / trials_a - successes_b / trials_b) / math.sqrt(spread)
    return ProportionTest(z=z, p_value=math.erfc(abs(z) / math.sqrt(2)))


def margin_of_error(successes: float, trials: float) -> float | None:
    """Half-width of the 95% normal interval around successes / trials, as a fraction."""
    if trials <= 0:
        return None
    rate = successes / trials
    return Z_95 * math.sqrt(max(rate * (1 - rate), 0.0) / trials)


def slope(values: Sequence[float]) -> float:
    """Least-squares change per step of evenly spaced values (0 for fewer than two)."""
    count = len(values)
    if count < 2:
        return 0.0
    mean_x = (count - 1) / 2
    mean_y = sum(values) / count
    top = sum((i - mean_x) * (v - mean_y) for i, v in enumerate(values))
    bottom = sum((i - mean_x) ** 2 for i in range(count))
    return top / bottom
