"""Noy: a composite, fictional story of forced factory labour, for demonstration only.

Her costs are in Thai baht, which is widely used where she lives in southern Laos; the other
demo cases use US dollars, so the site shows both.
"""

from datetime import date

from sixdegree_cases.blocks import Stage
from sixdegree_cases.funding import FundingCategory
from sixdegree_cases.geo.gazetteer import PRECISION_REGION, PRECISION_TOWN
from sixdegree_cases.models import AgeGroup
from sixdegree_cases.privacy.models import TermKind
from sixdegree_cases.pronouns import Pronouns

from .base import cost, milestone

SAVANNAKHET_PROVINCE = (16.55, 104.75)
MEKONG_CROSSING = (16.54, 104.72)
SAMUT_PRAKAN = (13.6, 100.6)

CASE = {
    "slug": "noy",
    "title": "Noy",
    "pseudonym": "Noy",
    "pronouns": Pronouns.SHE,
    "age_group": AgeGroup.AGE_18_24,
    "origin": "Laos",
    "summary": (
        "A composite, fictional story for demonstration. Promised shop work in Bangkok at 17, "
        "Noy was forced to sew in a locked garment workshop for two years. Back in Laos, she "
        "wants to finish school and train as a hairdresser."
    ),
    "dream": "To finish upper secondary school, train as a hairdresser and one day open a small salon.",
    "currency": "THB",
    "funding_target": "45000.00",
    "funding_items": [
        cost(
            FundingCategory.EDUCATION,
            "School fees, uniform and books to finish upper secondary school",
            "12000.00",
        ),
        cost(FundingCategory.VOCATIONAL_TRAINING, "A hairdressing course", "15000.00"),
        cost(FundingCategory.PSYCHOLOGICAL_SUPPORT, "Monthly counselling sessions", "8000.00"),
        cost(FundingCategory.BASIC_NECESSITIES, "Clothes and basic necessities", "4000.00"),
        cost(
            FundingCategory.TOOLS_AND_EQUIPMENT,
            "A hairdressing kit: scissors, clippers and a chair",
            "6000.00",
        ),
    ],
    "case_officer_reference": "Determined by case officer ref. CO-2017-022",
    # Consent comes before the launch: no consent, no publication.
    "consent": {"given_on": date(2017, 9, 4), "language": "Lao"},
    # Obvious placeholders, not invented names: a plausible "real name" stored against a real
    # survivor's case could later be taken for hers. Recorded as private sensitive terms.
    "sensitive_terms": [
        ("Surname Placeholder Noy", TermKind.NAME),
        ("Village Placeholder Noy", TermKind.VILLAGE),
        ("Workshop Placeholder Noy", TermKind.EMPLOYER),
    ],
    "launch_date": date(2017, 10, 9),
    "story": [
        milestone(
            Stage.RECRUITMENT,
            "A job in the city",
            "2015",
            point=SAVANNAKHET_PROVINCE,
            precision=PRECISION_REGION,
            # The gazetteer's label spells out the country's official name; this reads better.
            place_label="Savannakhet Province, Laos",
            narrative=(
                "When Noy was 17, a woman visiting her province offered her work in a shop in "
                "Bangkok, with good pay and a place to stay. Her family agreed, hoping she could "
                "help pay for her younger brothers’ schooling."
            ),
        ),
        milestone(
            Stage.JOURNEY,
            "Across the river",
            "2015",
            point=MEKONG_CROSSING,
            precision=PRECISION_TOWN,
            place_label="Savannakhet, Laos",
            narrative=(
                "She crossed the Mekong into Thailand with a group of other young people. On the "
                "way, the recruiter took her identity papers, saying she would keep them safe."
            ),
            illustration="road",
            alt_text="A drawing of a road leading across fields towards the horizon.",
        ),
        milestone(
            Stage.EXPLOITATION,
            "Two years at a sewing table",
            "two years",
            point=SAMUT_PRAKAN,
            precision=PRECISION_TOWN,
            narrative=(
                "There was no shop. Noy was made to sew clothes in a garment workshop near Bangkok "
                "for up to fourteen hours a day, and was told she owed a debt that grew every "
                "month. The doors were locked at night and she could not call home."
            ),
        ),
        milestone(
            Stage.ESCAPE,
            "A labour inspection",
            "2017",
            point=SAMUT_PRAKAN,
            precision=PRECISION_TOWN,
            narrative=(
                "In 2017 labour inspectors and police visited the workshop. Noy and other young "
                "workers were identified as survivors of trafficking and taken somewhere safe."
            ),
        ),
        milestone(
            Stage.RECOVERY,
            "Home, and back to school",
            "2017",
            point=SAVANNAKHET_PROVINCE,
            precision=PRECISION_REGION,
            place_label="Savannakhet Province, Laos",
            narrative=(
                "Noy has returned to her family in Laos. She talks with a counsellor every month "
                "and has started to catch up on the schooling she missed."
            ),
            illustration="sunrise",
            alt_text="A drawing of the sun rising over green hills.",
        ),
        milestone(
            Stage.DREAM,
            "A salon of her own",
            "Now",
            point=SAVANNAKHET_PROVINCE,
            precision=PRECISION_REGION,
            place_label="Savannakhet Province, Laos",
            narrative=(
                "Noy wants to finish upper secondary school and train as a hairdresser. One day "
                "she hopes to open a small salon where she can work close to her family."
            ),
        ),
    ],
}
