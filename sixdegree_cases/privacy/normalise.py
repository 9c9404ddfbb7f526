"""The one normalisation pipeline every text check reads through.

A careless or hostile edit hides a name or a number from a literal match: a zero-width space or
a soft hyphen inside it, Cyrillic or mathematical look-alike letters, full-width forms, leetspeak
("M4ya"), HTML entities, inline tags or percent-encoding, traditional instead of simplified
Chinese, Thai or Khmer digits. `normalise()` undoes all of that and keeps, for every character
it produces, the index of the character of the original text it came from, so a finding can
show (masked) what was actually written.

Two profiles share the stages:

- `TERMS` reads names: NFKD compatibility forms, format characters dropped, Latin-style
  diacritics dropped (never the vowel signs of Thai, Lao, Khmer, Burmese or other Brahmic
  scripts, which tell words apart), case folded, leetspeak folded, the UTS #39 confusable
  skeleton (ICU's spoof checker, through PyICU), traditional Chinese as simplified (ICU's
  "Traditional-Simplified" transform).
- `CONTACTS` reads numbers and addresses: the same compatibility forms, format characters and
  diacritics, and digits of every script as ASCII digits; letters keep their case (a passport
  number's letters are capitals) and are not skeletonised, so that "gmail" stays "gmail".

Words are found by each script's own segmentation (PyThaiNLP's dictionary for Thai, ICU's word
`BreakIterator` and its dictionaries for Lao, Khmer, Burmese and Chinese, which are written
without spaces), then split again at any punctuation inside them, so "M.a.y.a" is four words
that `privacy.matching` joins back together.
"""

import html
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

import icu  # PyICU: UTS #39 skeletons, word segmentation, Traditional-Simplified, scripts

# Inline tags join the text around them ("Con<i>toh</i>" is one word); block tags separate.
INLINE_TAGS = {
    "a",
    "abbr",
    "b",
    "bdi",
    "bdo",
    "code",
    "del",
    "em",
    "font",
    "i",
    "ins",
    "mark",
    "q",
    "s",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "sup",
    "u",
    "wbr",
}
BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "hr",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "table",
    "tr",
    "td",
    "th",
    "img",
    "section",
    "article",
    "header",
    "footer",
    "figure",
    "figcaption",
    "pre",
    "dl",
    "dt",
    "dd",
    "embed",
}
# Only real HTML tags: "dewi<at>gmail<dot>com" is an address written with brackets, not markup.
MARKUP = re.compile(
    r"<\s*(/?)\s*(" + "|".join(sorted(INLINE_TAGS | BLOCK_TAGS, key=len, reverse=True)) + r")\b[^>]*>"
    r"|&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,31});?"
    r"|(?:%[0-9a-fA-F]{2})+",
    re.IGNORECASE,
)

# Leetspeak between letters ("M4ya", "D3wi", "S@ri"): the letter each stands for. Applied only
# next to a letter, so "2015" and "4 years" stay numbers.
LEET = {
    "0": "o",
    "1": "i",
    "3": "e",
    "4": "a",
    "5": "s",
    "7": "t",
    "8": "b",
    "9": "g",
    "@": "a",
    "$": "s",
    "|": "i",
    "!": "i",
}
# After the skeleton, "l", "1", "I" and "|" all read as "l" while a leet "1" reads "i": one class.
LOOSE = {"l": "i"}
# Marks of these scripts are letters' vowels and tones, not decoration: dropping them made Thai
# and Khmer names match common words.
INHERITED_SCRIPTS = {"Inherited", "Common", "Unknown"}
KEEP_COMPOSED_SCRIPTS = {
    "Thai",
    "Lao",
    "Khmer",
    "Myanmar",
    "Tai_Tham",
    "Devanagari",
    "Bengali",
    "Sinhala",
    "Tamil",
    "Telugu",
    "Kannada",
    "Malayalam",
    "Gujarati",
    "Gurmukhi",
    "Oriya",
    "Tibetan",
}


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, the index in the original it came from."""

    text: str
    positions: tuple
    original: str

    def source(self, start, end, whole_words=False):
        """The original text behind `self.text[start:end]` (end exclusive), as it was written.

        `whole_words` runs on to the end of the word the last character came from: a digit
        spelled out as "nine" stands at the word's first letter.
        """
        if start >= end:
            return ""
        last = self.positions[end - 1] + 1
        if whole_words and unicodedata.category(self.original[last - 1])[0] in "LM":
            while last < len(self.original) and is_word_char(self.original[last]):
                last += 1
        return self.original[self.positions[start] : last]


class Profile:
    """Which stages `normalise()` runs."""

    TERMS = "terms"
    CONTACTS = "contacts"


def script_name(char):
    """ICU's name of the script of `char` ("Latin", "Thai", "Khmer", "Myanmar", "Han", …)."""
    return icu.Script.getScript(char).getName()


