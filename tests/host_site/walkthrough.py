"""A case's whole way through this host site, run by tests/plugin/test_wheel.py in a fresh venv.

Staff write a case, send it to privacy review; a second person approves it; the public page
renders with its map, the API lists it, a donor gives to it with the dummy provider, and the
static files collect under Django's manifest storage. Prints one JSON line of what it saw.
"""

import datetime
import json
import os
import sys
import tempfile
from decimal import Decimal

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "host_site.settings.dev")

import django

django.setup()

from bs4 import BeautifulSoup  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from payments import FraudStatus, PaymentStatus  # noqa: E402
from wagtail.models import Site  # noqa: E402

from sixdegree_cases.donations.models import Donation  # noqa: E402
from sixdegree_cases.donations.progress import progress_for  # noqa: E402
from sixdegree_cases.models import CaseIndexPage, FundingItem, SurvivorCasePage  # noqa: E402
from sixdegree_cases.privacy.models import ConsentRecord  # noqa: E402
from sixdegree_cases.review.constants import CHECKLIST, COMMUNICATIONS_STAFF, PRIVACY_REVIEWERS  # noqa: E402


def member_of(group_name, username):
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "a long passphrase")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def review(page, writer, reviewer):
    """Submit the page's latest revision to its workflow and approve it as the second person."""
    page.get_workflow().start(page, writer)
    task_state = page.current_workflow_task_state.specific
    blocking = [finding for finding in task_state.findings if finding["severity"] == "block"]
    assert not blocking, blocking
    task_state.task.specific.on_action(task_state, reviewer, "approve", **dict.fromkeys(CHECKLIST, True))
    page.refresh_from_db()
    assert page.live, f"{page} did not go live"


def milestone(stage, title, lat, lng):
    return (
        "milestone",
        {
            "stage": stage,
            "title": title,
            "period": "2019",
            "precision": "town",
            "place_label": "",
            "location": {"lat": lat, "lng": lng},
            "narrative": f"<p>{title}.</p>",
        },
    )


def main():
    seen = {}
    writer = member_of(COMMUNICATIONS_STAFF, "writer")
    reviewer = member_of(PRIVACY_REVIEWERS, "reviewer")
    home = Site.objects.get(is_default_site=True).root_page.specific

    index = home.add_child(instance=CaseIndexPage(title="Stories", slug="stories", live=False))
    index.save_revision(user=writer)
    review(index, writer, reviewer)

    case = SurvivorCasePage(
        title="Her story",
        slug="her-story",
        live=False,
        pseudonym="Mawar",
        origin="Indonesia",
        summary="Recruited with a promise of restaurant work.",
        dream="To open a small sewing business.",
        funding_target=Decimal("1500.00"),
        currency="USD",
        case_officer_reference="CO-1",
        story=[
            milestone("recruitment", "Recruited with a promise", -0.03, 109.33),
            milestone("exploitation", "Years without pay", -7.3, 112.7),
        ],
    )
    case.funding_items.add(
        FundingItem(category="psychological_support", description="Counselling", amount=Decimal("1500.00"))
    )
    index.add_child(instance=case)
    ConsentRecord.objects.create(
        case=case,
        given_on=datetime.date(2024, 5, 1),
        language="Indonesian",
        scope_story=True,
        scope_map=True,
        scope_amounts=True,
    )
    case.save_revision(user=writer)
    review(case, writer, reviewer)
    seen["published"] = case.live

    client = Client()
    response = client.get(case.url)
    assert response.status_code == 200, response.status_code
    soup = BeautifulSoup(response.content, "html.parser")
    assets = [tag["src"] for tag in soup.find_all("script", src=True)]
    assets += [tag["href"] for tag in soup.find_all("link", rel="stylesheet")]
    basemap = json.loads(soup.find(id="story-map-config").get_text())["basemapUrl"]
    map_assets = [url for url in [*assets, basemap] if "/sixdegree_cases/" in url]
    required = ("leaflet/leaflet.js", "js/story-map.js", "leaflet/leaflet.css", "css/story-map.css")
    assert all(any(url.endswith(name) for url in map_assets) for name in required), map_assets
    for url in map_assets:
        served = client.get(url)
        assert served.status_code == 200, (url, served.status_code)
    seen["map_assets"] = sorted(map_assets)
    seen["milestones_drawn"] = len(json.loads(soup.find(id="story-milestones").get_text()))

    listing = client.get("/api/v2/pages/", {"type": "sixdegree_cases.SurvivorCasePage", "fields": "*"})
    assert listing.status_code == 200, listing.status_code
    seen["api_cases"] = [item["pseudonym"] for item in listing.json()["items"]]
    journey = client.get(f"/api/v2/cases/{case.pk}/journey.geojson")
    assert journey.status_code == 200, journey.status_code

    give = client.post(
        f"/donations/cases/{case.pk}/give/",
        {
            "amount_choice": "",
            "amount": "50",
            "currency": "USD",
            "email": "giver@example.org",
            "anonymous": "on",
        },
        HTTP_ORIGIN="http://testserver",
    )
    assert give.status_code == 302, give.status_code
    donation = Donation.objects.get()
    paid = client.post(
        give.url,
        {
            "status": PaymentStatus.CONFIRMED,
            "fraud_status": FraudStatus.ACCEPT,
            "gateway_response": "3ds-disabled",
        },
    )
    assert paid.status_code == 302, paid.status_code
    assert client.get(paid.url).status_code == 200
    donation.refresh_from_db()
    seen["donation"] = donation.status
    seen["raised"] = str(progress_for(SurvivorCasePage.objects.get(pk=case.pk)).raised)

    with (
        tempfile.TemporaryDirectory() as static_root,
        override_settings(
            STATIC_ROOT=static_root,
            STORAGES={
                "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
            },
        ),
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        seen["collectstatic"] = "ok"

    print(json.dumps(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
