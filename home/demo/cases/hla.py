"""Hla: a composite, fictional story of forced marriage, for demonstration only.

Where she was held is shown only as a province of China: a town there could point to the
family, and through them to her.
"""

from datetime import date

from sixdegree_cases.blocks import Stage
from sixdegree_cases.funding import FundingCategory
from sixdegree_cases.geo.gazetteer import PRECISION_REGION, PRECISION_TOWN
from sixdegree_cases.models import AgeGroup
from sixdegree_cases.privacy.models import TermKind
from sixdegree_cases.pronouns import Pronouns

from .base import cost, milestone

SHAN_STATE = (22.93, 97.75)
RUILI = (24.01, 97.85)
HENAN = (34.0, 113.7)

CASE = {
    "slug": "hla",
    "title": "Hla",
    "pseudonym": "Hla",
    "pronouns": Pronouns.SHE,
    "age_group": AgeGroup.AGE_25_34,
    "origin": "Shan State, Myanmar",
    "summary": (
        "A composite, fictional story for demonstration. Promised factory work in China, Hla "
        "was sold into a forced marriage and held for four years. Back home in Myanmar, she "
        "wants to open a small grocery shop."
    ),
    "dream": "To open a small shop selling groceries and snacks near her mother’s home.",
    "currency": "USD",
    "funding_target": "2000.00",
    "funding_items": [
        cost(FundingCategory.SHELTER, "Rent for a safe room for six months", "480.00"),
        cost(FundingCategory.MEDICAL_CARE, "Medical check-ups and treatment", "350.00"),
        cost(FundingCategory.LEGAL_AID, "Help to replace her identity documents", "300.00"),
        cost(FundingCategory.PSYCHOLOGICAL_SUPPORT, "Counselling sessions", "320.00"),
        cost(FundingCategory.TOOLS_AND_EQUIPMENT, "Shelves, scales and first stock for her shop", "550.00"),
    ],
    "case_officer_reference": "Determined by case officer ref. CO-2018-009",
    # Consent comes before the launch: no consent, no publication.
    "consent": {"given_on": date(2018, 10, 1), "language": "Burmese"},
    # Obvious placeholders, not invented names: a plausible "real name" stored against a real
    # survivor's case could later be taken for hers. Recorded as private sensitive terms.
    "sensitive_terms": [
        ("Surname Placeholder Hla", TermKind.NAME),
        ("Village Placeholder Hla", TermKind.VILLAGE),
        ("Agency Placeholder Hla", TermKind.VESSEL_OR_AGENCY),
    ],
    "launch_date": date(2018, 11, 5),
    "story": [
        milestone(
            Stage.RECRUITMENT,
            "A promise of factory work",
            "2014",
            point=SHAN_STATE,
            precision=PRECISION_REGION,
            narrative=(
                "Hla was 22 when a woman she knew from the market told her about well-paid factory "
                "work across the border in China. She hoped to send money home to her mother."
            ),
        ),
        milestone(
            Stage.JOURNEY,
            "Across the border",
            "2014",
            point=RUILI,
            precision=PRECISION_TOWN,
            # GeoNames names the snapped town by its former name (Mengmao), and a label may only
            # use the gazetteer's names: the region reads better than a name readers do not know.
            place_label="Yunnan, China",
            narrative=(
                "She crossed into China with the woman and was handed over to a man she had never "
                "met. She was driven for days, further and further from home."
            ),
            illustration="road",
            alt_text="A drawing of a road leading across fields towards the horizon.",
        ),
        milestone(
            Stage.EXPLOITATION,
            "Sold as a bride",
            "four years",
            point=HENAN,
            precision=PRECISION_REGION,
            narrative=(
                "There was no factory. Hla was sold to a family as a wife for their son. For four "
                "years she was kept at the house and on the farm, could not speak the language, and "
                "was watched whenever she went out."
            ),
        ),
        milestone(
            Stage.ESCAPE,
            "A call for help",
            "2018",
            point=HENAN,
            precision=PRECISION_REGION,
            narrative=(
                "In 2018 she borrowed a phone and called a number another woman from Myanmar had "
                "given her. Help came, and she was taken somewhere safe."
            ),
        ),
        milestone(
            Stage.RECOVERY,
            "The road home",
            "2018",
            point=SHAN_STATE,
            precision=PRECISION_REGION,
            narrative=(
                "With help from the authorities of both countries, Hla came home to Shan State. "
                "She is staying with her mother, receiving medical care and counselling, and "
                "replacing the identity documents she lost."
            ),
            illustration="sunrise",
            alt_text="A drawing of the sun rising over green hills.",
        ),
        milestone(
            Stage.DREAM,
            "A shop of her own",
            "Now",
            point=SHAN_STATE,
            precision=PRECISION_REGION,
            narrative=(
                "Hla wants to open a small shop selling groceries and snacks near her mother’s "
                "home. An income of her own will help her rebuild her life on her own terms."
            ),
        ),
    ],
}
