"""Find exact dates (day, month and year) in text, in the region's languages and calendars.

Stories speak in approximate periods ("2009", "six years", "March 2015", "early 2015"); a full
date can identify a survivor through court or news records, so it is refused. Dates are read on
text normalised by `privacy.normalise` (Thai, Khmer, Burmese and full-width digits as ASCII
digits, Vietnamese without tone marks), in these forms:

- numbers: ISO `2019-03-03`, `3/3/2019`, `03.03.19`, and Buddhist-era years (`3/3/2562`);
- words: "3 March 2019", "March 3rd, 2019", "the third of March 2019", Indonesian and Malay
  "3 Maret 2019", Thai "3 มีนาคม 2562" and "๓ มี.ค. ๖๒", Vietnamese "ngày 3 tháng 3 năm 2019",
  Filipino, Khmer, Lao and Burmese month names (from ICU's CLDR data, through PyICU);
- Chinese `2019年3月3日`, in digits or Chinese numerals.
"""

import re
from functools import lru_cache

import icu  # PyICU: month names of every locale of the region (CLDR)

from .normalise import Profile, normalise
from .numbers import is_amount

# The locales whose month names are read: the region's languages and English.
MONTH_LOCALES = ("en", "id", "ms", "th", "vi", "fil", "km", "lo", "my", "zh")
# Short forms people write that CLDR does not list.
EXTRA_MONTHS = ("sept", "agt", "ags", "agust", "nop", "pebr", "mac", "julai", "ogos", "disember")
ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|thirtieth"
)
DAY = r"(?:0?[1-9]|[12]\d|3[01])"
MONTH_NUMBER = r"(?:0?[1-9]|1[0-2])"
# Common-era years, and Buddhist-era years (2500-2599 is 1957-2056).
YEAR = r"(?:1[89]\d\d|20\d\d|25\d\d)"
SHORT_YEAR = r"(?:'?\d\d)"
CHINESE_DIGIT = "[〇零一二三四五六七八九十]"


@lru_cache(maxsize=1)
def month_names():
    """Every month name and abbreviation of `MONTH_LOCALES`, normalised, longest first."""
    names = set(EXTRA_MONTHS)
    for locale in MONTH_LOCALES:
        symbols = icu.DateFormatSymbols(icu.Locale(locale))
        for name in [*symbols.getMonths(), *symbols.getShortMonths()]:
            folded = normalise(name, Profile.CONTACTS).text.strip().rstrip(".").lower()
            if folded and not folded.isdigit():
                names.add(folded)
    return sorted(names, key=len, reverse=True)


@lru_cache(maxsize=1)
def patterns():
    """The compiled exact-date patterns."""
    month = "(?:" + "|".join(re.escape(name) + r"\.?" for name in month_names()) + ")"
    day = rf"(?:(?:the\s+)?(?:{DAY}(?:st|nd|rd|th)?|{ORDINAL_WORDS}|twenty[\s-]?(?:first|second|third|"
    day += r"fourth|fifth|sixth|seventh|eighth|ninth)|thirty[\s-]?first))"
    day_prefix = r"(?:(?:tanggal|tgl\.?|ngay|วันที่|on)\s*)?"
    year_prefix = r"(?:(?:nam|tahun|year|พ\.\s?ศ\.|ค\.\s?ศ\.|พศ|คศ|b\.?e\.?)\s*)?"
    sep = r"[\s,./-]*"
    edge_before = r"(?<![\w.])"
    edge_after = r"(?!\d)"
    return [
        # 2019-03-03, 2019/3/3, 2019.03.03
        re.compile(rf"{edge_before}{YEAR}[-/.]{MONTH_NUMBER}[-/.]{DAY}{edge_after}"),
        # 3/3/2019, 03-03-19, 3.3.2562
        re.compile(rf"{edge_before}{DAY}\s?[-/.]\s?{DAY}\s?[-/.]\s?(?:{YEAR}|\d\d){edge_after}"),
        # 3.III.2019 (the month in Roman numerals)
        re.compile(
            rf"{edge_before}{DAY}\s?[-/.]\s?(?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)\s?[-/.]\s?{YEAR}{edge_after}"
        ),
        # 20190303 (checked as a real date by `_compact_dates`)
        # 3 March 2019, 3rd of March, 2019, 3 Maret 2019, 3 มีนาคม 2562, ngay 3 thang 3 nam 2019
        re.compile(
            rf"{day_prefix}{day}{sep}(?:of\s+)?{month}{sep}{year_prefix}(?:{YEAR}|{SHORT_YEAR}){edge_after}",
            re.IGNORECASE,
        ),
        # March 3, 2019 / March the 3rd 2019
        re.compile(rf"(?<!\w){month}{sep}{day}{sep}{year_prefix}{YEAR}{edge_after}", re.IGNORECASE),
        # ngay 3/3 nam 2019, 3 thang 3 2019 (Vietnamese with the month as a number)
        re.compile(
            rf"{day_prefix}{DAY}\s*(?:thang|/)\s*{MONTH_NUMBER}\s*(?:nam|,|/)?\s*{YEAR}{edge_after}",
            re.IGNORECASE,
        ),
        # Burmese: ၂၀၁၉ ခုနှစ် မတ်လ ၃ ရက် (year, month, day)
        re.compile(rf"{YEAR}\s*ခုနှစ်[\s,]*{month}\s*(?:လ)?\s*{DAY}\s*ရက်"),
        # 2019年3月3日, 二〇一九年三月三日
        re.compile(
            rf"(?:{YEAR}|{CHINESE_DIGIT}{{4}})\s*年\s*(?:\d{{1,2}}|{CHINESE_DIGIT}{{1,2}})\s*月"
            rf"\s*(?:\d{{1,2}}|{CHINESE_DIGIT}{{1,3}})\s*[日号號]"
        ),
    ]


COMPACT = re.compile(r"(?<![\w.,])((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\w]|[.,]\d)")


def exact_date_spans(normalised):
    """`(start, end)` in `normalised.text` of each exact date (a `Normalised` of the CONTACTS profile)."""
    spans = []
    for pattern in patterns():
        for match in pattern.finditer(normalised.text):
            spans.append((match.start(), match.end()))
    for match in COMPACT.finditer(normalised.text):
        # "20190303" is a date; "20150000" (an amount) is not, nor is one next to a currency.
        if not is_amount(normalised.text, match.start(), match.end()):
            spans.append((match.start(), match.end()))
    return spans


def find_exact_dates(text):
    """Return every substring of `text` (as written) that reads as a full date."""
    normalised = normalise(text, Profile.CONTACTS)
    return [normalised.source(start, end) for start, end in exact_date_spans(normalised)]
