"""Turn the calibration targets into the temp tables and lookups the SQL steps read.

Tables: `algorithm_targets` (the dashboard row of each algorithm at this scale), `variant_mix`
(model versions, with the A/B split), `type_mix`, `clv_mix` and `category_mix` (segment shares
and CTRs, solved from the targets), `placement_cvr` and `device_cvr` (conversion effects).
Variables: the per-row lookups for placement, device, slot and hour of day.
"""

from __future__ import annotations

import duckdb

from recsight.warehouse import demo_targets as t
from recsight.warehouse.demo_products import CATALOG
from recsight.warehouse.demo_sql import load_rows, set_list

NN = "Neural Network"


def load_mixes(con: duckdb.DuckDBPyConnection, scale: float) -> None:
    _load_algorithms(con, scale)
    _load_variants(con)
    _load_segment_mixes(con)
    _load_conversion_effects(con)
    _set_lookups(con)


def _load_algorithms(con: duckdb.DuckDBPyConnection, scale: float) -> None:
    rows = [
        {
            "algorithm_no": no,
            "algorithm": a.algorithm,
            "impressions": round(a.impressions * scale),
            "clicks": round(a.clicks * scale),
            "conversions": round(a.conversions * scale),
            "revenue": round(a.revenue * scale, 2),
            "ctr": a.ctr,
            "coverage": a.coverage,
            "skew": a.popularity_skew,
            "trending": a.algorithm == NN,
        }
        for no, a in enumerate(t.TARGETS)
    ]
    load_rows(con, "algorithm_targets", rows)


def _load_variants(con: duckdb.DuckDBPyConnection) -> None:
    """One model version per algorithm, except the neural network's two during the A/B test.

    In the test each version gets half the traffic (one arm of customers each), and their CTR
    multipliers keep the challenger's lift while averaging to 1.
    """
    lift = t.NN_CHALLENGER_LIFT
    rows = [
        {"algorithm": a.algorithm, "model_version": a.model_version, "in_test": in_test,
         "arm": "all", "share": 1.0, "ctr": 1.0}
        for a in t.TARGETS
        for in_test in (False, True)
        if not (in_test and a.algorithm == NN)
    ]  # fmt: skip
    rows += [
        {"algorithm": NN, "model_version": "nn-v1", "in_test": True, "arm": "one",
         "share": 0.5, "ctr": 2 / (1 + lift)},
        {"algorithm": NN, "model_version": t.NN_CHALLENGER, "in_test": True, "arm": "two",
         "share": 0.5, "ctr": 2 * lift / (1 + lift)},
    ]  # fmt: skip
    load_rows(con, "variant_mix", rows)


def _load_segment_mixes(con: duckdb.DuckDBPyConnection) -> None:
    """Customer type, CLV tier and category mixes, each solved from the algorithm's CTR targets."""
    no_effect = {category.category: 1.0 for category in CATALOG}
    dims = (
        ("type_mix", "customer_type", "ctr_by_customer_type", t.CUSTOMER_TYPE_CVR),
        ("clv_mix", "clv_tier", "ctr_by_clv_tier", t.CLV_TIER_CVR),
        ("category_mix", "category", "ctr_by_category", no_effect),
    )
    for table, column, attribute, cvr in dims:
        rows = []
        for a in t.TARGETS:
            ctrs = getattr(a, attribute)
            prior = t.CATEGORY_PRIOR if column == "category" else dict.fromkeys(ctrs, 0.5)
            mix = t.implied_mix(ctrs, a.ctr, prior)
            rows += [
                {"algorithm": a.algorithm, "level_no": no, column: level, "share": mix[level],
                 "ctr": ctrs[level], "cvr": cvr[level]}
                for no, level in enumerate(ctrs)
            ]  # fmt: skip
        load_rows(con, table, rows)


def _load_conversion_effects(con: duckdb.DuckDBPyConnection) -> None:
    for table, column, levels in (
        ("placement_cvr", "placement", t.PLACEMENTS),
        ("device_cvr", "device", t.DEVICES),
    ):
        load_rows(con, table, [{column: lv.name, "cvr": lv.cvr} for lv in t.normalised(levels)])


def _set_lookups(con: duckdb.DuckDBPyConnection) -> None:
    """Per-row lookups, indexed by LOOKUP_SIZE * clicked + a draw, giving a level's number.

    The unclicked half is tuned to the CTR of all algorithms together; at 2-4% CTRs the error
    this leaves in any level's traffic share is well under 1% of that share. Placements are
    drawn together with the recommendation type they show, as one combined level.
    """
    placements = t.normalised(t.PLACEMENTS)
    combos = [
        (pl, rec_type, share) for pl in placements for rec_type, share in t.REC_TYPES[pl.name]
    ]
    devices, slots = t.normalised(t.DEVICES), t.normalised(t.SLOTS)
    ctr = sum(a.clicks for a in t.TARGETS) / sum(a.impressions for a in t.TARGETS)

    combo_lookup = t.conditional_lookup(
        [pl for pl, _, _ in combos], [pl.share * share for pl, _, share in combos], ctr
    )
    device_lookup = t.conditional_lookup(devices, [d.share for d in devices], ctr)
    slot_lookup = t.conditional_lookup(slots, [s.share for s in slots], ctr)
    con.execute("SET VARIABLE lookup_size = ?", [t.LOOKUP_SIZE])
    set_list(con, "placement_lookup", [k + 1 for k in combo_lookup], "INTEGER")
    set_list(con, "device_lookup", [k + 1 for k in device_lookup], "INTEGER")
    set_list(con, "slot_lookup", [k + 1 for k in slot_lookup], "INTEGER")

    set_list(con, "placement_names", [pl.name for pl, _, _ in combos], "VARCHAR")
    set_list(con, "rec_type_names", [rec_type for _, rec_type, _ in combos], "VARCHAR")
    # upsells draw from the pricier pool (2) of their category, everything else from pool 1
    set_list(con, "combo_pool", [2 if r == "Upsell" else 1 for _, r, _ in combos], "INTEGER")
    set_list(con, "device_names", [d.name for d in devices], "VARCHAR")
    set_list(con, "hour_lookup", t.lookup(t.HOURLY_TRAFFIC, 1024), "INTEGER")
    set_list(con, "weekday_traffic", t.WEEKDAY_TRAFFIC, "DOUBLE")
    set_list(con, "category_names", [category.category for category in CATALOG], "VARCHAR")
