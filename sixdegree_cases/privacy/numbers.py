"""Numbers as people write them: digits spelled out in words, and amounts of money.

A phone number written "zero eight one two …", "kosong lapan satu …", "ศูนย์แปดหนึ่ง…",
"không chín một …" or "一三八…" is still a phone number: `spell_out_digits` turns such runs into
digits before the detectors read the text. Amounts ("Rp 1.500.000", "฿9,000", "USD 1.26",
"150.000 đồng") are told apart from identifiers by the currency written next to them.
"""

import re

from .normalise import Normalised

# Digits as words, by the languages of the region (after normalisation: lower case, Latin
# diacritics dropped, so "không" is "khong" and "bốn" is "bon").
DIGIT_WORDS = {
    # English
    "zero": "0",
    "oh": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    # Indonesian and Malay
    "nol": "0",
    "kosong": "0",
    "satu": "1",
    "dua": "2",
    "tiga": "3",
    "empat": "4",
    "lima": "5",
    "enam": "6",
    "tujuh": "7",
    "delapan": "8",
    "lapan": "8",
    "sembilan": "9",
    # Vietnamese
    "khong": "0",
    "linh": "0",
    "mot": "1",
    "hai": "2",
    "ba": "3",
    "bon": "4",
    "tu": "4",
    "nam": "5",
    "lam": "5",
    "sau": "6",
    "bay": "7",
    "tam": "8",
    "chin": "9",
}
# Scripts without spaces: matched anywhere in a run. Thai "โท" is the "two" read out in phone
# numbers; Chinese "幺" the "one".
UNSPACED_DIGIT_WORDS = {
    "ศูนย์": "0",
    "หนึ่ง": "1",
    "สอง": "2",
    "โท": "2",
    "สาม": "3",
    "สี่": "4",
    "ห้า": "5",
    "หก": "6",
    "เจ็ด": "7",
    "แปด": "8",
    "เก้า": "9",
    "零": "0",
    "〇": "0",
    "一": "1",
    "幺": "1",
    "二": "2",
    "两": "2",
    "三": "3",
    "四": "4",
    "五": "5",
    "六": "6",
    "七": "7",
    "八": "8",
    "九": "9",
}
REPEAT_WORDS = {"double": 2, "dobel": 2, "triple": 3}
# A run needs this many spelled-out digits to be read as a number ("ba năm sau" is not one).
MIN_SPELLED_DIGITS = 5
# "0812 three four five six 7890": fewer words, but a phone's worth of digits with them.
MIN_MIXED_SPELLED = 3
MIN_MIXED_DIGITS = 9

_latin = "|".join(sorted(DIGIT_WORDS, key=len, reverse=True))
_unspaced = "|".join(sorted(UNSPACED_DIGIT_WORDS, key=len, reverse=True))
TOKEN = rf"(?:(?:(?:{'|'.join(REPEAT_WORDS)})\s+)?(?:\b(?:{_latin})\b|{_unspaced})|\d+)"
SPELLED_RUN = re.compile(rf"{TOKEN}(?:[\s,.\-–/]*{TOKEN})+", re.IGNORECASE)
TOKEN_RE = re.compile(TOKEN, re.IGNORECASE)

CURRENCY_WORDS = (
    "rp|idr|usd|us\\$|sgd|s\\$|thb|baht|vnd|dong|khr|riel|riels|mmk|kyat|kyats|ks|lak|kip|myr|rm|ringgit|"
    "php|peso|pesos|cny|rmb|yuan|inr|rs|rupee|rupees|rupiah|bdt|taka|eur|euro|euros|gbp|dollars?|"
    "บาท|ដុល្លារ|រៀល|ကျပ်|元|块|đồng"
)
CURRENCY_BEFORE = re.compile(rf"(?:[$€£¥฿₫₱₭៛₹]|\b(?:{CURRENCY_WORDS}))\.?\s*$", re.IGNORECASE)
CURRENCY_AFTER = re.compile(
    rf"^\s*(?:[$€£¥฿₫₱₭៛₹]|(?:juta|triệu|trieu|million|ribu|nghin|ngan|k)?\s*(?:{CURRENCY_WORDS})(?!\w))",
    re.IGNORECASE,
)


def spell_out_digits(normalised):
    """`normalised` with runs of digits spelled out as words turned into digits (positions kept)."""
    text = normalised.text
    chars, positions = [], []
    last = 0
    for run in SPELLED_RUN.finditer(text):
        tokens = list(TOKEN_RE.finditer(run.group(0)))
        spelled = sum(1 for token in tokens if not token.group(0).isdigit())
        written = sum(len(token.group(0)) for token in tokens if token.group(0).isdigit())
        if spelled < MIN_SPELLED_DIGITS and not (
            spelled >= MIN_MIXED_SPELLED and spelled + written >= MIN_MIXED_DIGITS
        ):
            continue
        for index in range(last, run.start()):
            chars.append(text[index])
            positions.append(normalised.positions[index])
        for token in tokens:
            start = run.start() + token.start()
            for digit in _digits(token.group(0)):
                chars.append(digit)
                positions.append(normalised.positions[start])
        last = run.end()
    if last == 0:
        return normalised
    for index in range(last, len(text)):
        chars.append(text[index])
        positions.append(normalised.positions[index])
    return Normalised("".join(chars), tuple(positions), normalised.original)


# Characters written one by one with single spaces: "m a y a @ g m a i l", "0 8 1 2 3 4".
SPACED_OUT = re.compile(r"(?<!\S)\S(?: \S){3,}(?!\S)")


def join_spaced_out(normalised):
    """`normalised` with runs of four or more single characters joined ("m a y a" -> "maya")."""
    text = normalised.text
    keep = [True] * len(text)
    for run in SPACED_OUT.finditer(text):
        for index in range(run.start() + 1, run.end(), 2):
            keep[index] = False
    if all(keep):
        return normalised
    return Normalised(
        "".join(char for char, kept in zip(text, keep, strict=True) if kept),
        tuple(position for position, kept in zip(normalised.positions, keep, strict=True) if kept),
        normalised.original,
    )


def _digits(token):
    if token.isdigit():
        return token
    parts = token.lower().split()
    repeat = REPEAT_WORDS.get(parts[0], 1) if len(parts) > 1 else 1
    word = parts[-1]
    return (DIGIT_WORDS.get(word) or UNSPACED_DIGIT_WORDS.get(word, "")) * repeat


def is_amount(text, start, end):
    """Whether `text[start:end]` (a number) is an amount: a currency is written right next to it."""
    return bool(
        CURRENCY_BEFORE.search(text[max(0, start - 8) : start]) or CURRENCY_AFTER.match(text[end : end + 14])
    )
