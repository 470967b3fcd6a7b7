"""A broken semantic model fails on load, naming the offender and suggesting the closest name.

Each case takes the bundled model, breaks one thing, and writes it to a YAML file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from semantic_layer.errors import ModelError
from semantic_layer.loader import default_model_path, load_model

Raw = dict[str, Any]


def bundled() -> Raw:
    raw = yaml.safe_load(default_model_path().read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def write_model(folder: Path, raw: Raw) -> Path:
    path = folder / "model.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    return path


def join_to_customer(raw: Raw) -> None:
    raw["tables"]["impressions"]["joins"][0]["to"] = "customer"


def dimension_on_table_product(raw: Raw) -> None:
    raw["dimensions"]["category"]["table"] = "product"


def dimension_column_misspelt(raw: Raw) -> None:
    raw["dimensions"]["category"]["expr"] = "categry"


def primary_key_missing(raw: Raw) -> None:
    raw["tables"]["clicks"]["primary_key"] = "clickid"


def measure_column_misspelt(raw: Raw) -> None:
    raw["measures"]["revenue"]["expr"] = "order_totl"


def measure_filter_on_misspelt_joined_column(raw: Raw) -> None:
    raw["measures"]["novel_impressions"]["filter"] = "NOT products.is_top_sellr"


def metric_on_unknown_measure(raw: Raw) -> None:
    raw["metrics"]["ctr"]["numerator"] = "click"


def derived_metric_on_unknown_metric(raw: Raw) -> None:
    raw["metrics"]["clicks_per_customer"]["expr"] = "clickz / reached_customers"


def measure_with_unknown_aggregation(raw: Raw) -> None:
    raw["measures"]["clicks"]["agg"] = "summ"


def measure_with_misspelt_key(raw: Raw) -> None:
    raw["measures"]["clicks"]["aggregation"] = raw["measures"]["clicks"].pop("agg")


def metric_with_unknown_unit(raw: Raw) -> None:
    raw["metrics"]["ctr"]["unit"] = "percentage"


def metric_named_like_a_dimension(raw: Raw) -> None:
    raw["metrics"]["region"] = {"type": "simple", "measure": "clicks", "description": "x"}


def expression_that_does_not_parse(raw: Raw) -> None:
    raw["measures"]["revenue"]["expr"] = "order_total +"


BROKEN: list[tuple[Callable[[Raw], None], list[str]]] = [
    (join_to_customer, ["Unknown table 'customer'", "impressions", "Did you mean 'customers'?"]),
    (dimension_on_table_product, ["dimension 'category'", "Did you mean 'products'?"]),
    (dimension_column_misspelt, ["Unknown column 'categry'", "Did you mean 'category'?"]),
    (primary_key_missing, ["Unknown column 'clickid'", "Did you mean 'click_id'?"]),
    (measure_column_misspelt, ["measure 'revenue'", "Did you mean 'order_total'?"]),
    (
        measure_filter_on_misspelt_joined_column,
        ["of table 'products' in measure 'novel_impressions'", "Did you mean 'is_top_seller'?"],
    ),
    (metric_on_unknown_measure, ["in metric 'ctr'", "Did you mean 'clicks'?"]),
    (
        derived_metric_on_unknown_metric,
        ["Unknown metric 'clickz'", "clicks_per_customer", "Did you mean 'clicks'?"],
    ),
    (measure_with_unknown_aggregation, ["measures.clicks.agg", "Did you mean 'sum'?"]),
    (measure_with_misspelt_key, ["Unknown field 'aggregation'", "Did you mean 'agg'?"]),
    (metric_with_unknown_unit, ["metrics.ctr.unit", "Did you mean 'percent'?"]),
    (metric_named_like_a_dimension, ["both a metric and a dimension", "region"]),
    (expression_that_does_not_parse, ["'order_total +'", "does not parse"]),
]


@pytest.mark.parametrize(("breakage", "fragments"), BROKEN, ids=[b.__name__ for b, _ in BROKEN])
def test_a_broken_model_names_the_offender_and_suggests_the_closest(
    tmp_path: Path, breakage: Callable[[Raw], None], fragments: list[str]
) -> None:
    raw = bundled()
    breakage(raw)

    with pytest.raises(ModelError) as raised:
        load_model(write_model(tmp_path, raw))

    for fragment in fragments:
        assert fragment in str(raised.value)


def test_cyclic_derived_metrics_are_refused_with_the_loop_spelled_out(tmp_path: Path) -> None:
    raw = bundled()
    raw["metrics"]["clicks_per_customer"]["expr"] = "clicks / twice_clicks_per_customer"
    raw["metrics"]["twice_clicks_per_customer"] = {
        "type": "derived",
        "expr": "2 * clicks_per_customer",
        "description": "Makes a cycle.",
    }

    with pytest.raises(ModelError, match="cycle") as raised:
        load_model(write_model(tmp_path, raw))

    assert "clicks_per_customer -> twice_clicks_per_customer -> clicks_per_customer" in str(
        raised.value
    )


def test_a_derived_metric_that_uses_itself_is_a_cycle(tmp_path: Path) -> None:
    raw = bundled()
    raw["metrics"]["clicks_per_customer"]["expr"] = "clicks_per_customer + 1"

    with pytest.raises(ModelError, match="clicks_per_customer -> clicks_per_customer"):
        load_model(write_model(tmp_path, raw))


def test_a_file_that_is_not_yaml_is_refused_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text("tables: [impressions\nmetrics: {", encoding="utf-8")

    with pytest.raises(ModelError, match="is not valid YAML") as raised:
        load_model(path)

    assert str(path) in str(raised.value)


def test_yaml_that_is_a_list_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "model.yaml"
    path.write_text("- impressions\n- clicks\n", encoding="utf-8")

    with pytest.raises(ModelError, match="must be a mapping"):
        load_model(path)


def test_a_missing_model_file_says_how_to_choose_another(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist") as raised:
        load_model(tmp_path / "nowhere.yaml")

    assert "--model" in str(raised.value)


def test_the_bundled_model_written_back_out_loads_cleanly(tmp_path: Path) -> None:
    model = load_model(write_model(tmp_path, bundled()))

    assert {"ctr", "catalog_coverage", "novelty", "revenue_per_impression"} <= set(model.metrics)
