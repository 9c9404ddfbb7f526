"""Text helpers shared by the checks: folding for matching, HTML to text, masking for reports.

A finding shows *what* was matched, masked, so that a report can be stored, shown and sent
without repeating a survivor's real name or phone number in full.
"""

import html
import re
import unicodedata

SEPARATOR = " "
MASK = "•"

# Scripts written without spaces between words: a term in them is matched anywhere in the text.
UNSPACED_SCRIPTS = (
    (0x0E00, 0x0EFF),  # Thai, Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3400, 0x9FFF),  # CJK
)

INLINE_TAGS = {"a", "b", "strong", "i", "em", "span", "u", "sub", "sup", "code", "mark", "small", "s"}
TAG_PATTERN = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)[^>]*>")


def fold(text):
    """Fold `text` for matching: no diacritics, case-folded, separators collapsed to one space.

    Returns `(folded, positions)`, where `positions[i]` is the index in `text` of the
    character that produced `folded[i]`, so a match can be mapped back to the original.
    """
    folded, positions = [], []
    pending_separator = False
    for index, char in enumerate(text or ""):
        for part in unicodedata.normalize("NFKD", char):
            if unicodedata.combining(part):
                continue
            for lower in part.casefold():
                if lower.isalnum():
                    if pending_separator and folded:
                        folded.append(SEPARATOR)
                        positions.append(index)
                    pending_separator = False
                    folded.append(lower)
                    positions.append(index)
                else:
                    pending_separator = True
    return "".join(folded), positions


def folded(text):
    """`text` folded for matching (see `fold`), without the positions."""
    return fold(text)[0]


def is_unspaced(text):
    """True when `text` uses a script written without spaces between words."""
    return any(start <= ord(char) <= end for char in text for start, end in UNSPACED_SCRIPTS)


def html_to_text(value):
    """Plain text of rich-text HTML: inline tags vanish, block tags separate words."""

    def replace(match):
        return "" if match.group(2).lower() in INLINE_TAGS else " "

    text = html.unescape(TAG_PATTERN.sub(replace, value or ""))
    return re.sub(r"\s+", " ", text).strip()


def mask_word(word):
    """Keep a word's first character and hide the rest: "Contoh" -> "C•••••"."""
    return word[:1] + MASK * (len(word) - 1)


def mask(text):
    """Mask every word of `text`, keeping its first character and the punctuation between words.

    "Desa Contoh" -> "D••• C•••••", "a.b@mail.org" -> "a.b@m•••.o••". Long digit runs keep
    their last three digits instead, as numbers are told apart by their ends.
    """

    def replace(match):
        word = match.group(0)
        if word.isdigit() and len(word) >= 6:
            return MASK * (len(word) - 3) + word[-3:]
        return mask_word(word)

    return re.sub(r"[^\W_]+", replace, text or "")


def mask_digits(text, keep_start=0, keep_end=3):
    """Hide every digit of `text` except the first `keep_start` and the last `keep_end`.

    "+62 812-3456-789" with keep_start=3 -> "+62 8••-••••-789".
    """
    total = sum(char.isdigit() for char in text)
    seen = 0
    out = []
    for char in text:
        if char.isdigit():
            seen += 1
            keep = seen <= keep_start or seen > total - keep_end
            out.append(char if keep else MASK)
        else:
            out.append(char)
    return "".join(out)
