"""The demo shop's catalog: about 2,400 products in four categories, and their popularity pools.

Names combine a colour, a material and a style; each category walks its name space with a
coprime step, so no name repeats within it. Popularity is a seeded draw that favours cheaper
products; impressions and baskets pick products by popularity rank from the pools built here.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from recsight.warehouse.demo_customers import coprime_step
from recsight.warehouse.demo_sql import load_rows, set_list


@dataclass(frozen=True)
class CategoryCatalog:
    """How one category's products are named and priced (list prices fall between the bounds)."""

    category: str
    products: int
    low_price: float
    high_price: float
    materials: tuple[str, ...]
    styles: tuple[str, ...]


COLOURS = (
    "Black", "Navy", "Camel", "Ivory", "Olive", "Burgundy",
    "Charcoal", "Blush", "Forest Green", "Rust", "Sand", "Cobalt",
)  # fmt: skip
CATALOG = (
    CategoryCatalog(
        "Dresses", 720, 16, 79,
        ("Linen", "Silk", "Cotton Poplin", "Jersey", "Satin", "Chiffon", "Velvet", "Rib Knit"),
        ("Wrap Dress", "Slip Dress", "Shirt Dress", "Midi Dress", "Maxi Dress", "Mini Dress",
         "A-Line Dress", "Tiered Dress"),
    ),
    CategoryCatalog(
        "Outerwear", 480, 35, 159,
        ("Wool Blend", "Quilted", "Waxed Cotton", "Denim", "Faux Shearling", "Leather"),
        ("Car Coat", "Trench Coat", "Puffer Jacket", "Bomber Jacket", "Parka", "Peacoat",
         "Blazer"),
    ),
    CategoryCatalog(
        "Accessories", 672, 6, 39,
        ("Leather", "Silk", "Canvas", "Gold-Tone", "Woven", "Suede", "Wool"),
        ("Tote Bag", "Crossbody Bag", "Scarf", "Belt", "Beanie", "Hoop Earrings", "Sunglasses",
         "Card Holder"),
    ),
    CategoryCatalog(
        "Shoes", 528, 19, 99,
        ("Leather", "Suede", "Canvas", "Patent", "Knit", "Nubuck"),
        ("Ankle Boot", "Loafer", "Sneaker", "Ballet Flat", "Knee-High Boot", "Slingback Pump",
         "Sandal", "Chelsea Boot"),
    ),
)  # fmt: skip
BRANDS = (
    "Maison Lark", "Northbound", "Ellery & Finch", "Solace", "Verity Lane", "Halden",
    "Juniper Row", "Atelier Nine", "Coastline", "Marlowe", "Fenwick & Co", "Sora",
)  # fmt: skip
ACTIVE_SHARE = 0.92
PREMIUM_QUANTILE = 0.6  # upsells recommend products priced above this quantile of their category


def build_products(con: duckdb.DuckDBPyConnection) -> None:
    """Create `products` and the temp popularity pools impressions and baskets draw from."""
    rows: list[dict[str, object]] = []
    first = 0
    for category_no, cat in enumerate(CATALOG):
        space = len(COLOURS) * len(cat.materials) * len(cat.styles)
        if space < cat.products:
            raise ValueError(f"{cat.category}: {space} distinct names for {cat.products} products")
        rows.append(
            {"category_no": category_no, "category": cat.category, "first_position": first,
             "products": cat.products, "low_price": float(cat.low_price),
             "high_price": float(cat.high_price), "materials": list(cat.materials),
             "styles": list(cat.styles), "name_space": space,
             "name_step": coprime_step(space, 0)}
        )  # fmt: skip
        first += cat.products
    load_rows(con, "catalog", rows)
    con.execute("SET VARIABLE product_count = ?", [first])
    con.execute("SET VARIABLE product_step = ?", [coprime_step(first, 0)])
    set_list(con, "colours", COLOURS, "VARCHAR")
    set_list(con, "brands", BRANDS, "VARCHAR")
    con.execute(PRODUCTS_SQL, [ACTIVE_SHARE])
    con.execute(PRODUCT_POOLS_SQL, [PREMIUM_QUANTILE])
    con.execute(POOL_SIZES_SQL)


PRODUCTS_SQL = """
CREATE TABLE products AS
WITH placed AS (
    SELECT
        ((c.first_position + r.j) * getvariable('product_step') % getvariable('product_count'))
            ::INTEGER + 1 AS product_id,
        c.*,
        r.j * c.name_step % c.name_space AS combo,
        getvariable('colours') AS colours
    FROM catalog AS c, range(c.products) AS r(j)
)
SELECT
    product_id,
    colours[1 + combo % len(colours)] || ' '
        || materials[1 + (combo // len(colours)) % len(materials)] || ' '
        || styles[1 + combo // (len(colours) * len(materials))] AS product_name,
    category,
    getvariable('brands')[1 + floor(len(getvariable('brands')) * draw(product_id, 'brand'))
        ::INTEGER] AS brand,
    -- log-uniform between the category's bounds, ending in .99
    (floor(low_price * pow(high_price / low_price, draw(product_id, 'price'))) + 0.99)
        ::DECIMAL(10, 2) AS price,
    draw(product_id, 'active') < $1 AS is_active,
    FALSE AS is_top_seller,
    getvariable('start_date') - (30 + floor(1000 * draw(product_id, 'launch')))::INTEGER
        AS launched_date
FROM placed
ORDER BY product_id
"""

# Pools of products by popularity rank (0 = most popular), numbered 3 * category_no + pool:
# pool 0 is the whole category, discontinued products included (what shoppers buy besides the
# recommendation); pool 1 its active products; pool 2 the pricier active ones (upsells).
PRODUCT_POOLS_SQL = """
CREATE TEMP TABLE product_pool AS
WITH ranked AS (
    SELECT
        p.product_id,
        p.is_active,
        c.category_no,
        -- cheaper products tend to sell more
        draw(p.product_id, 'popularity') * sqrt(p.price / c.low_price) AS popularity,
        p.price >= quantile_cont(p.price, $1) FILTER (WHERE p.is_active)
            OVER (PARTITION BY c.category_no) AS pricey
    FROM products AS p JOIN catalog AS c USING (category)
), pooled AS (
    SELECT *, 0 AS pool FROM ranked
    UNION ALL SELECT *, 1 FROM ranked WHERE is_active
    UNION ALL SELECT *, 2 FROM ranked WHERE is_active AND pricey
)
SELECT
    3 * category_no + pool AS pool_id,
    row_number() OVER (PARTITION BY category_no, pool ORDER BY popularity, product_id) - 1
        AS rank,
    product_id
FROM pooled
"""

POOL_SIZES_SQL = """
CREATE TEMP TABLE pool_size AS
SELECT pool_id, count(*) AS size FROM product_pool GROUP BY pool_id
"""
