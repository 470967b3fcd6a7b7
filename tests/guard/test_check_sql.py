"""The SQL guard lets one read-only SELECT over the model through and refuses everything else."""

from __future__ import annotations

import pytest

from recsight.guard import MAX_SQL_CHARS, check_sql
from semantic_layer.errors import GuardError
from semantic_layer.loader import load_model
from semantic_layer.spec import SemanticModel


@pytest.fixture(scope="module")
def model() -> SemanticModel:
    return load_model()


REFUSED = [
    ("DROP TABLE impressions", "Only SELECT queries are allowed; got DROP"),
    ("DELETE FROM impressions", "Only SELECT queries are allowed; got DELETE"),
    ("INSERT INTO clicks VALUES (1, 2, now())", "Only SELECT queries are allowed; got INSERT"),
    ("UPDATE orders SET order_total = 0", "Only SELECT queries are allowed; got UPDATE"),
    ("CREATE TABLE t AS SELECT 1", "Only SELECT queries are allowed; got CREATE"),
    ("SELECT 1; DROP TABLE impressions", "Only one statement is allowed; got 2 (SELECT, DROP)"),
    ("SELECT 1; SELECT 2", "Only one statement is allowed; got 2"),
    ("WITH x AS (DELETE FROM impressions RETURNING *) SELECT * FROM x", "DELETE is not allowed"),
    ("EXPLAIN SELECT 1", "Only SELECT queries are allowed; got EXPLAIN"),
    ("SELECT 1 /* ; */ ; DROP TABLE impressions", "Only one statement is allowed"),
    ("SELECT 1 --\n; DROP TABLE impressions", "Only one statement is allowed"),
    ("SELECT * FROM read_csv('/etc/passwd')", "Function READ_CSV is not allowed"),
    ("SELECT * FROM read_csv_auto('data.csv')", "is not allowed"),
    ("SELECT * FROM read_parquet('s3://bucket/x.parquet')", "Function READ_PARQUET is not allowed"),
    ("SELECT * FROM glob('/*')", "Function GLOB is not allowed"),
    ("SELECT * FROM 'secrets.csv'", "Unknown table 'secrets.csv'"),
    ("SELECT read_text('/etc/passwd')", "Function READ_TEXT is not allowed"),
    ("SELECT getenv('HOME')", "Function GETENV is not allowed"),
    ("SELECT current_setting('enable_external_access')", "Function CURRENT_SETTING is not allowed"),
    ("SELECT * FROM duckdb_settings()", "Function DUCKDB_SETTINGS is not allowed"),
    ("SELECT * FROM impressions, range(10)", "is not allowed"),
    ("COPY impressions TO 'out.csv'", "Only SELECT queries are allowed; got COPY"),
    ("COPY (SELECT 1) TO 'out.csv'", "Only SELECT queries are allowed; got COPY"),
    ("ATTACH 'other.duckdb' AS other", "Only SELECT queries are allowed; got ATTACH"),
    ("DETACH other", "Only SELECT queries are allowed; got DETACH"),
    ("PRAGMA database_list", "Only SELECT queries are allowed; got PRAGMA"),
    ("SET enable_external_access = true", "Only SELECT queries are allowed; got SET"),
    ("INSTALL httpfs", "Only SELECT queries are allowed; got INSTALL"),
    ("LOAD httpfs", "Only SELECT queries are allowed; got LOAD"),
    ("CALL pragma_version()", "Only SELECT queries are allowed"),
    ("DESCRIBE impressions", "Only SELECT queries are allowed; got DESCRIBE"),
    ("SELECT * INTO copy_of FROM impressions", "SELECT ... INTO is not allowed"),
    ("SELECT * FROM nowhere", "Unknown table 'nowhere'. Valid tables: clicks, customers"),
    ("SELECT * FROM impresions", "Did you mean 'impressions'?"),
    ("SELECT * FROM warehouse_info", "Unknown table 'warehouse_info'"),
    ("SELECT * FROM information_schema.tables", "names a schema or database"),
    ("SELECT * FROM main.impressions", "names a schema or database"),
    ("SELECT table_name FROM duckdb_tables()", "Function DUCKDB_TABLES is not allowed"),
    ("SELECT algoritm FROM impressions", "Unknown column 'algoritm' (in impressions). Did you"),
    ("SELECT password FROM customers", "Unknown column 'password' (in customers)"),
    ("SELECT c.email FROM customers AS c", "Unknown column 'email'"),
    (
        'SELECT algorithm FROM impressions WHERE algorithm = "Neural Network"',
        "Text values take single quotes",
    ),
    ("SELECT ?", "Parameters like '?' are not supported"),
    ("SELECT algorithm FROM impressions LIMIT 1 + 1", "LIMIT must be a whole number"),
    ("", "The SQL is empty"),
    (" ; ", "The SQL is empty"),
    ("SELEC algorithm FROM impressions", "could not be parsed"),
]


