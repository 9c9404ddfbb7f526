"""Detectors of contact details and identifiers in normalised text.

Each detector takes a `Normalised` text of the CONTACTS profile (digits of every script as ASCII,
invisible characters gone, full-width forms folded) and yields `Hit`s; `checks.contacts` maps
them back to what was written and masks them. Phone numbers lean on Google's libphonenumber
(the `phonenumbers` package) for every country's numbering plan.
"""

import re
from dataclasses import dataclass

import phonenumbers

from .numbers import is_amount

# Countries whose numbers are looked for in every case, whatever its own countries: the region
# (ASEAN, China, South Asia) and where its migrant workers are sent.
REGION_PHONE_COUNTRIES = (
    "ID",
    "TH",
    "VN",
    "KH",
    "LA",
    "MM",
    "MY",
    "PH",
    "SG",
    "BN",
    "TL",
    "CN",
    "HK",
    "MO",
    "TW",
    "IN",
    "BD",
    "PK",
    "LK",
    "NP",
    "KR",
    "JP",
    "SA",
    "AE",
)
MIN_PHONE_DIGITS = 8


class Kind:
    """What a hit is; the check's message depends on it."""

    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    MESSAGING = "messaging"
    HANDLE = "handle"
    IDENTIFIER = "identifier"
    DATE = "date"


@dataclass(frozen=True)
class Hit:
    """Something found at `[start, end)` of the normalised text."""

    kind: str
    start: int
    end: int


# E-mail: "@", "(at)", "[at]", "{at}", " at ", Indonesian " di ", Thai "แอท", Vietnamese
# "a còng"; "." "(dot)", " dot ", Indonesian "titik", Vietnamese "chấm", Thai "ดอท".
_AT_SYMBOL = r"\s*(?:@|[\(\[\{<]\s*(?:at|@|a|di|et)\s*[\)\]\}>])\s*"
_AT_WORD = r"\s+(?:at|di|a\s?cong|แอท|แอ็ท)\s+|\s*(?:แอท|แอ็ท)\s*"
_DOT_SYMBOL = r"\s*(?:\.|[\(\[\{<]\s*(?:dot|titik|\.|cham|period)\s*[\)\]\}>])\s*"
_DOT_WORD = r"\s+(?:dot|titik|cham|period)\s+|\s*(?:ดอท|จุด)\s*"
_TLDS = r"(?:com|net|org|co|id|th|vn|kh|la|mm|my|ph|sg|cn|edu|gov|info|biz|me|io|ac|or|go|in|uk|us|au)"
_PROVIDERS = (
    r"(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|icloud|proton(?:mail)?|qq|163|126|zoho|aol)"
)
# Only from the start of a run of such characters: started anywhere inside a long run (a word
# of 50,000 letters), each start would read to the run's end and back, for a time growing with
# the square of its length. The match is the same: the leftmost start wins either way.
_LOCAL = r"(?<![\w.+-])[\w.+-]*\w"
EMAIL = re.compile(
    rf"{_LOCAL}(?:{_AT_SYMBOL})[\w-]+(?:(?:{_DOT_SYMBOL}|{_DOT_WORD})[\w-]+)*(?:{_DOT_SYMBOL}|{_DOT_WORD})[a-z]{{2,}}\b"
    rf"|{_LOCAL}(?:{_AT_WORD})[\w-]+(?:(?:{_DOT_SYMBOL}|{_DOT_WORD})[\w-]+)*(?:{_DOT_SYMBOL}|{_DOT_WORD}){_TLDS}\b"
    rf"|{_LOCAL}(?:{_AT_SYMBOL}|{_AT_WORD}){_PROVIDERS}\b",
    re.IGNORECASE,
)

