"""Vuthy: a composite, fictional story of forced labour at sea, for demonstration only.

It follows a pattern documented across the region (brokers, debt, boat-to-boat transfers in
Thai waters, identification at a port inspection) without describing any real person.
"""

from datetime import date

from sixdegree_cases.blocks import Stage
from sixdegree_cases.funding import FundingCategory
from sixdegree_cases.geo.gazetteer import PRECISION_REGION, PRECISION_TOWN
from sixdegree_cases.models import AgeGroup
from sixdegree_cases.privacy.models import TermKind
from sixdegree_cases.pronouns import Pronouns

from .base import cost, milestone

PREY_VENG = (11.48, 105.33)
SAMUT_SAKHON = (13.55, 100.27)
GULF_OF_THAILAND = (9.0, 101.5)
SONGKHLA = (7.19, 100.59)

CASE = {
    "slug": "vuthy",
    "title": "Vuthy",
    "pseudonym": "Vuthy",
    "pronouns": Pronouns.HE,
    "age_group": AgeGroup.AGE_25_34,
    "origin": "Cambodia",
    "summary": (
        "A composite, fictional story for demonstration. Promised construction work in Thailand, "
        "Vuthy was sold onto a fishing boat and spent three years at sea without pay. Now home "
        "in Cambodia, he wants to become a motorbike mechanic."
    ),
    "dream": "To train as a motorbike mechanic and open a small repair workshop near his family.",
    "currency": "USD",
    "funding_target": "1800.00",
    "funding_items": [
        cost(FundingCategory.MEDICAL_CARE, "Treatment and physiotherapy for his injured hand", "400.00"),
        cost(FundingCategory.PSYCHOLOGICAL_SUPPORT, "Counselling sessions", "300.00"),
        cost(FundingCategory.LEGAL_AID, "Legal support to claim the wages he is owed", "250.00"),
        cost(FundingCategory.VOCATIONAL_TRAINING, "A motorbike repair course", "350.00"),
        cost(FundingCategory.TOOLS_AND_EQUIPMENT, "A set of tools to start his workshop", "500.00"),
    ],
    "case_officer_reference": "Determined by case officer ref. CO-2016-031",
    # Consent comes before the launch: no consent, no publication.
    "consent": {"given_on": date(2016, 5, 2), "language": "Khmer"},
    # Obvious placeholders, not invented names: a plausible "real name" stored against a real
    # survivor's case could later be taken for hers. Recorded as private sensitive terms.
    "sensitive_terms": [
        ("Surname Placeholder Vuthy", TermKind.NAME),
        ("Village Placeholder Vuthy", TermKind.VILLAGE),
        ("Vessel Placeholder Vuthy", TermKind.VESSEL_OR_AGENCY),
    ],
    "launch_date": date(2016, 6, 13),
    "story": [
        milestone(
            Stage.RECRUITMENT,
            "An offer of work in Thailand",
            "2012",
            point=PREY_VENG,
            precision=PRECISION_REGION,
            narrative=(
                "Vuthy was 24 and looking for work when a broker offered him a job on a building "
                "site in Thailand. The broker said the travel costs could be paid back from his "
                "wages."
            ),
        ),
        milestone(
            Stage.JOURNEY,
            "Sold to a boat",
            "2012",
            point=SAMUT_SAKHON,
            precision=PRECISION_TOWN,
            narrative=(
                "He was taken across the border to a port town, where he learned there was no "
                "building site. The broker sold his so-called debt to the captain of a fishing boat."
            ),
            illustration="road",
            alt_text="A drawing of a road leading across fields towards the horizon.",
        ),
        milestone(
            Stage.EXPLOITATION,
            "Three years at sea",
            "three years",
            point=GULF_OF_THAILAND,
            precision=PRECISION_REGION,
            place_label="At sea, Gulf of Thailand",
            narrative=(
                "For three years he hauled nets for up to twenty hours a day, moved from boat to "
                "boat so that he rarely came ashore. He was never paid, and the crew were "
                "threatened whenever they asked to go home."
            ),
            illustration="boat",
            alt_text="A drawing of a small fishing boat on the waves.",
        ),
        milestone(
            Stage.ESCAPE,
            "Found at a port inspection",
            "2015",
            point=SONGKHLA,
            precision=PRECISION_TOWN,
            narrative=(
                "When his boat came into port, an inspection team spoke with the crew in their own "
                "languages. Vuthy was identified as a survivor of trafficking and taken to safety."
            ),
        ),
        milestone(
            Stage.RECOVERY,
            "Back with his family",
            "2016",
            point=PREY_VENG,
            precision=PRECISION_REGION,
            narrative=(
                "Home in Cambodia, he is being treated for an old injury to his hand and meets a "
                "counsellor every week. A legal aid group is helping him claim the wages he "
                "was owed."
            ),
        ),
        milestone(
            Stage.DREAM,
            "A repair workshop",
            "Now",
            point=PREY_VENG,
            precision=PRECISION_REGION,
            narrative=(
                "Vuthy wants to stay close to his family. He hopes to train as a motorbike mechanic "
                "and open a small repair workshop of his own."
            ),
        ),
    ],
}
