"""`recsight query`, `metrics` and `dimensions` through the real command line, in a subprocess.

Every bad input ends the same way: one line on stderr naming the problem, exit code 2, and no
traceback anywhere.
"""

from __future__ import annotations

import csv
import io
import json
import shlex
import time
from pathlib import Path
from typing import Any

import pytest

from semantic_layer.filters import MAX_WHERE_CHARS

ALGORITHMS = ["Collaborative Filtering", "Content-Based", "Neural Network"]
NOV = ("--from", "2026-11-01", "--to", "2026-11-30")


def ok(done: Any) -> str:
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    return str(done.stdout)


def refused(done: Any) -> str:
    """The one error line, after checking the exit code and that nothing else was printed."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("Error: ")
    return str(lines[0])


def test_table_output_shows_each_algorithm_with_readable_units(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    out = ok(
        recsight_cli(
            "query", "--warehouse", str(demo_warehouse), "-m", "ctr,revenue", "--by", "algorithm"
        )
    )

    for algorithm in ALGORITHMS:
        assert algorithm in out
    assert "%" in out and "$" in out
    assert "WITH" not in out, "SQL is shown only with --show-sql"


def test_json_output_is_one_object_with_query_sql_columns_and_rows(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    out = ok(
        recsight_cli(
            "query", "--warehouse", str(demo_warehouse), "-m", "ctr,clicks", "--by", "algorithm",
            "--where", "category = 'Shoes'", *NOV, "--order", "-ctr", "--limit", "2",
            "--format", "json",
        )
    )  # fmt: skip

    payload = json.loads(out)
    assert payload["query"]["metrics"] == ["ctr", "clicks"]
    assert payload["query"]["time_range"] == {"start": "2026-11-01", "end": "2026-11-30"}
    assert payload["columns"] == ["algorithm", "ctr", "clicks"]
    assert "products.category = 'Shoes'" in payload["sql"]
    assert len(payload["rows"]) == 2
    assert payload["rows"][0][0] == "Neural Network", "ordered by CTR, highest first"
    assert payload["rows"][0][1] > payload["rows"][1][1]


def test_csv_output_has_a_header_and_one_line_per_group(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    out = ok(
        recsight_cli(
            "query", "--warehouse", str(demo_warehouse), "-m", "impressions", "--by", "date",
            "--from", "2026-11-01", "--to", "2026-11-07", "--format", "csv",
        )
    )  # fmt: skip

    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["date", "impressions"]
    assert [r[0] for r in rows[1:]] == [f"2026-11-0{d}" for d in range(1, 8)]
    assert all(int(r[1]) > 0 for r in rows[1:])


def test_show_sql_prints_the_result_and_the_sql_behind_it(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    out = ok(
        recsight_cli(
            "query", "--warehouse", str(demo_warehouse), "-m", "ctr", "--by", "algorithm",
            "--show-sql",
        )
    )  # fmt: skip

    assert "Neural Network" in out
    assert "FROM impressions" in out


def test_dry_run_prints_snowflake_sql_without_touching_any_warehouse(recsight_cli: Any) -> None:
    out = ok(
        recsight_cli(
            "query", "-m", "ctr", "--by", "date:day_of_week", "--dry-run", "--dialect", "snowflake"
        )
    )

    assert "DAYOFWEEKISO(" in out
    assert out.lstrip().startswith("WITH")
    assert list(recsight_cli.home.iterdir()) == [], "a dry run must not build the demo"


def test_metrics_lists_every_required_metric(recsight_cli: Any) -> None:
    entries = json.loads(ok(recsight_cli("metrics", "--format", "json")))
    names = {e["name"] for e in entries}

    assert {
        "impressions", "clicks", "ctr", "conversions", "conversion_rate", "revenue", "aov",
        "revenue_per_impression", "catalog_coverage", "novelty",
    } <= names  # fmt: skip
    assert "Click-through rate" in ok(recsight_cli("metrics"))


def test_dimensions_lists_the_time_dimension_with_its_grains(recsight_cli: Any) -> None:
    entries = {e["name"]: e for e in json.loads(ok(recsight_cli("dimensions", "--format", "json")))}

    assert "day_of_week" in entries["date"]["grains"]
    assert {"algorithm", "customer_type", "clv_tier", "category", "placement"} <= set(entries)
    assert "--values" in ok(recsight_cli("dimensions"))


def test_dimension_values_come_from_the_warehouse(recsight_cli: Any, demo_warehouse: Path) -> None:
    out = ok(
        recsight_cli(
            "dimensions", "--values", "algorithm", "--warehouse", str(demo_warehouse),
            "--format", "json",
        )
    )  # fmt: skip

    assert sorted(v["value"] for v in json.loads(out)) == ALGORITHMS


BAD_INPUT = {
    "misspelt-metric": ("-m ctrr", "Did you mean 'ctr'?"),
    "misspelt-dimension": ("-m ctr --by algoritm", "Did you mean 'algorithm'?"),
    "bad-date": ("-m ctr --from 2026-13-01 --to 2026-11-30", "--from '2026-13-01' is not a date"),
    "from-without-to": ("-m ctr --from 2026-11-01", "--from and --to go together"),
    "reversed-range": ("-m ctr --from 2026-11-30 --to 2026-11-01", "starts (2026-11-30) after"),
    "unknown-grain": ("-m ctr --by date:weak", "Did you mean 'week'?"),
    "unknown-filter-column": ("-m ctr --where \"categry = 'Shoes'\"", "Did you mean 'category'?"),
    "second-statement": (
        "-m ctr --where \"category = 'Shoes'; DROP TABLE impressions\"",
        "not several statements",
    ),
    "subquery": ("-m ctr --where 'category IN (SELECT category FROM products)'", "a subquery"),
    "order-field": ("-m ctr --order -ctrr", "Did you mean 'ctr'?"),
    "bad-having": ("-m ctr --having 'ctr >> 2'", "Could not read the metric filter"),
    "unknown-dialect": ("-m ctr --dialect snowflak", "Did you mean 'snowflake'?"),
    "zero-limit": ("-m ctr --limit 0", "greater than or equal to 1"),
}


@pytest.mark.parametrize(("args", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(
    recsight_cli: Any, demo_warehouse: Path, args: str, message: str
) -> None:
    line = refused(recsight_cli("query", "--warehouse", str(demo_warehouse), *shlex.split(args)))

    assert message in line


def test_a_missing_warehouse_file_is_named_with_how_to_create_it(
    recsight_cli: Any, tmp_path: Path
) -> None:
    missing = tmp_path / "nowhere.duckdb"

    line = refused(recsight_cli("query", "-m", "ctr", "--warehouse", str(missing)))

    assert str(missing) in line
    assert "recsight demo" in line


def test_the_warehouse_can_come_from_the_environment(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    done = recsight_cli(
        "query", "-m", "impressions", "--format", "csv", RECSIGHT_WAREHOUSE=str(demo_warehouse)
    )

    assert ok(done).splitlines()[0] == "impressions"
    assert int(ok(done).splitlines()[1]) > 3_000_000


def test_the_largest_where_the_os_accepts_fails_fast_on_its_length(
    recsight_cli: Any, demo_warehouse: Path
) -> None:
    # Linux caps one argument at 128 KiB, so a 10 MB --where can't reach a process at all;
    # the biggest one that can is refused on its length, before it is parsed.
    huge = "category = 'Shoes' OR " * 5900 + "TRUE"
    started = time.perf_counter()

    line = refused(
        recsight_cli("query", "-m", "ctr", "--warehouse", str(demo_warehouse), "--where", huge)
    )

    assert f"is {len(huge):,} characters long; the limit is {MAX_WHERE_CHARS:,}" in line
    assert time.perf_counter() - started < 10
