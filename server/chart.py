"""The answer's chart as an image block, when the answer has one."""

from __future__ import annotations

import base64
import logging
import tempfile
from pathlib import Path

from mcp_types import ImageContent

from recsight.answering.answer import Answer

log = logging.getLogger(__name__)


def chart_image(answer: Answer) -> ImageContent | None:
    """A PNG of the answer's Vega-Lite chart; None without a chart or if rendering fails."""
    if not answer.chart:
        return None
    from recsight.answering.chart import render_png

    try:
        with tempfile.TemporaryDirectory(prefix="recsight-chart-") as folder:
            png = render_png(answer.chart, Path(folder) / "chart.png").read_bytes()
    except Exception as error:  # a chart is a bonus: the numbers still go out without it
        log.warning("chart rendering failed, answering without it: %s", error)
        return None
    return ImageContent(type="image", data=base64.b64encode(png).decode(), mime_type="image/png")
