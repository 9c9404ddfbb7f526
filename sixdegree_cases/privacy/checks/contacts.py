"""Contact details and identifiers: phone numbers, e-mail addresses, URLs, handles, ID numbers, dates."""

import csv
import re
from functools import lru_cache

import phonenumbers
from django.utils.translation import gettext_lazy as _

from ...conf import get_setting
from ...geo.gazetteer import DATA_DIR, get_gazetteer
from ...geo.points import InvalidLocation, parse_point
from ..dates import EXACT_DATE_PATTERNS
from ..text import fold, mask, mask_digits, mask_word
from .base import PrivacyCheck

EMAIL = re.compile(
    r"[\w.+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*(?:\.|\(dot\)|\[dot\])\s*[\w-]+)*"
    r"\s*(?:\.|\(dot\)|\[dot\])\s*[a-z]{2,}\b",
    re.IGNORECASE,
)
COMMON_TLDS = "com|org|net|info|biz|io|me|app|page|site|online|xyz|ly|gl|link|asia"
URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]{2,}(?:\.[a-z0-9-]{2,})*\.(?:" + COMMON_TLDS + r")\b(?:/\S*)?(?![\w.])",
    re.IGNORECASE,
)
# A bare domain under a two-letter country code ("maya.co.id"): lower case only, so a sentence
# missing its space after a full stop ("Surabaya.It was") is not taken for one.
COUNTRY_DOMAIN = re.compile(r"\b[a-z0-9-]{2,}(?:\.[a-z0-9-]{2,})*\.[a-z]{2}\b(?:/\S*)?(?![\w.])")
HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?", re.IGNORECASE)
# "Line ID: maya88", "fb: maya.sari": an app's name then an account (a word that holds a digit,
# a dot, an underscore or an @, so "Facebook: a man offered her work" is left alone).
MESSAGING_ID = re.compile(
    r"\b(?:(?:line|we\s?chat|kakao(?:talk)?|skype)\s*id\s*[:：=]\s*\S+"
    r"|(?:whats\s?app|wa|we\s?chat|telegram|viber|facebook|fb|instagram|ig|tiktok|zalo|signal|line|"
    r"kakao(?:talk)?|skype|messenger)\s*[:：=]\s*[\w.@+-]*[\d_.@][\w.@+-]*)",
    re.IGNORECASE,
)
# Passport and ID numbers: letters then 6-9 digits (A1234567, AA1234567), long digit runs, and
# hyphenated groups (3201-0123-4567-0001, 1-2345-67890-12-3).
PASSPORT = re.compile(r"\b[a-z]{1,2}\d{6,9}[a-z]?\b", re.IGNORECASE)
DIGIT_RUN = re.compile(r"(?<![\d.,])\d{9,}(?![\d]|[.,]\d)")
HYPHENATED_ID = re.compile(r"\b\d{1,6}(?:-\d{1,6}){2,}\b")
MIN_ID_DIGITS = 9
YEAR = re.compile(r"^(?:19|20)\d\d$")
CURRENCY_NEAR = re.compile(
    r"(?:[$€£¥฿₫₱₭៛]|\b(?:rp|usd|idr|thb|khr|mmk|vnd|php|lak|myr|eur|gbp|ks|baht|riel|kyat))\s*$", re.I
)
CURRENCY_AFTER = re.compile(
    r"^\s*(?:rp|usd|idr|thb|khr|mmk|vnd|php|lak|myr|eur|gbp|ks|baht|riel|kyat)\b", re.I
)


@lru_cache(maxsize=1)
def country_codes_by_name():
    """ISO country codes keyed by folded country name, from the offline gazetteer's list."""
    with open(DATA_DIR / "countries.csv", encoding="utf-8") as handle:
        return {fold(row[1])[0]: row[0] for row in csv.reader(handle) if len(row) == 2 and row[0]}


def case_regions(context):
    """The regions whose phone formats are tried: the countries of the story's places and origin."""
    regions = []
    gazetteer = get_gazetteer(get_setting("SIXDEGREE_MIN_PLACE_POPULATION"))
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


def _is_amount(text, start, end):
    return bool(
        CURRENCY_NEAR.search(text[max(0, start - 6) : start]) or CURRENCY_AFTER.match(text[end : end + 6])
    )


class ContactDetailsCheck(PrivacyCheck):
    """Phone numbers, e-mail addresses, URLs, social handles, ID-like numbers and exact dates block."""

    id = "contact_details"
    label = _("Contact details and identifiers")

    def check(self, context):
        regions = case_regions(context)
        findings = []
        for text in context.texts:
            taken = []
            for start, end, masked, message in self.detect(text.text, regions):
                if any(start < other_end and other_start < end for other_start, other_end, *_rest in taken):
                    continue
                taken.append((start, end, masked, message))
            # Reported in reading order, each piece of text once (the most specific detector wins).
            for _start, _end, masked, message in sorted(taken, key=lambda found: found[0]):
                findings.append(self.finding(text.where, text.field, masked, message))
        return findings

    def detect(self, text, regions):
        """Yield `(start, end, masked, message)` for each identifier in `text`, most specific first."""
        for match in EMAIL.finditer(text):
            yield match.start(), match.end(), mask(match.group()), _("An e-mail address. Remove it.")
        yield from self.phones(text, regions)
        for pattern in (URL, COUNTRY_DOMAIN):
            for match in pattern.finditer(text):
                yield match.start(), match.end(), mask(match.group()), _("A web address. Remove it.")
        for match in MESSAGING_ID.finditer(text):
            yield match.start(), match.end(), mask(match.group()), _("A messaging account. Remove it.")
        for match in HANDLE.finditer(text):
            handle = "@" + mask_word(match.group()[1:])
            yield match.start(), match.end(), handle, _("A social media handle. Remove it.")
        for match in exact_dates(text):
            yield (
                match.start(),
                match.end(),
                mask(match.group()),
                _("An exact date (day, month and year). Use an approximate period."),
            )
        yield from self.identifiers(text)

    def phones(self, text, regions):
        seen = set()
        # None tries international ("+") formats, then each of the case's countries in turn.
        for region in [None, *regions]:
            for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID):
                if (match.start, match.end) in seen:
                    continue
                seen.add((match.start, match.end))
                raw = match.raw_string
                keep = len(str(match.number.country_code)) + 1 if raw.lstrip().startswith("+") else 1
                yield (
                    match.start,
                    match.end,
                    mask_digits(raw, keep_start=keep),
                    _("A phone number. Remove it."),
                )

    def identifiers(self, text):
        message = _("A passport or ID-like number. Remove it.")
        for match in PASSPORT.finditer(text):
            yield match.start(), match.end(), mask(match.group()), message
        for match in DIGIT_RUN.finditer(text):
            if not _is_amount(text, match.start(), match.end()):
                yield match.start(), match.end(), mask(match.group()), message
        for match in HYPHENATED_ID.finditer(text):
            groups = match.group().split("-")
            if sum(len(group) for group in groups) < MIN_ID_DIGITS or all(YEAR.match(g) for g in groups):
                continue
            yield match.start(), match.end(), mask_digits(match.group(), keep_end=2), message


def exact_dates(text):
    """Matches of every exact-date pattern of `privacy.dates` in `text`."""
    for pattern in EXACT_DATE_PATTERNS:
        yield from pattern.finditer(text)
