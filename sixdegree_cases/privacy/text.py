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

# Letters, marks and digits of any script: Python's \\w leaves out the vowel signs of Thai,
# Khmer and Burmese, which would split a word and show its length wrongly.
WORD_RUN = re.compile(
    r"(?:[^\W_]|[\u0300-\u036f\u0e31-\u0e4e\u0eb1-\u0ecd\u102b-\u103e\u1056-\u1099\u17b4-\u17d3\u0900-\u0dff])+"
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


HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)


def html_to_text(value):
    """Plain text of rich-text HTML: inline tags vanish, block tags separate words.

    A link's address is public too (a `tel:` or `mailto:` link shows a phone number or an
    e-mail address to anyone who looks): it is kept, in brackets, after the opening tag.
    """

    def replace(match):
        if match.group(2).lower() == "a" and not match.group(1):
            href = HREF.search(match.group(0))
            if href:
                return f" ({html.unescape(next(part for part in href.groups() if part is not None))}) "
        return "" if match.group(2).lower() in INLINE_TAGS else " "

    text = html.unescape(TAG_PATTERN.sub(replace, value or ""))
    return re.sub(r"\s+", " ", text).strip()


def _graphemes(word):
    """How many characters a reader sees in `word` (ICU grapheme clusters: "សុខា" is two)."""
    import icu  # PyICU, as in privacy.normalise

    iterator = icu.BreakIterator.createCharacterInstance(icu.Locale.getRoot())
    iterator.setText(word)
    return sum(1 for _end in iterator)


def _script_label(text):
    from .normalise import script_name

    scripts = []
    for char in text:
        if unicodedata.category(char)[0] in "LM":
            name = script_name(char)
            if name not in ("Common", "Inherited", "Unknown") and name not in scripts:
                scripts.append(name)
    return ", ".join(scripts)


def mask_word(word):
    """A word as its script and length only: "Contoh" -> "••••••", "សុខា" -> "••"."""
    return MASK * _graphemes(word)


def mask(text):
    """Show which script and how long, never the readable text: "Desa Contoh" -> "[Latin] •••• ••••••".

    Every script is masked alike (Khmer, Burmese, Thai and Chinese names too); punctuation
    between words stays, so "a.b@mail.org" reads "[Latin] •.•@••••.•••". Long digit runs keep
    their last three digits, as numbers are told apart by their ends. Invisible format
    characters (zero-width spaces, soft hyphens) are left out.
    """
    text = "".join(char for char in (text or "") if unicodedata.category(char) != "Cf")

    def replace(match):
        word = match.group(0)
        if all(unicodedata.category(char) == "Nd" for char in word):
            if len(word) >= 6:
                return MASK * (len(word) - 3) + word[-3:]
            return MASK * len(word)
        return mask_word(word)

    masked = WORD_RUN.sub(replace, text)
    label = _script_label(text)
    return f"[{label}] {masked}" if label else masked


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