@lru_cache(maxsize=4096)
def _is_inherited_mark(char):
    return unicodedata.category(char).startswith("M") and script_name(char) in INHERITED_SCRIPTS


@lru_cache(maxsize=1)
def _spoof_checker():
    return icu.SpoofChecker()


@lru_cache(maxsize=8192)
def skeleton(char):
    """The UTS #39 confusable skeleton of one character (ICU), case folded, decorations dropped."""
    prototype = _spoof_checker().getSkeleton(0, char)
    return "".join(
        LOOSE.get(part, part)
        for piece in unicodedata.normalize("NFKD", prototype).casefold()
        for part in piece
        if not _is_inherited_mark(part) and unicodedata.category(part) != "Cf"
    )


_local = threading.local()


def _transliterator(name):
    # ICU transliterators and break iterators are not thread-safe: one per thread.
    cache = getattr(_local, "transliterators", None)
    if cache is None:
        cache = _local.transliterators = {}
    if name not in cache:
        cache[name] = icu.Transliterator.createInstance(name)
    return cache[name]


@lru_cache(maxsize=8192)
def simplified(char):
    """A Han character in its simplified form (ICU's Traditional-Simplified transform)."""
    if script_name(char) != "Han":
        return char
    return _transliterator("Traditional-Simplified").transliterate(char)


def skeleton_text(text):
    """The confusable skeleton of `text`, case folded: what two spellings of a name share.

    Look-alikes are judged in their own case first (a Cyrillic "М" is a Latin "M", its lower
    case is not an "m"), then once more after case folding. Words are segmented *before* this:
    the skeleton swaps letters of Thai and other scripts for look-alikes that a dictionary does
    not know.
    """
    return "".join(out for char in text for folded in skeleton(char) for out in skeleton(folded))


def ascii_digit(char):
    """The ASCII digit of a decimal digit of any script (Thai ๓, Khmer ៣, Burmese ၃, …), else None."""
    value = unicodedata.decimal(char, None)
    return None if value is None else str(value)


def _unmarkup(text):
    """`(char, index)` pairs of `text` with HTML entities decoded and tags removed or spaced."""
    pairs = []
    last = 0
    for match in MARKUP.finditer(text):
        pairs.extend((char, index) for index, char in enumerate(text[last : match.start()], start=last))
        if match.group(2):
            if match.group(2).lower() not in INLINE_TAGS:
                pairs.append((" ", match.start()))
        elif match.group(0).startswith("%"):
            # Percent-encoded text pasted from a link ("Dewi%20Lestari").
            pairs.extend((char, match.start()) for char in unquote(match.group(0)))
        else:
            pairs.extend((char, match.start()) for char in html.unescape(match.group(0)))
        last = match.end()
    pairs.extend((char, index) for index, char in enumerate(text[last:], start=last))
    return pairs


def _is_letter(char):
    return bool(char) and unicodedata.category(char)[0] in "LM"


def _fold_leet(pairs):
    """Leetspeak characters that sit next to a letter read as that letter."""
    out = []
    for index, (char, position) in enumerate(pairs):
        if char in LEET:
            before = pairs[index - 1][0] if index else ""
            after = pairs[index + 1][0] if index + 1 < len(pairs) else ""
            if _is_letter(before) or _is_letter(after):
                char = LEET[char]
        out.append((char, position))
    return out


