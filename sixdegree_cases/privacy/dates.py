"""Find exact dates (day, month and year) in text.

Stories speak in approximate periods ("2009", "six years", "March 2015"); a full date can
identify a survivor through court or news records, so it is refused.
"""

import re

MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
DAY = r"(?:0?[1-9]|[12]\d|3[01])"
YEAR = r"(?:1[89]\d\d|20\d\d|\d\d)"

EXACT_DATE_PATTERNS = [
    # 2015-03-12, 2015/3/12, 2015.03.12
    re.compile(r"\b(?:1[89]|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.]" + DAY + r"\b"),
    # 12/03/2015, 3-12-15, 12.03.2015
    re.compile(r"\b" + DAY + r"[-/.]" + DAY + r"[-/.]" + YEAR + r"\b"),
    # 12 March 2015, 12th of March, 2015
    re.compile(
        r"\b" + DAY + r"(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTHS + r")\.?,?\s+" + YEAR + r"\b",
        re.IGNORECASE,
    ),
    # March 12, 2015 / March 12th 2015
    re.compile(
        r"\b(?:" + MONTHS + r")\.?\s+" + DAY + r"(?:st|nd|rd|th)?,?\s+" + YEAR + r"\b",
        re.IGNORECASE,
    ),
]


def find_exact_dates(text):
    """Return every substring of `text` that reads as a full date (day, month and year)."""
    found = []
    for pattern in EXACT_DATE_PATTERNS:
        found.extend(match.group(0) for match in pattern.finditer(text or ""))
    return found
