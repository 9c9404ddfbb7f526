"""Sensitive terms: the case's private list of real names, villages, employers, vessels."""

from django.utils.translation import gettext_lazy as _

from ..matching import TermMatcher, find_term
from ..text import mask
from .base import PrivacyCheck

__all__ = ["SensitiveTermsCheck", "find_term"]


class SensitiveTermsCheck(PrivacyCheck):
    """Any public text holding one of the case's sensitive terms (or a variant of it) blocks.

    Matching goes through `privacy.normalise` and `privacy.matching`: look-alike letters,
    invisible characters, leetspeak, separators inside words, word order, one typo in a long
    name, traditional or simplified Chinese and transliterations all still match.
    """

    id = "sensitive_terms"
    label = _("Sensitive terms")
    while_writing = True

    def check(self, context):
        matcher = TermMatcher((term, term.term, term.variant_list) for term in context.sensitive_terms)
        findings = []
        limit = context.max_findings_per_text
        for text in context.texts:
            for term, matched in matcher.find(text.text)[:limit]:
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