# Letters typed for digits inside a number ("O812-3456-789O", "08l2"): the digit each stands for.
DIGIT_LOOK_ALIKES = {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"}


def _fold_letters_in_numbers(pairs):
    """A look-alike letter between two digits (or a digit and a separator in a number) reads as a digit."""
    out = list(pairs)
    for index, (char, position) in enumerate(pairs):
        if char not in DIGIT_LOOK_ALIKES:
            continue
        before = pairs[index - 1][0] if index else ""
        after = pairs[index + 1][0] if index + 1 < len(pairs) else ""
        if (before.isdigit() and (after.isdigit() or after in " -.")) or (
            after.isdigit() and before in " -.+("
        ):
            out[index] = (DIGIT_LOOK_ALIKES[char], position)
    return out


def normalise(text, profile=Profile.TERMS):
    """Run the pipeline on `text` and return a `Normalised` (see the module's docstring)."""
    text = text or ""
    pairs = []
    for char, position in _unmarkup(unicodedata.normalize("NFC", text)):
        # Compatibility forms (full-width, mathematical, ligatures) decompose; the letters of
        # scripts with vowel signs stay as they are, or Thai "ำ" would split in two and ICU's
        # dictionary would cut words differently than in the term.
        decomposed = (
            char if script_name(char) in KEEP_COMPOSED_SCRIPTS else unicodedata.normalize("NFKD", char)
        )
        for part in decomposed:
            category = unicodedata.category(part)
            if category == "Cf" or part == "\u034f":
                continue  # zero-width spaces and joiners, soft hyphen, bidi controls, CGJ
            if _is_inherited_mark(part):
                continue  # diacritics of Latin-style letters (Vietnamese tones included)
            if category == "Nd":
                part = ascii_digit(part) or part
            pairs.append((part, position))
    if profile == Profile.CONTACTS:
        pairs = _fold_letters_in_numbers(pairs)
    if profile == Profile.TERMS:
        # Case is kept: look-alikes are judged in their own case (see `skeleton_text`).
        pairs = [(simplified(char), position) for char, position in _fold_leet(pairs)]
    return Normalised(
        text="".join(char for char, _position in pairs),
        positions=tuple(position for _char, position in pairs),
        original=text,
    )


def is_word_char(char):
    """Letters, marks and digits: what words are made of (Thai vowel signs included)."""
    return unicodedata.category(char)[0] in "LMN"


def _break_iterator():
    iterator = getattr(_local, "words", None)
    if iterator is None:
        # The root locale segments every script with ICU's dictionaries (Thai, Lao, Khmer,
        # Burmese, Chinese and Japanese).
        iterator = _local.words = icu.BreakIterator.createWordInstance(icu.Locale.getRoot())
    return iterator


@dataclass(frozen=True)
class Word:
    """A word of normalised text: its characters and its span `[start, end)` in that text."""

    text: str
    start: int
    end: int


def words(text):
    """The words of (normalised) `text`, split by each script's segmentation and by punctuation.

    Thai goes through PyThaiNLP's "newmm" tokenizer and its bundled dictionary (ICU's cuts
    compounds such as "เหมาะสม" in two, so a short name matched half of a common word); every
    other script through ICU's word `BreakIterator`.
    """
    found = []
    last = 0
    for run in THAI_RUN.finditer(text or ""):
        found.extend(_icu_words(text, last, run.start()))
        found.extend(_thai_words(text, run.start(), run.end()))
        last = run.end()
    found.extend(_icu_words(text or "", last, len(text or "")))
    return found


THAI_RUN = re.compile(r"[\u0e01-\u0e4e]+")


def _thai_words(text, start, end):
    from pythainlp.tokenize import word_tokenize  # bundled dictionary, nothing downloaded

    offset = start
    for token in word_tokenize(text[start:end], engine="newmm", keep_whitespace=True):
        yield from _split_at_punctuation(text, offset, offset + len(token))
        offset += len(token)


def _icu_words(text, start, end):
    if start >= end:
        return
    piece = text[start:end]
    iterator = _break_iterator()
    iterator.setText(piece)
    # ICU counts in UTF-16 code units; map them back to Python's code points.
    offsets = _utf16_offsets(piece)
    segment_start = iterator.first()
    for segment_end in iterator:
        yield from _split_at_punctuation(text, start + offsets[segment_start], start + offsets[segment_end])
        segment_start = segment_end


def _split_at_punctuation(text, start, end):
    run_start = None
    for index in range(start, end + 1):
        inside = index < end and is_word_char(text[index])
        if inside and run_start is None:
            run_start = index
        elif not inside and run_start is not None:
            yield Word(text[run_start:index], run_start, index)
            run_start = None


def _utf16_offsets(text):
    """Code point index of each UTF-16 offset of `text` (characters outside the BMP take two)."""
    offsets = {}
    unit = 0
    for index, char in enumerate(text):
        offsets[unit] = index
        unit += 2 if ord(char) > 0xFFFF else 1
    offsets[unit] = len(text)
    return offsets
