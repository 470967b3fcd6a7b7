"""Words of a question: tokens with their positions, light inflection folding, and the words the
planner knowingly ignores."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(r"\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?%?|[a-z][a-z0-9']*|[<>]=?|!=|%")


@dataclass(frozen=True)
class Token:
    text: str
    """As written, lower-cased."""
    norm: str
    """Folded: plural and possessive endings removed."""
    index: int
    start: int
    end: int


def normalize(question: str) -> str:
    return question.lower().replace("’", "'").replace("‘", "'").replace("–", "-")


def tokenize(question: str) -> list[Token]:
    matches = _TOKEN.finditer(normalize(question))
    tokens = []
    for i, m in enumerate(matches):
        word = "percent" if m.group() == "%" else m.group()
        tokens.append(Token(word, fold(word), i, m.start(), m.end()))
    return tokens


def fold(word: str) -> str:
    """A crude stemmer for matching: plurals and possessives to the singular."""
    word = word.removesuffix("'s").removesuffix("'")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


# Words that carry no meaning for the query: question scaffolding, politeness, filler, and nouns
# that only name the entity being counted ("customers" in "high-value customers").
IGNORABLE = frozenset(
    """
time times
a about across actually again all along also altogether am among amount an and any anyone are as
at attributed average be been before being between both bought break breakdown breakdowns bring
bringing brings broken brought bucket buy buyer buying by came can change changed changes check
client combined come comes coming compare compared comparing comparison could count currently
customer cut dashboard data did display distinct do does doing done down during each earn earned
earning ecommerce either else entire ever every everyone everything far fare fared fares figure
figures find first for from full generate generated get gets getting gimme give given go goes
going gone got grew group grouped groups grow growing grown had has have having held hello hey
hi hold holds how how's hows i in incrementality into is it it's its jointly just keep know kpi
kpis lately layer let let's lets like list look looking looks made make makes making many may me
metric metrics might move moved moving much must my need neither now number numbers of ok okay
on once only or order ordered our ours out over overall people per percentage perform
performance performed performing person persons place placed places placing please pls plz
purchase purchased purchasing rank ranked ranking reached readout really rec recently
recommendation recommendations recommended recs report respectively result results retire right
saw second see seeing seen sees segment segmented segments shall share shop shopper shoppers
should show showing shown shows side site slice sliced so some sort sorted split splitting stack
stacking stacks stat statistic statistics stats still store table tell test than thank thanks
that the their them then there these they this those through thru thx times to together too
total trend trending typical typically unique up us user users value varied varies vary versus
very via visitor vs want wanted was we website well went were what what's whats when where which
who whole whom whose why will win wins with within won would you your
""".split()
)

# Words that glue a phrase together without changing what it names: matching skips them, so
# "orders that came from recommendations" finds the phrase "orders from recommendations".
STOP = frozenset(
    """
a an and are at be been by came come comes did do does for from get gets got had has have in
into is it its of on or our that the these this those through thru to us via was we were which
who with
""".split()
)

# Words that only steer the grammar: comparison, ranking and filter cues the planner consumes.
COMPARE_WORDS = frozenset(
    """
against beat beating beats better between compare compared comparing comparison differ
difference outperform outperforming outperforms relative than versus vs worse
""".split()
)
RANK_DESC = frozenset(
    """
bestselling best-selling top-selling
best better biggest greatest highest largest leading max maximum more most strongest top winner
winning
""".split()
)
RANK_ASC = frozenset(
    """
bottom fewest lagging least less lowest min minimum poorest smallest underperforming weakest
worse worst
""".split()
)
RANK_ALL = frozenset(
    """
order ordered rank ranked ranking rankings sort sorted
""".split()
)
COMBINE_WORDS = frozenset(
    """
altogether combined jointly overall sum together total
""".split()
)
EVERY_WORDS = frozenset(
    """
all each every
""".split()
)
EXCLUDE_WORDS = frozenset(
    """
aren't except excl exclude excluded excluding ignoring isn't leaving minus no non not other
without
""".split()
)
MUTATION_WORDS = frozenset(
    """
alter delete drop erase grant insert modify overwrite remove truncate update wipe
""".split()
)
OVERVIEW_WORDS = frozenset(
    """
dashboard kpi kpis overview scorecard summary
""".split()
)
HEADLINE_WORDS = frozenset(
    """
beat beating beats better doing good lead leading leads outperform outperforming outperforms
perform performance performed performing performs well win winning wins worse
""".split()
)

GRAMMAR = (
    COMPARE_WORDS
    | RANK_DESC
    | RANK_ASC
    | RANK_ALL
    | COMBINE_WORDS
    | EVERY_WORDS
    | EXCLUDE_WORDS
    | MUTATION_WORDS
    | OVERVIEW_WORDS
    | HEADLINE_WORDS
)

# Verbs whose subject is compared with its peers: "does the neural net still win?"
WIN_VERBS = frozenset(
    """
win wins winning won beat beats beating outperform outperforms outperforming lead leads leading
""".split()
)
# An order given, not a question asked: "set the traffic share to 80%".
IMPERATIVES = frozenset(
    """
set increase decrease allocate adjust configure retrain deploy pause disable enable turn raise
lower stop launch shift reallocate rollback roll
""".split()
)

NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "twelve": 12,
    "fourteen": 14,
    "twenty": 20,
    "thirty": 30,
    "ninety": 90,
}
