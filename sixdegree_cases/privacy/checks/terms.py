"""Sensitive terms: the case's private list of real names, villages, employers, vessels."""

import re

from django.utils.translation import gettext_lazy as _

from ..text import SEPARATOR, fold, folded, is_unspaced, mask
from .base import PrivacyCheck


def term_pattern(term):
    """A regex matching `term` in folded text, whatever its case, accents, spacing or punctuation.

    Words must match whole ("Ana" is not found in "Ananda") and may be written apart or
    together ("Desa Contoh", "desa-contoh", "DesaContoh"). Terms in scripts written without
    spaces (Thai, Khmer, Burmese, Chinese) are found anywhere in the text.
    """
    key = folded(term)
    if not key:
        return None
    body = f"{re.escape(SEPARATOR)}?".join(re.escape(word) for word in key.split(SEPARATOR))
    if is_unspaced(key):
        return re.compile(body)
    return re.compile(rf"(?<!\S){body}(?!\S)")


def find_term(term, text):
    """Every substring of `text` (as written there) that matches `term`."""
    pattern = term_pattern(term)
    if pattern is None:
        return []
    folded_text, positions = fold(text)
    return [
        text[positions[match.start()] : positions[match.end() - 1] + 1]
        for match in pattern.finditer(folded_text)
    ]


class SensitiveTermsCheck(PrivacyCheck):
    """Any public text holding one of the case's sensitive terms blocks."""

    id = "sensitive_terms"
    label = _("Sensitive terms")

    def check(self, context):
        patterns = [(term, term_pattern(term.term)) for term in context.sensitive_terms]
        findings = []
        for text in context.texts:
            folded_text, positions = fold(text.text)
            for term, pattern in patterns:
                if pattern is None:
                    continue
                for match in pattern.finditer(folded_text):
                    matched = text.text[positions[match.start()] : positions[match.end() - 1] + 1]
                    findings.append(
                        self.finding(
                            text.where,
                            text.field,
                            mask(matched),
                            _("A sensitive term (%(kind)s) appears here. Remove or change it.")
                            % {"kind": term.get_kind_display().lower()},
                        )
                    )
        return findings
