"""Place labels: a milestone's label names its snapped place, that place's region or country.

A free-text label is where an exact location slips back in ("Kampong Prasat village, 200 m
past the pagoda"), so a label is read as a list of names: each must be a name the gazetteer
gives the snapped place, its region or its country (the country in any language CLDR knows).
"""

import re
from functools import lru_cache

from ..privacy.text import folded, is_unspaced
from .snapping import current_gazetteer

# Words that say what kind of place a name is, or where in it, not which place:
# "Savannakhet Province", "At sea, Gulf of Thailand", "Rural East Java". With no name beside
# them they say nothing finer than the names do.
GENERIC_WORDS = frozenset(
    folded(word)
    for word in (
        "at",
        "in",
        "on",
        "near",
        "sea",
        "gulf",
        "bay",
        "ocean",
        "coast",
        "border",
        "rural",
        "north",
        "south",
        "east",
        "west",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "province",
        "region",
        "state",
        "country",
        "city",
        "town",
        "of",
        "the",
        "and",
        "provinsi",
        "tinh",
        "thanh pho",
        "changwat",
        "khaet",
        "kwaeng",
    )
)
PARENTHESES = re.compile(r"^(?P<outer>[^()]*)\((?P<inner>[^()]*)\)\s*$")


def _variants(name):
    """`name` folded, and for "Myanmar (Burma)" each part as well."""
    variants = {folded(name)}
    match = PARENTHESES.match(name or "")
    if match:
        variants |= {folded(match["outer"]), folded(match["inner"])}
    return {variant for variant in variants if variant}


@lru_cache(maxsize=512)
def country_names(country_code):
    """Every name of a country: the gazetteer's, and CLDR's in each of its locales (folded)."""
    names = _variants(current_gazetteer().country_name(country_code))
    try:
        from babel import Locale, UnknownLocaleError, localedata
    except ImportError:
        # Without CLDR only the gazetteer's name is known: more labels block, none slips through.
        return frozenset(names)
    for identifier in localedata.locale_identifiers():
        try:
            name = Locale.parse(identifier).territories.get(country_code)
        except (ValueError, LookupError, UnknownLocaleError):
            continue
        if name:
            names |= _variants(name)
    return frozenset(names)


def allowed_names(place):
    """The folded names a label of `place` may use: its own, its region's, its country's."""
    names = set(country_names(place.country_code))
    for name in place.names:
        names |= _variants(name)
    names |= _variants(place.label)
    return names


def names_place(label, place):
    """True when `label` is made only of names of `place` (and words such as "province")."""
    rest = f" {folded(label)} "
    for name in sorted(allowed_names(place), key=len, reverse=True):
        rest = rest.replace(f" {name} ", " ")
        # Names in scripts written without spaces are removed wherever they stand.
        if is_unspaced(name):
            rest = rest.replace(name, " ")
    return all(word in GENERIC_WORDS for word in rest.split())


@lru_cache(maxsize=4)
def _automatic_labels(gazetteer):
    labels = {
        folded(f"{town['city']}, {gazetteer.country_name(town['country_code'])}") for town in gazetteer._towns
    }
    labels |= {folded(place.label) for place in gazetteer._centres.values()}
    regions, countries = gazetteer._members
    labels |= {folded(f"{state}, {gazetteer.country_name(code)}") for code, state in regions}
    labels |= {folded(gazetteer.country_name(code)) for code in countries}
    return frozenset(labels)


def is_automatic_label(label):
    """True when `label` is one the site fills in itself for some place of the gazetteer."""
    return folded(label) in _automatic_labels(current_gazetteer())


def needs_automatic_label(label, place):
    """True when a milestone at `place` labelled `label` gets the place's own name instead:
    the label is empty, or one the site filled in for another place (it moved)."""
    label = (label or "").strip()
    return not label or (is_automatic_label(label) and not names_place(label, place))
