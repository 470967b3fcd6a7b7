"""When the built-in planner says no: words it can't map, and requests it must not do."""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from recsight.planning.lexicon import Lexicon
from recsight.planning.matcher import suggestions
from recsight.planning.text import GRAMMAR, IGNORABLE, IMPERATIVES, MUTATION_WORDS, Token
from semantic_layer.errors import PlanningError

if TYPE_CHECKING:
    from recsight.planning.base import PlanContext
    from recsight.planning.reading import Reading

_GRAMMAR = IGNORABLE | GRAMMAR

# Things shops measure that this model does not hold: a question about them is refused rather
# than answered with the nearest metric.
KNOWN_ABSENT = frozenset(
    [
        "profit",
        "profits",
        "profitability",
        "margin",
        "margins",
        "cost",
        "costs",
        "cogs",
        "spend",
        "budget",
        "roi",
        "roas",
        "returns",
        "return",
        "returned",
        "refund",
        "refunds",
        "inventory",
        "stock",
        "stockout",
        "supplier",
        "suppliers",
        "vendor",
        "vendors",
        "warehouse",
        "shipping",
        "delivery",
        "nps",
        "satisfaction",
        "csat",
        "rating",
        "ratings",
        "review",
        "reviews",
        "churn",
        "churned",
        "retention",
        "ltv-prediction",
        "forecast",
        "forecasts",
        "predict",
        "prediction",
        "predicted",
        "weather",
        "temperature",
        "rain",
        "employee",
        "employees",
        "salary",
        "salaries",
        "payroll",
        "discount",
        "discounts",
        "coupon",
        "coupons",
        "promo",
        "promotion",
        "promotions",
        "price-elasticity",
        "elasticity",
        "cart-abandonment",
        "abandonment",
        "abandoned",
        "session",
        "sessions",
        "bounce",
        "pageviews",
        "page-views",
        "email-opens",
        "opens",
        "unsubscribe",
        "gender",
        "age",
        "income",
        "competitor",
        "competitors",
        "stock-price",
        "tax",
        "taxes",
        "fraud",
        "latency",
        "uptime",
    ]
)
_CUES = {"by", "per", "across", "each", "every", "for", "in", "only"}


def unknown_words(tokens: list[Token], used: set[int]) -> list[Token]:
    return [
        t
        for t in tokens
        if t.index not in used
        and t.text not in _GRAMMAR
        and t.norm not in _GRAMMAR
        and not _is_number(t.text)
    ]


def refuse_mutation(tokens: list[Token]) -> NoReturn:
    verbs = sorted(
        {t.text for t in tokens if t.text in MUTATION_WORDS}
        | ({tokens[0].text} if tokens[0].text in IMPERATIVES else set())
    )
    raise PlanningError(
        f"recsight only reads data; it can't {' or '.join(verbs)} anything.",
        hint="Ask a question about the numbers instead, e.g. 'clicks by placement last week'.",
    )


def refuse_unknown(
    leftovers: list[Token], reading: Reading, lexicon: Lexicon, context: PlanContext
) -> None:
    """Refuse when a word that matters can't be mapped; note harmless leftovers."""
    absent = [t.text for t in leftovers if t.text in KNOWN_ABSENT or t.norm in KNOWN_ABSENT]
    if absent:
        raise PlanningError(
            f"The {context.model.name} model has no data on {', '.join(repr(a) for a in absent)}.",
            hint=_what_can(context),
        )
    for token in leftovers:
        previous = reading.tokens[token.index - 1].text if token.index else ""
        close = suggestions(token.text, lexicon) if len(token.text) >= 4 else []
        if previous in _CUES or close or not (reading.metrics or context.previous):
            hint = (
                f"Did you mean {' or '.join(repr(c) for c in close)}?"
                if close
                else _what_can(context)
            )
            raise PlanningError(
                f"I couldn't map '{token.text}' to a metric, dimension or value "
                f"of the {context.model.name} model.",
                hint=hint,
                options=close,
            )


def _what_can(context: PlanContext) -> str:
    model = context.model
    metrics = ", ".join(list(model.metrics)[:10])
    dims = ", ".join(d for d in model.dimensions)
    return (
        f"You can ask about metrics ({metrics}, ...) by dimensions ({dims}), e.g. "
        "'CTR by algorithm for high-value customers last 30 days'."
    )


def _is_number(text: str) -> bool:
    return text.rstrip("%").replace(".", "", 1).isdigit()
