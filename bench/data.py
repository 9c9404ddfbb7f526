"""The benchmark's data, built in its own database: `python -m bench.data OUT.json`.

- case A, the one everybody reads: 6 milestones (2 illustrated), 4 funding items and 10,000
  confirmed donations;
- 10 and 1,000 cases under two other indexes, for the API list (made live in bulk: the
  benchmark measures reading them, not publishing 1,000 reviews);
- case D and case F with waiting donations whose provider callbacks (d) and (f) confirm;
- `bench_counter`, the table of the one-row UPDATE floor.
"""

import io
import json
import sys
from decimal import Decimal

STAGES = ["recruitment", "journey", "exploitation", "escape", "recovery", "dream"]
PLACES = [(-0.03, 109.33), (3.14, 101.69), (-7.3, 112.7), (-7.25, 112.75), (13.75, 100.5), (-6.2, 106.82)]
NARRATIVE = (
    "<p>She was promised work in a restaurant and a wage to send home. The agent kept her papers, "
    "and for years she worked from dawn to midnight without pay. A shopkeeper lent her a phone; "
    "she called a helpline and was brought to a shelter, where she learnt to sew.</p>"
)


def milestone(number, illustration=None):
    lat, lng = PLACES[number % len(PLACES)]
    value = {
        "stage": STAGES[number % len(STAGES)],
        "title": f"Step {number + 1} of her journey",
        "period": "2009",
        "precision": "town",
        "place_label": "",
        "location": {"lat": lat, "lng": lng},
        "narrative": NARRATIVE,
    }
    if illustration is not None:
        value["illustration"] = illustration
    return ("milestone", value)


def illustration(number):
    """An 800 × 500 picture (a gradient), stored the way uploads are: re-encoded."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image
    from wagtail.images import get_image_model

    picture = Image.linear_gradient("L").resize((800, 500)).convert("RGB")
    data = io.BytesIO()
    picture.save(data, format="JPEG", quality=85)
    image = get_image_model()(
        title=f"Illustration {number}", file=SimpleUploadedFile("i.jpg", data.getvalue())
    )
    image.save()
    image.contextual_alt_text, image.decorative = "A road between fields", False
    return image


def insert_donations(case, count, *, status, amount="1.00", amount_sql=None, named_every=0):
    """`count` donations to `case`, inserted by PostgreSQL in one statement.

    Confirmed ones count in the totals (`counted_amount`); the caller updates `CaseFunding`.
    `amount_sql` (an SQL expression of the row number `g`) varies the amounts.
    """
    from django.db import connection
    from django.utils import timezone

    from sixdegree_cases.donations.models import Donation

    confirmed = status == "confirmed"
    template = Donation(
        case=case,
        variant="dummy",
        status=status,
        total=Decimal(amount),
        captured_amount=Decimal(amount) if confirmed else Decimal("0"),
        counted_amount=Decimal(amount) if confirmed else Decimal("0"),
        currency=case.currency,
        confirmed_at=timezone.now() if confirmed else None,
    )
    computed = {
        "token": "gen_random_uuid()::text",
        "billing_email": "'donor' || g || '@example.org'",
    }
    if amount_sql:
        computed["total"] = amount_sql
        if confirmed:
            computed["captured_amount"] = computed["counted_amount"] = amount_sql
    if named_every:
        computed["anonymous"] = f"(mod(g, {named_every}) <> 0)"
        # Letters only (digits spelt as letters): a public name with digits is never shown.
        computed["display_name"] = (
            f"CASE WHEN mod(g, {named_every}) = 0 "
            "THEN 'Supporter ' || translate(g::text, '0123456789', 'abcdefghij') ELSE '' END"
        )
    columns, values, params = [], [], []
    for field in Donation._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(connection.ops.quote_name(field.column))
        if field.name in computed:
            values.append(computed[field.name])
        else:
            values.append(f"%s::{field.db_type(connection)}")
            params.append(field.get_db_prep_save(field.pre_save(template, add=True), connection))
    table = connection.ops.quote_name(Donation._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM generate_series(1, %s) AS g"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, count])


def count_confirmed(case, count, amount):
    """Add `count` confirmed gifts of `amount` to the case's totals."""
    from sixdegree_cases.donations.models import CaseFunding

    funding, _created = CaseFunding.objects.get_or_create(case=case)
    funding.raised += Decimal(amount) * count
    funding.donors += count
    funding.save()


