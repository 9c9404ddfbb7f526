"""What happened next in the demo: one update each for two fictional cases, their status, and
the gifts that funded them.

Vuthy's and Noy's stories are composites written for the demonstration, so their updates
are too, and so are their gifts: a case past "fundraising" that read "0 raised, 0 donors"
would say nobody paid for what its updates tell. Xiao Fang's case is left exactly as IOM
published it: nothing is invented about her (no status, no gifts).
"""

from datetime import date

from sixdegree_cases.blocks import Stage
from sixdegree_cases.geo.gazetteer import PRECISION_REGION
from sixdegree_cases.updates.lifecycle import CaseStatus

from .cases.base import milestone
from .cases.vuthy import PREY_VENG

UPDATES = {
    "vuthy": {
        "slug": "repair-stand",
        "title": "His own repair stand",
        "period_part": "late",
        "period_year": 2017,
        "narrative": (
            "<p>A composite, fictional update for demonstration. Vuthy finished the motorbike "
            "repair course, and with the tools his supporters paid for he now mends motorbikes at "
            "a small stand near his family's home. His hand has healed well enough to work.</p>"
        ),
        "milestone": milestone(
            Stage.DREAM,
            "His own repair stand",
            "2017",
            point=PREY_VENG,
            precision=PRECISION_REGION,
            narrative="Vuthy's repair stand, near his family.",
        ),
    },
    "noy": {
        "slug": "back-at-school",
        "title": "Back at school",
        "period_part": "early",
        "period_year": 2018,
        "narrative": (
            "<p>A composite, fictional update for demonstration. Noy went back to school this "
            "term and meets her counsellor every month. The hairdressing course starts after her "
            "exams.</p>"
        ),
        "milestone": None,
    },
}

# Each case's lifecycle: the steps it reached, in order, with the day each was reached (only the
# month is shown), after its launch and around its update.
STATUSES = {
    "vuthy": [
        (CaseStatus.FUNDED, date(2016, 8, 2)),
        (CaseStatus.IN_PROGRESS, date(2016, 10, 3)),
        (CaseStatus.COMPLETED, date(2017, 11, 20)),
    ],
    "noy": [
        (CaseStatus.FUNDED, date(2017, 12, 4)),
        (CaseStatus.IN_PROGRESS, date(2018, 1, 15)),
    ],
}

# The fictional gifts that funded each case: one anonymous gift per funding item (so they add up
# to the target), spread from the launch to the day the case was funded (`STATUSES`).
GIFTS = ("vuthy", "noy")