@pytest.mark.parametrize(("sql", "message"), REFUSED, ids=[s[:40] for s, _ in REFUSED])
def test_hostile_or_unknown_sql_is_refused_with_a_reason(
    sql: str, message: str, model: SemanticModel
) -> None:
    with pytest.raises(GuardError) as refused:
        check_sql(sql, model)
    assert message in str(refused.value)


def test_a_refused_function_lists_what_is_allowed(model: SemanticModel) -> None:
    with pytest.raises(GuardError, match="Allowed: aggregates \\(count, sum"):
        check_sql("SELECT getenv('HOME')", model)


def test_a_ten_megabyte_string_is_refused_before_parsing(model: SemanticModel) -> None:
    huge = "SELECT '" + "x" * 10_000_000 + "'"
    with pytest.raises(GuardError, match=f"at most {MAX_SQL_CHARS:,} are accepted"):
        check_sql(huge, model)


def test_deep_nesting_is_refused_not_crashed(model: SemanticModel) -> None:
    nested = "SELECT " + "(" * 5_000 + "1" + ")" * 5_000
    with pytest.raises(GuardError):
        check_sql(nested, model)


ACCEPTED = [
    "SELECT algorithm, count(*) AS n FROM impressions GROUP BY algorithm ORDER BY n DESC",
    "SELECT i.algorithm, c.region FROM impressions AS i JOIN customers AS c USING (customer_id)",
    "WITH per AS (SELECT algorithm AS a, count(*) AS n FROM impressions GROUP BY 1) "
    "SELECT a, n FROM per",
    "SELECT category FROM products UNION SELECT region FROM customers",
    "SELECT date_trunc('week', impression_ts) AS week, count(*) FROM impressions GROUP BY 1",
    "SELECT algorithm, row_number() OVER (ORDER BY count(*) DESC) FROM impressions GROUP BY 1",
    "SELECT CASE WHEN order_total > 100 THEN 'big' ELSE 'small' END AS size FROM orders",
    "SELECT count(*) FILTER (WHERE device = 'Mobile') FROM impressions",
    "SELECT algorithm FROM impressions WHERE algorithm = 'Neural Network' -- a note",
    "SELECT 1;",
]


@pytest.mark.parametrize("sql", ACCEPTED, ids=[s[:40] for s in ACCEPTED])
def test_read_only_queries_over_the_model_pass(sql: str, model: SemanticModel) -> None:
    guarded = check_sql(sql, model)
    assert guarded.sql.upper().startswith(("SELECT", "WITH"))
    assert guarded.sql.endswith("LIMIT 1000")


def test_the_result_names_the_tables_and_columns_read(model: SemanticModel) -> None:
    guarded = check_sql(
        "SELECT i.algorithm, c.region FROM impressions AS i JOIN customers AS c "
        "ON i.customer_id = c.customer_id",
        model,
    )
    assert set(guarded.tables) == {"impressions", "customers"}
    assert set(guarded.columns) == {
        "impressions.algorithm",
        "impressions.customer_id",
        "customers.region",
        "customers.customer_id",
    }


def test_star_expands_to_declared_columns_only(model: SemanticModel) -> None:
    guarded = check_sql("SELECT * FROM products", model)
    declared = model.tables["products"].columns
    assert guarded.columns == tuple(f"products.{c}" for c in declared)
    assert "*" not in guarded.sql


@pytest.mark.parametrize(
    ("sql", "expected_limit"),
    [
        ("SELECT algorithm FROM impressions", "LIMIT 50"),
        ("SELECT algorithm FROM impressions LIMIT 10", "LIMIT 10"),
        ("SELECT algorithm FROM impressions LIMIT 5000", "LIMIT 50"),
        ("SELECT algorithm FROM impressions FETCH FIRST 9000 ROWS ONLY", "LIMIT 50"),
        ("SELECT category FROM products UNION SELECT region FROM customers", "LIMIT 50"),
        ("SELECT category FROM products UNION SELECT region FROM customers LIMIT 3", "LIMIT 3"),
    ],
)
def test_the_limit_is_added_or_lowered_to_the_row_cap(
    sql: str, expected_limit: str, model: SemanticModel
) -> None:
    guarded = check_sql(sql, model, row_cap=50)
    assert guarded.sql.endswith(expected_limit)
    assert guarded.sql.count("LIMIT") == 1


def test_comments_are_dropped_from_the_sql_that_runs(model: SemanticModel) -> None:
    guarded = check_sql("SELECT 1 -- ; DROP TABLE impressions", model)
    assert "DROP" not in guarded.sql


def test_sql_is_transpiled_to_the_warehouse_dialect(model: SemanticModel) -> None:
    guarded = check_sql(
        "SELECT algorithm FROM impressions WHERE impression_ts >= DATE '2026-11-01'",
        model,
        dialect="bigquery",
        read="duckdb",
    )
    assert guarded.sql.startswith("SELECT impressions.algorithm")
    assert "LIMIT 1000" in guarded.sql


def test_an_expression_with_thousands_of_parts_is_refused_quickly(model: SemanticModel) -> None:
    sprawling = "SELECT " + "1+" * 6_000 + "1"
    with pytest.raises(GuardError, match="too complex to check"):
        check_sql(sprawling, model)
