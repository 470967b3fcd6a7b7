"""`recsight chat`: ask, follow up, export, in one terminal session."""

from __future__ import annotations

import typer

from recsight.cli import options as opt


def register(app: typer.Typer) -> None:
    @app.command()
    def chat(
        warehouse: opt.WarehouseOpt = None,
        model: opt.Model = None,
        as_of: opt.AsOf = None,
    ) -> None:
        """Talk to your data: ask a question, then follow up ("now by week", "only shoes",
        "top 3", "compare with last month", "why?"). /help inside lists the commands.

        Example: `recsight chat --as-of 2026-12-01`
        """
        from recsight.chat.app import run_chat

        today = opt.parse_date(as_of, "--as-of") if as_of else None
        engine = opt.open_engine(warehouse, model)
        try:
            run_chat(engine, today)
        finally:
            engine.close()