# A domain's label has at most 63 characters and the name at most 253 (RFC 1035): bounded so,
# a start inside "a-a-a-…" or "aa.aa.aa.…" reads a few hundred characters, not to the end of the
# text (a time growing with the square of its length).
COMMON_TLDS = "com|org|net|info|biz|io|me|app|page|site|online|xyz|ly|gl|link|asia"
URL = re.compile(
    r"\b(?:https?://|www\.)\S+"
    r"|\b[a-z0-9-]{2,63}(?:\.[a-z0-9-]{2,63}){0,126}\.(?:" + COMMON_TLDS + r")\b(?:/\S*)?(?![\w.])",
    re.IGNORECASE,
)
# A bare domain under a two-letter country code ("maya.co.id"): lower case only, so a sentence
# missing its space after a full stop ("Surabaya.It was") is not taken for one.
COUNTRY_DOMAIN = re.compile(r"\b[a-z0-9-]{2,63}(?:\.[a-z0-9-]{2,63}){0,126}\.[a-z]{2}\b(?:/\S*)?(?![\w.])")
# Short links of the messaging apps, with or without a scheme: t.me/…, wa.me/…, line.me/…
MESSAGING_LINK = re.compile(
    r"(?:\b(?:https?://)?(?:www\.)?(?:t\.me|telegram\.(?:me|dog)|wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|"
    r"line\.me|lin\.ee|zalo\.me|m\.me|fb\.me|fb\.com|facebook\.com|instagram\.com|instagr\.am|tiktok\.com|"
    r"vt\.tiktok\.com|weixin\.qq\.com|u\.wechat\.com|invite\.viber\.com|viber\.com)\s*/\s*\S+"
    r"|\b(?:viber|weixin|tg|whatsapp|line|zalo)://\S+)",
    re.IGNORECASE,
)
_APPS = (
    r"(?:whats\s?app|wa|w/a|line|ไลน์|telegram|tele|tg|zalo|we\s?chat|weixin|微信|viber|facebook|fb|face\s?book|"
    r"instagram|insta|ig|tik\s?tok|抖音|messenger|signal|kakao(?:talk)?|skype|imo)"
)
_ACCOUNT_WORDS = r"(?:id|user(?:name)?|handle|account|akun|acc|name|no|number|nomor|#|号|ไอดี)"
# An account: a word that holds a digit, an underscore, a dot or an "@" (so "Facebook: a man
# offered her work" is left alone); after "ID" or "username" any word counts.
_ACCOUNT = r"live:[\w.:-]+\w|@?[\w.+-]*[\d_.@][\w.+-]*\w|@\s?[\w.]+\w"
MESSAGING_ID = re.compile(
    rf"(?<!\w){_APPS}\s*(?:{_ACCOUNT_WORDS}\s*(?:[:：=\-]|is|la|adalah)?\s*[@\w][\w.+-]*"
    rf"|(?:[:：=\-]|\s(?:as|named|called|is|adalah|la))?\s*(?:{_ACCOUNT}))",
    re.IGNORECASE,
)
HANDLE = re.compile(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?", re.IGNORECASE)
# A handle written without "@": a word joined by underscores ("maya_sari88", "wxid_8k2m").
HANDLE_LIKE = re.compile(r"(?<![\w.@/])[a-z][a-z0-9]*_[a-z0-9_.]*[a-z0-9](?![\w@])", re.IGNORECASE)

# Passport and ID numbers: one or two capitals then 6-9 digits (A1234567, EC1234567,
# P1234567A), however spaced; Myanmar's NRC (12/MaYaKa(N)123456, in either script).
PASSPORT = re.compile(r"(?<![\w-])[A-Z]{1,2}[\s-]?\d(?:[\s-]?\d){5,8}(?:-?[A-Z])?(?![\w])")
# Lower-case passport numbers count right after the word "passport" in the region's languages.
PASSPORT_AFTER_WORD = re.compile(
    r"(?:passport|paspor|pasaporte|ho\s?chieu|หนังสือเดินทาง|พาสปอร์ต|护照|護照|လက်မှတ်|លិខិតឆ្លងដែន)"
    r"[^\w]{0,4}(?:(?:no|nomor|number|so|เลขที่)\.?[^\w]{0,3})?([a-z]{1,2}\s?\d(?:[\s-]?\d){5,8}[a-z]?)(?!\w)",
    re.IGNORECASE,
)
# Case references of courts and agencies: 1234/Pid.Sus/2019/PN Jkt.Utr, อ.1234/2562.
CASE_REFERENCE = re.compile(r"(?<![\w/])\d{1,6}/[A-Za-z][\w.]{1,15}(?:/[\w.]{1,15})*/(?:19|20|25)\d\d\b")
MYANMAR_NRC = re.compile(r"\b\d{1,2}\s*/\s*[^\s()/]{2,12}\s*\(\s*[^\s()]{1,8}\s*\)\s*\d{5,6}\b")
# Digits in groups broken by spaces, dots, dashes or slashes (3201 0123 4567 0001,
# 1-2345-67890-12-3, 32.01.01.234567.0001), or one long run.
DIGIT_GROUPS = re.compile(
    r"(?<![\w.,])\d+(?:(?:\s|[.\-/]\s?)\d+)+(?![\w]|[.,]\d)|(?<![\w.,])\d{9,}[\dXx]?(?![\w]|[.,]\d)"
)
MIN_ID_DIGITS = 9
YEAR = re.compile(r"^(?:19|20|25)\d\d$")
THOUSANDS = re.compile(r"^[1-9]\d{0,2}(?:[.,\s]\d{3})+$")


def _spans(pattern, kind, text):
    for match in pattern.finditer(text):
        yield Hit(kind, match.start(), match.end())


def emails(text):
    """E-mail addresses, also written with words ("maya at gmail dot com") or brackets."""
    yield from _spans(EMAIL, Kind.EMAIL, text)


def web_addresses(text):
    """Links of messaging apps, then any web address."""
    yield from _spans(MESSAGING_LINK, Kind.MESSAGING, text)
    yield from _spans(URL, Kind.URL, text)
    yield from _spans(COUNTRY_DOMAIN, Kind.URL, text)


def messaging(text):
    """Accounts of WhatsApp, LINE, Telegram, Zalo, WeChat, Viber, Facebook, Instagram, TikTok, …"""
    yield from _spans(MESSAGING_ID, Kind.MESSAGING, text)
    yield from _spans(HANDLE, Kind.HANDLE, text)
    yield from _spans(HANDLE_LIKE, Kind.HANDLE, text)


def phones(text, regions=(), max_tries=65535):
    """Phone numbers of the region's countries, of `regions`, and in international format.

    `max_tries` bounds the candidates libphonenumber parses per region (its own default: 65,535);
    the editor's live check lowers it, the review keeps it.
    """
    if sum(char.isdigit() for char in text) < MIN_PHONE_DIGITS:
        return
    seen = set()
    for region in [None, *REGION_PHONE_COUNTRIES, *regions]:
        matcher = phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.VALID, max_tries=max_tries
        )
        for match in matcher:
            span = (match.start, match.end)
            if span in seen:
                continue
            seen.add(span)
            raw = match.raw_string
            if sum(char.isdigit() for char in raw) < MIN_PHONE_DIGITS or is_amount(text, *span):
                continue
            if not raw.lstrip().startswith("+") and THOUSANDS.match(raw.strip()):
                continue  # "1.500.000": an amount whose currency is further away
            yield Hit(Kind.PHONE, *span)


def identifiers(text):
    """Passport numbers, national IDs and long digit runs that are not amounts, years or ranges."""
    yield from _spans(PASSPORT, Kind.IDENTIFIER, text)
    yield from _spans(MYANMAR_NRC, Kind.IDENTIFIER, text)
    yield from _spans(CASE_REFERENCE, Kind.IDENTIFIER, text)
    for match in PASSPORT_AFTER_WORD.finditer(text):
        yield Hit(Kind.IDENTIFIER, match.start(1), match.end(1))
    for match in DIGIT_GROUPS.finditer(text):
        found = match.group()
        groups = re.split(r"[\s.\-/]+", found)
        if sum(len(group) for group in groups) < MIN_ID_DIGITS:
            continue
        if all(YEAR.match(group) for group in groups):
            continue  # "2009 2010 2011", "2015-2019"
        if is_amount(text, match.start(), match.end()) or THOUSANDS.match(found):
            continue
        yield Hit(Kind.IDENTIFIER, match.start(), match.end())
