"""Contact details and identifiers: phone numbers, e-mail addresses, URLs, handles, ID numbers, dates."""

import csv
import re
from functools import lru_cache
from itertools import chain

import phonenumbers
from django.utils.translation import gettext_lazy as _

from ...geo.gazetteer import DATA_DIR
from ...geo.points import InvalidLocation, parse_point
from ...geo.snapping import current_gazetteer
from ..dates import exact_date_spans
from ..identifiers import Hit, Kind, emails, identifiers, messaging, phones, web_addresses
from ..normalise import Profile, normalise
from ..numbers import join_spaced_out, spell_out_digits
from ..text import fold, mask, mask_digits
from .base import PrivacyCheck

MESSAGES = {
    Kind.EMAIL: _("An e-mail address. Remove it."),
    Kind.PHONE: _("A phone number. Remove it."),
    Kind.URL: _("A web address. Remove it."),
    Kind.MESSAGING: _("A messaging account. Remove it."),
    Kind.HANDLE: _("A social media handle. Remove it."),
    Kind.DATE: _("An exact date (day, month and year). Use an approximate period."),
    Kind.IDENTIFIER: _("A passport or ID-like number. Remove it."),
}


@lru_cache(maxsize=1)
def country_codes_by_name():
    """ISO country codes keyed by folded country name, from the offline gazetteer's list."""
    with open(DATA_DIR / "countries.csv", encoding="utf-8") as handle:
        return {fold(row[1])[0]: row[0] for row in csv.reader(handle) if len(row) == 2 and row[0]}


def case_regions(context):
    """The regions whose phone formats are tried: the countries of the story's places and origin."""
    regions = []
    # The gazetteer the places were snapped with (and the locations check reads): with another
    # SIXDEGREE_PLACE_CLEARANCE_KM, a second one was loaded, whose region points are not theirs.
    gazetteer = current_gazetteer()
    for _number, _where, _field, value in context.milestones:
        try:
            point = parse_point(value.get("location"))
        except InvalidLocation:
            continue
        place = gazetteer.find(point.lat, point.lng)
        if place and place.country_code not in regions:
            regions.append(place.country_code)
    origin = fold(getattr(context.page, "origin", "") or "")[0]
    for name, code in country_codes_by_name().items():
        if name and re.search(rf"(?<!\S){re.escape(name)}(?!\S)", origin) and code not in regions:
            regions.append(code)
    return [region for region in regions if phonenumbers.country_code_for_region(region)]


class ContactDetailsCheck(PrivacyCheck):
    """Phone numbers, e-mail addresses, URLs, messaging accounts and handles, ID-like numbers and
    exact dates block.

    The text is read through `privacy.normalise` (digits of every script, invisible characters
    and full-width forms) and `privacy.numbers` (digits spelled out as words) first.
    """

    id = "contact_details"
    label = _("Contact details and identifiers")
    while_writing = True

    def check(self, context):
        regions = case_regions(context)
        findings = []
        for text in context.texts:
            for hit, written in find_contacts(text.text, regions, limit=context.max_findings_per_text):
                findings.append(
                    self.finding(text.where, text.field, mask_hit(hit, written), MESSAGES[hit.kind])
                )
        return findings


# With a limit (the editor's live check), candidates libphonenumber parses per country and
# field, for each finding asked for. The review has no limit and parses them all.
PHONE_TRIES_PER_FINDING = 10


def find_contacts(text, regions=(), limit=None):
    """`(Hit, written)` for each identifier in `text`, in reading order, each piece of text once.

    Where detectors overlap, the most specific wins (an e-mail address before the phone-like
    digits in it, a messaging link before the web address). With `limit`, the detectors stop
    once that many are found (the most specific kinds first); each of those is still one a
    full search would report. libphonenumber then also parses at most
    `PHONE_TRIES_PER_FINDING * limit` candidates per country: a field of 50,000 digits and
    slashes ("1/1/1/…") took 18 s to read for all 25 countries, findings or not.
    """
    normalised = join_spaced_out(spell_out_digits(normalise(text, Profile.CONTACTS)))
    value = normalised.text
    detectors = [
        emails(value),
        web_addresses(value),
        messaging(value),
        _dates(normalised),
        phones(value, regions, **({} if limit is None else {"max_tries": PHONE_TRIES_PER_FINDING * limit})),
        identifiers(value),
    ]
    taken = []
    for hit in chain.from_iterable(detectors):
        if any(hit.start < other.end and other.start < hit.end for other in taken):
            continue
        taken.append(hit)
        if limit is not None and len(taken) >= limit:
            break
    return [
        (hit, normalised.source(hit.start, hit.end, whole_words=True))
        for hit in sorted(taken, key=lambda hit: hit.start)
    ]


def _dates(normalised):
    # A generator, like the other detectors: with a limit, dates are not even looked for once
    # enough was found before them.
    for start, end in exact_date_spans(normalised):
        yield Hit(Kind.DATE, start, end)


def mask_hit(hit, written):
    """Numbers keep their country code and last digits; everything else shows script and length."""
    if hit.kind in (Kind.PHONE, Kind.IDENTIFIER) and not any(char.isalpha() for char in written):
        stripped = written.lstrip()
        keep = 0
        if stripped.startswith("+"):
            code = re.match(r"\+\s*(\d{1,3})", stripped)
            keep = len(code.group(1)) + 1 if code else 1
        return mask_digits(written, keep_start=keep)
    return mask(written)
