"""Xiao Fang's case, as IOM X published it on 6Degree.org under her pseudonym.

Only what IOM X made public is used: her pseudonym, her home province, the city where she was
exploited, approximate years and her plan. Her home area is shown as a region (West
Kalimantan) so her village can never be inferred; Surabaya is a city of millions.
"""

from datetime import date

from sixdegree_cases.blocks import Stage
from sixdegree_cases.funding import FundingCategory
from sixdegree_cases.geo.gazetteer import PRECISION_REGION, PRECISION_TOWN
from sixdegree_cases.models import AgeGroup
from sixdegree_cases.privacy.models import TermKind
from sixdegree_cases.pronouns import Pronouns

from .base import cost, milestone

# Realistic input points; MilestoneBlock snaps them to the province centre and to Surabaya.
WEST_KALIMANTAN = (-0.03, 109.33)
SURABAYA = (-7.25, 112.75)

CASE = {
    "slug": "xiao-fang",
    "title": "Xiao Fang",
    "pseudonym": "Xiao Fang",
    "pronouns": Pronouns.SHE,
    "age_group": AgeGroup.AGE_18_24,
    "origin": "West Kalimantan, Indonesia",
    "summary": (
        "At 16, Xiao Fang was promised restaurant work in Java. Instead she spent six years in "
        "unpaid domestic work in Surabaya. Now home in West Kalimantan, she wants to care for "
        "her father and earn a living by sewing."
    ),
    "dream": (
        "To settle at home and care for her father, take a sewing course and have her own sewing machine."
    ),
    "currency": "USD",
    "funding_target": "1500.00",
    "funding_items": [
        cost(FundingCategory.PSYCHOLOGICAL_SUPPORT, "Counselling sessions as she recovers", "400.00"),
        cost(
            FundingCategory.VOCATIONAL_TRAINING,
            "A sewing course, and a sewing machine of her own to work on",
            "600.00",
        ),
        cost(
            FundingCategory.TRAFFICKING_RESILIENCE,
            "Sessions on safe migration and workers’ rights",
            "200.00",
        ),
        cost(
            FundingCategory.BASIC_NECESSITIES,
            "Clothes and basic necessities while she settles at home",
            "300.00",
        ),
    ],
    "case_officer_reference": "Determined by case officer ref. CO-2015-014",
    # Consent comes before the launch: no consent, no publication.
    "consent": {"given_on": date(2016, 2, 1), "language": "Indonesian"},
    # Obvious placeholders, not invented names: a plausible "real name" stored against a real
    # survivor's case could later be taken for hers. Recorded as private sensitive terms.
    "sensitive_terms": [
        ("Surname Placeholder Xiao", TermKind.NAME),
        ("Village Placeholder Xiao", TermKind.VILLAGE),
        ("Employer Placeholder Xiao", TermKind.EMPLOYER),
    ],
    "launch_date": date(2016, 3, 1),
    "story": [
        milestone(
            Stage.RECRUITMENT,
            "A promise of work in Java",
            "2009",
            point=WEST_KALIMANTAN,
            precision=PRECISION_REGION,
            narrative=(
                "Xiao Fang was 16 when a recruiter in West Kalimantan promised her a job in a "
                "restaurant in Java. It sounded like a way to help her family, and she agreed to go."
            ),
        ),
        milestone(
            Stage.JOURNEY,
            "Far from home",
            "2009",
            point=SURABAYA,
            precision=PRECISION_TOWN,
            narrative=(
                "She was taken to Surabaya, in East Java, a long way from everyone she knew. "
                "When she arrived, there was no restaurant waiting for her."
            ),
        ),
        milestone(
            Stage.EXPLOITATION,
            "Six years without pay",
            "six years",
            point=SURABAYA,
            precision=PRECISION_TOWN,
            narrative=(
                "Instead, she was made to work as a domestic worker in a private home. She had been "
                "promised USD 1.26 a day but was never paid. For six years she lived with "
                "psychological and physical abuse."
            ),
        ),
        milestone(
            Stage.ESCAPE,
            "Reaching out for help",
            "2015",
            point=SURABAYA,
            precision=PRECISION_TOWN,
            narrative=(
                "In 2015 Xiao Fang found a way to contact an organisation that helps people in her "
                "situation. With their support she left the house, and she was safe at last."
            ),
        ),
        milestone(
            Stage.RECOVERY,
            "Home again",
            "2015",
            point=WEST_KALIMANTAN,
            precision=PRECISION_REGION,
            narrative=(
                "She has come home to West Kalimantan, where she looks after her father. "
                "Counselling is helping her recover from what she went through."
            ),
            illustration="sunrise",
            alt_text="A drawing of the sun rising over green hills.",
        ),
        milestone(
            Stage.DREAM,
            "A sewing machine of her own",
            "Now",
            point=WEST_KALIMANTAN,
            precision=PRECISION_REGION,
            narrative=(
                "Xiao Fang wants to stay at home and care for her father. She dreams of taking a "
                "sewing course and having her own sewing machine, so she can earn a living close "
                "to her family."
            ),
            illustration="sewing_machine",
            alt_text="A drawing of a sewing machine with a spool of thread.",
        ),
    ],
}