def make_case(index, slug, *, milestones, items, target_each, illustrations=(), publish=True):
    """A case under `index`: published through an approved review, or saved as a draft."""
    from sixdegree_cases.models import FundingItem, SurvivorCasePage
    from sixdegree_cases.review.services import approve_and_publish

    story = [
        milestone(n, illustrations[n % len(illustrations)] if illustrations and n % 3 == 1 else None)
        for n in range(milestones)
    ]
    page = SurvivorCasePage(
        title=f"Her story ({slug})",
        slug=slug,
        pseudonym="Xiao Fang",
        origin="Indonesia",
        summary="Recruited at 16 with a promise of restaurant work, she was exploited for six years.",
        dream="To open a small sewing shop of her own.",
        story=story,
        funding_target=Decimal(target_each) * items,
        currency="USD",
        case_officer_reference="CO-BENCH",
        live=False,
    )
    categories = ["education", "psychological_support", "medical", "livelihood"]
    for n in range(items):
        page.funding_items.add(
            FundingItem(
                category=categories[n % len(categories)], description=f"Cost {n + 1}", amount=target_each
            )
        )
    index.add_child(instance=page)
    if publish:
        approve_and_publish(page.save_revision(), require_checks=False)
    return page


def build():
    from django.db import connection
    from django.utils import timezone
    from wagtail.models import Page, Site

    from home.models import HomePage
    from sixdegree_cases.models import CaseIndexPage, SurvivorCasePage
    from sixdegree_cases.review.services import approve_and_publish

    Page.objects.filter(depth=2).delete()
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Sixdegree", slug="home", live=False))
    approve_and_publish(home.save_revision(), require_checks=False)
    Site.objects.all().delete()
    Site.objects.create(
        hostname="127.0.0.1", port=80, root_page=home, is_default_site=True, site_name="Sixdegree"
    )

    def index(slug, title):
        page = home.add_child(instance=CaseIndexPage(title=title, slug=slug, live=False))
        approve_and_publish(page.save_revision(), require_checks=False)
        return page

    cases = index("cases", "Cases")
    pictures = [illustration(n) for n in range(2)]
    case_a = make_case(
        cases, "xiao-fang", milestones=6, items=4, target_each="37500.00", illustrations=pictures
    )
    insert_donations(case_a, 10_000, status="confirmed", amount="10.00", named_every=500)
    count_confirmed(case_a, 10_000, "10.00")
    # Row (m) confirms these while the case page is served from the cache.
    insert_donations(case_a, 200, status="waiting", amount="10.00")
    case_d = make_case(cases, "case-d", milestones=6, items=4, target_each="2000000.00")
    case_f = make_case(cases, "case-f", milestones=6, items=4, target_each="2000000.00")
    insert_donations(case_d, 9_000, status="waiting", amount="5.00")
    # Amounts 5.01 … 9.99 vary, so a double count or a lost update cannot go unnoticed.
    insert_donations(
        case_f, 2_000, status="waiting", amount_sql="(5 + mod(g, 499) / 100.0 + 0.01)::numeric(9, 2)"
    )

    api_indexes = {}
    for size in (10, 1000):
        api_index = index(f"api-{size}", f"API {size}")
        ids = [
            make_case(
                api_index, f"api-{size}-{n}", milestones=3, items=2, target_each="750.00", publish=False
            ).pk
            for n in range(size)
        ]
        now = timezone.now()
        # Reading is measured, not 1,000 reviews: the drafts are made live in one statement.
        SurvivorCasePage.objects.filter(pk__in=ids).update(
            live=True, has_unpublished_changes=False, first_published_at=now, last_published_at=now
        )
        api_indexes[size] = api_index.pk

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_counter")
        cursor.execute("CREATE TABLE bench_counter (id integer PRIMARY KEY, n bigint NOT NULL DEFAULT 0)")
        cursor.execute("INSERT INTO bench_counter (id) SELECT generate_series(1, 1000)")

    from sixdegree_cases.donations.models import Donation

    def tokens(case):
        return list(Donation.objects.filter(case=case).order_by("pk").values_list("token", "total"))

    return {
        "case_a": {"id": case_a.pk, "url": case_a.url, "milestones": len(case_a.milestones)},
        "case_d": {"id": case_d.pk, "tokens": [t for t, _ in tokens(case_d)]},
        "case_f": {"id": case_f.pk, "url": case_f.url, "donations": [[t, str(a)] for t, a in tokens(case_f)]},
        "api_indexes": api_indexes,
        "index_url": cases.url,
    }


def main(out):
    import django

    django.setup()
    data = build()
    with open(out, "w") as handle:
        json.dump(data, handle)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "build/bench/data.json")
