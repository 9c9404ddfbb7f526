"""Find a case's sensitive terms in text, through every evasion the pipeline undoes and a few more.

A term matches when the words of the text, read through `normalise`, spell it:

- whole words only ("Ana" is not in "Ananda"), where "words" are ICU's segmentation for the
  scripts written without spaces, so a Thai or Khmer term never matches inside a longer word;
- with separators inside a word ignored ("M.a.y.a", "Ma-ya", "M a y a", "DesaContoh");
- with one edit (a letter left out, added or changed) in names of six letters or more, measured
  with RapidFuzz's Levenshtein distance;
- with the words of a multi-word name in any order ("Lan Nguyen Thi");
- through a transliteration of a non-Latin term (AnyAscii: "李小芳" also matches "Li Xiaofang")
  and through the variants a case officer listed.
"""

import itertools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii  # transliteration of every script to ASCII
from rapidfuzz.distance import Levenshtein

from .normalise import Word, is_word_char, normalise, script_name, skeleton_text, words

# One edit is tolerated in a name of at least this many letters (as the officer wrote it).
FUZZY_MIN_LETTERS = 6
# Words of a name beyond this many are matched in the written order only (4! orders already).
MAX_PERMUTED_WORDS = 4
# Pieces this short are taken for letter spacing ("M a y a") when they are joined across spaces.
SPACED_LETTERS = 2
UNSPACED_SCRIPTS = {"Thai", "Lao", "Khmer", "Myanmar", "Han", "Hiragana", "Katakana"}
# AnyAscii writes Chinese names as "LiXiaoFang": one word per capital.
CAMEL_CASE = re.compile(r"(?<=[a-z])(?=[A-Z])")


@dataclass(frozen=True)
class Key:
    """One spelling of a term, normalised and without separators, and whether it tolerates an edit."""

    text: str
    fuzzy: bool
    #: Where the written words of the term end inside `text` ("dewi|lestari"): a plain space in
    #: the text may only fall there, unless the pieces are spaced-out letters.
    boundaries: tuple = ()


def _letters(text):
    return sum(unicodedata.category(char)[0] in "LN" for char in text)


def _is_unspaced(word):
    return bool(word) and script_name(word[0]) in UNSPACED_SCRIPTS


def _split_written_words(form):
    """The words of a term as written: at spaces and punctuation, and at capitals of "LiXiaoFang"."""
    spaced = "".join(char if is_word_char(char) else " " for char in form)
    return [word for part in spaced.split() for word in CAMEL_CASE.split(part) if word]


def _is_latin_only(form):
    return all(script_name(char) in ("Latin", "Common", "Inherited") for char in form)


def forms_of(term, variants=()):
    """Every written form the check looks for: the term, its variants, and their transliterations."""
    forms = []
    for form in [term, *variants]:
        form = " ".join((form or "").split())
        if not form:
            continue
        forms.append(form)
        if not _is_latin_only(form):
            forms.append(anyascii(form))
    return list(dict.fromkeys(forms))


@lru_cache(maxsize=2048)
def _keys_of_form(form):
    written = _split_written_words(form)
    parts = ["".join(skeleton_text(word.text) for word in words(normalise(word).text)) for word in written]
    parts = [part for part in parts if part]
    if not parts:
        return ()
    fuzzy = _letters(form) >= FUZZY_MIN_LETTERS
    if 1 < len(parts) <= MAX_PERMUTED_WORDS:
        orders = itertools.permutations(parts)
    else:
        orders = [tuple(parts)]
    return tuple(
        Key("".join(order), fuzzy, tuple(itertools.accumulate(len(part) for part in order[:-1])))
        for order in dict.fromkeys(orders)
    )


def keys_of(term, variants=()):
    """The `Key`s of a term and its variants."""
    keys = []
    for form in forms_of(term, variants):
        keys.extend(_keys_of_form(form))
    return list(dict.fromkeys(keys))


def _between(normalised_text, left, right):
    """What separates two neighbouring words: "" (unspaced scripts), " ", or punctuation."""
    between = normalised_text[left.end : right.start]
    if between and between.strip(" ") == "":
        return " "
    return "" if not between else "punctuation"


class TermMatcher:
    """Finds any of a set of terms in texts; build it once per case, call `find()` per text."""

    def __init__(self, terms):
        """`terms` is an iterable of `(label, term, variants)`; `find()` reports the label."""
        self.exact = {}
        self.fuzzy = []
        # Texts that end on a word boundary of some key: a plain space may follow them.
        self.word_prefixes = set()
        self.fuzzy_prefixes = []
        for label, term, variants in terms:
            for key in keys_of(term, variants):
                self.exact.setdefault(key.text, label)
                prefixes = [key.text[:boundary] for boundary in key.boundaries]
                self.word_prefixes.update(prefixes)
                if key.fuzzy:
                    self.fuzzy.append((key.text, label))
                    self.fuzzy_prefixes.extend(prefixes)
        self.longest = max((len(key) for key in self.exact), default=0)

    def find(self, text):
        """`(label, written)` for each match in `text`; `written` is the text as it was written."""
        if not self.exact:
            return []
        normalised = normalise(text)
        found = [Word(skeleton_text(word.text), word.start, word.end) for word in words(normalised.text)]
        spans = {}
        for first in range(len(found)):
            joined = ""
            for last in range(first, len(found)):
                if last > first and not self._may_join(normalised.text, found, first, last, joined):
                    break
                joined += found[last].text
                if len(joined) > self.longest + 1:
                    break
                label = self._label(joined)
                if label is not None:
                    spans.setdefault((found[first].start, found[last].end), label)
        return [(label, normalised.source(start, end)) for (start, end), label in _outermost(spans).items()]

    def _may_join(self, text, found, first, last, joined):
        """Whether word `last` may continue the piece `found[first:last]` (spelling `joined`)."""
        between = _between(text, found[last - 1], found[last])
        if between != " ":
            return True  # "Ma-ya", "M.a.y.a", or words of an unspaced script
        if _is_unspaced(found[last - 1].text) and _is_unspaced(found[last].text):
            return True  # a space in Burmese or Khmer separates phrases, not the parts of a name
        if all(len(word.text) <= SPACED_LETTERS for word in found[first : last + 1]):
            return True  # "M a y a"
        if joined in self.word_prefixes:
            return True  # "Dewi Lestari": the space falls between two words of the term
        return any(
            abs(len(prefix) - len(joined)) <= 1 and Levenshtein.distance(prefix, joined, score_cutoff=1) <= 1
            for prefix in self.fuzzy_prefixes
        )

    def _label(self, joined):
        label = self.exact.get(joined)
        if label is not None:
            return label
        for key, label in self.fuzzy:
            if abs(len(key) - len(joined)) <= 1 and Levenshtein.distance(key, joined, score_cutoff=1) <= 1:
                return label
        return None


def _outermost(spans):
    """Drop matches inside a longer one ("Dewi" inside "Dewi Lestari"), keep the rest in order."""
    kept = {}
    for (start, end), label in sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1])):
        if any(start >= other_start and end <= other_end for other_start, other_end in kept):
            continue
        kept[(start, end)] = label
    return kept


def find_term(term, text, variants=()):
    """Every piece of `text`, as written there, that matches `term` (or one of its variants)."""
    return [written for _label, written in TermMatcher([(term, term, variants)]).find(text)]
