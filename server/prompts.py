"""Prompts: the analyses of the reference article, each a ready conversation starter.

The texts live in `prompts/mcp/*.md` (a data package) with `$placeholders`, so they can be read and
edited as prose.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from importlib import resources
from string import Template
from typing import Annotated

from mcp.server.mcpserver.prompts.base import Prompt
from pydantic import Field

from semantic_layer.errors import QueryError, unknown_name
from semantic_layer.spec import SemanticModel

SEGMENTS = ("clv_tier", "customer_type", "acquisition_channel", "region", "device")
GRAINS = ("day", "week", "month")

Period = Annotated[
    str,
    Field(
        max_length=100,
        description="Optional period, e.g. 'last 30 days' or '2026-11-01 to 2026-11-30'.",
    ),
]
Segment = Annotated[str, Field(description="clv_tier (default), " + ", ".join(SEGMENTS[1:]) + ".")]
MetricName = Annotated[str, Field(description="A metric from list_metrics (default ctr).")]
GrainName = Annotated[str, Field(description="day, week (default) or month.")]


def prompt_text(name: str, **values: str) -> str:
    source = resources.files("prompts") / "mcp" / f"{name}.md"
    return Template(source.read_text(encoding="utf-8")).substitute(values).strip()


def _time(time_range: str) -> dict[str, str]:
    span = time_range.strip()
    if not span:
        return {"period": "", "time_range_hint": ""}
    return {
        "period": f" over {span}",
        "time_range_hint": f", with a time_range (start and end dates) covering {span}",
    }


def build_prompts(model: SemanticModel) -> list[Prompt]:
    def algorithm_overview(time_range: Period = "") -> str:
        """Compare the recommendation algorithms on impressions, CTR, conversion and revenue."""
        return prompt_text("algorithm_overview", **_time(time_range))

    def segment_breakdown(segment: Segment = "clv_tier", time_range: Period = "") -> str:
        """Break algorithm CTR down by a customer segment (clv_tier, customer_type,
        acquisition_channel, region or device) to see where each algorithm wins."""
        _require(segment, SEGMENTS, "segment")
        return prompt_text("segment_breakdown", segment=segment, **_time(time_range))

    def category_performance(metric: MetricName = "ctr", time_range: Period = "") -> str:
        """Compare the algorithms by product category on a metric (default CTR)."""
        _require(metric, list(model.metrics), "metric")
        return prompt_text("category_performance", metric=metric, **_time(time_range))

    def trend_over_time(
        metric: MetricName = "ctr", grain: GrainName = "week", time_range: Period = ""
    ) -> str:
        """Track a metric per algorithm over time (by day, week or month) and look for jumps."""
        _require(metric, list(model.metrics), "metric")
        _require(grain, GRAINS, "grain")
        return prompt_text("trend_over_time", metric=metric, grain=grain, **_time(time_range))

    titles: dict[Callable[..., str], str] = {
        algorithm_overview: "Algorithm performance overview",
        segment_breakdown: "Segment breakdown",
        category_performance: "Category performance",
        trend_over_time: "Trend over time",
    }
    return [
        Prompt.from_function(fn, title=title, description=inspect.cleandoc(fn.__doc__ or ""))
        for fn, title in titles.items()
    ]


def _require(value: str, options: tuple[str, ...] | list[str], kind: str) -> None:
    if value not in options:
        raise QueryError(unknown_name(kind, value, options))
