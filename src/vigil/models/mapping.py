"""The one table that maps each shared dataset's classes onto Vigil's labels (the built-in models' targets)."""

from __future__ import annotations

from typing import NamedTuple

# What the built-in model predicts: Vigil labels the data supports, then three qualities of a post.
# `affected` is a head, not a label: Kawarith and CrisisLexT26 say "affected individuals" without saying which kind,
# so a post the head finds gets the most likely of AFFECTED_GROUP (see combine.py).
LABEL_HEADS = ("casualties", "missing", "evacuation", "infrastructure", "shortages", "advice", "aid", "sympathy")
HEADS = (*LABEL_HEADS, "affected", "informative", "eyewitness")
AFFECTED_GROUP = ("casualties", "missing", "evacuation", "shortages", "aid")


class Row(NamedTuple):
    """One class of one dataset: the heads it is positive for, and the heads it says nothing about."""

    dataset: str
    field: str
    value: str
    positive: tuple[str, ...]
    unknown: tuple[str, ...] = ()


_AFF = ("affected", "informative")
# A dataset's post is positive for the heads of its classes; negative for the other heads its field covers, except
# the `unknown` ones (a coarse class such as "Affected individuals" may or may not report casualties).
TABLE: tuple[Row, ...] = (
    Row("humaid", "labels", "injured_or_dead_people", ("casualties", *_AFF)),
    Row("humaid", "labels", "missing_or_found_people", ("missing", *_AFF)),
    Row("humaid", "labels", "displaced_people_and_evacuations", ("evacuation", *_AFF)),
    Row("humaid", "labels", "infrastructure_and_utility_damage", ("infrastructure", "informative")),
    Row("humaid", "labels", "requests_or_urgent_needs", ("shortages", *_AFF)),
    Row("humaid", "labels", "caution_and_advice", ("advice", "informative")),
    Row("humaid", "labels", "rescue_volunteering_or_donation_effort", ("aid", *_AFF)),
    Row("kawarith", "labels", "affected_individuals_and_help", _AFF, AFFECTED_GROUP),
    Row("kawarith", "labels", "caution_advice_and_crisis_updates", ("advice", "informative")),
    Row("kawarith", "labels", "infrastructure_and_utilities_damage", ("infrastructure", "informative")),
    Row("crisislex", "Information Type", "Affected individuals", _AFF, AFFECTED_GROUP),
    Row("crisislex", "Information Type", "Infrastructure and utilities", ("infrastructure",)),
    Row("crisislex", "Information Type", "Donations and volunteering", ("aid", "affected")),
    Row("crisislex", "Information Type", "Caution and advice", ("advice",)),
    Row("crisislex", "Information Type", "Sympathy and support", ("sympathy",)),
    Row("crisislex", "Information Type", "Other Useful Information", ()),
    Row("crisislex", "Information Type", "Not applicable", ()),
    Row("crisislex", "Informativeness", "Related and informative", ("informative",)),
    Row("crisislex", "Informativeness", "Related - but not informative", ()),
    Row("crisislex", "Informativeness", "Not related", ()),
    Row("crisislex", "Informativeness", "Not applicable", ()),
    Row("crisislex", "Information Source", "Eyewitness", ("eyewitness",)),
    *(
        Row("crisislex", "Information Source", v, ())
        for v in ("Government", "NGOs", "Business", "Media", "Outsiders", "Not applicable")
    ),
)

# The heads each dataset field speaks for (its posts are negatives for these heads unless positive or unknown).
COVERS: dict[tuple[str, str], tuple[str, ...]] = {
    ("humaid", "labels"): (*LABEL_HEADS[:-1], "affected"),  # every HumAID post is informative; none is sympathy
    ("kawarith", "labels"): ("infrastructure", "advice", *AFFECTED_GROUP, "affected"),
    ("crisislex", "Information Type"): (*LABEL_HEADS, "affected"),
    ("crisislex", "Informativeness"): ("informative",),
    ("crisislex", "Information Source"): ("eyewitness",),
}
# HumAID and Kawarith hold informative posts only, so they are positives of `informative` without negatives; HumAID
# has no sympathy class, but its posts were chosen as informative, so they are sympathy negatives.
EXTRA_NEGATIVE: dict[str, tuple[str, ...]] = {"humaid": ("sympathy",), "kawarith": ("sympathy",)}


def targets(dataset: str, values: dict[str, list[str]]) -> dict[str, int]:
    """Each head's target for one post (1 or 0); heads the post says nothing about are absent."""
    out: dict[str, int] = {}
    rows = {(r.dataset, r.field, r.value): r for r in TABLE}
    for (ds, field), covered in COVERS.items():
        if ds != dataset or field not in values or not values[field]:
            continue
        pos: set[str] = set()
        unknown: set[str] = set()
        for v in values[field]:
            row = rows.get((ds, field, v))
            if row is None:
                raise KeyError(f"{dataset} {field}: class {v!r} not in the mapping table")
            pos.update(row.positive)
            unknown.update(row.unknown)
        for h in covered:
            if h in pos:
                out[h] = 1
            elif h not in unknown:
                out[h] = 0
        for h in pos:  # a class may say more than its field covers (HumAID's informative)
            out[h] = 1
    for h in EXTRA_NEGATIVE.get(dataset, ()):
        out.setdefault(h, 0)
    return out
