"""Leak sweep: canaries planted in every private place never reach an anonymous visitor.

Private places: a never-published case, unpublished edits of a live case, a login-restricted
case, a withdrawn case, sensitive terms, consent notes, the internal case officer reference, a
draft's image and a withdrawal's reason. The sweep requests every public URL it knows or finds
(pages, search, sitemap, API v2 list and detail with fields=*, the journey GeoJSON, the images
and documents endpoints) and reads every media file the pages reference.
"""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from wagtail.models import Page, PageViewRestriction

from sixdegree_cases.models import SurvivorCasePage
from sixdegree_cases.privacy import withdraw_consent
from sixdegree_cases.privacy.models import CaseWithdrawal
from tests.factories import make_case_page, milestone
from tests.privacy.helpers import add_term, jpeg_bytes, landscape, record_consent, upload_image

CANARIES = [
    "Qxdrafttitle",
    "Qxdraftstory",
    "Qxdraftslug",
    "Qxdraftimage",
    "Qxeditsummary",
    "Qxeditnarrative",
    "Qxedittitle",
    "Qxprivatetitle",
    "Qxprivatestory",
    "Qxwithdrawntitle",
    "Qxwithdrawnreason",
    "Qxsensitiveterm",
    "Qxconsentnote",
    "Qxofficerref",
]
MAX_REQUESTS = 400
LINK = re.compile(r"""(?:href|src|srcset|content|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
JSON_URL = re.compile(r'"((?:https?://testserver)?/[^"\s]*)"')


def story(text, image=None):
    milestones = [
        milestone("recruitment", "Recruited", lat=-0.03, lng=109.33, narrative=f"<p>{text}</p>"),
        milestone("escape", "Away", lat=-7.3, lng=112.7),
    ]
    if image:
        milestones[1][1]["illustration"] = {"image": image, "decorative": False, "alt_text": "A road"}
    return milestones


def plant(case_index, officer):
    """Build the site: one ordinary live case, and a canary in every private place."""
    public_image = upload_image(jpeg_bytes(landscape()), title="Road to the coast")
    live = make_case_page(
        case_index,
        title="A public story",
        slug="public-story",
        case_officer_reference="Qxofficerref",
        story=story("She crossed the border in 2009.", image=public_image),
    )
    add_term(live, "Qxsensitiveterm")
    record_consent(live, notes="Qxconsentnote")
    live.title = "Qxedittitle"
    live.summary = "Qxeditsummary"
    live.story = story("Qxeditnarrative")
    live.save_revision()

    draft_image = upload_image(jpeg_bytes(landscape()), title="Qxdraftimage")
    make_case_page(
        case_index,
        publish=False,
        title="Qxdrafttitle",
        slug="qxdraftslug",
        seo_title="Qxdrafttitle",
        search_description="Qxdraftstory",
        story=story("Qxdraftstory", image=draft_image),
    )

    private = make_case_page(
        case_index, title="Qxprivatetitle", slug="private-story", summary="Qxprivatestory"
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    withdrawn = make_case_page(case_index, title="Qxwithdrawntitle", slug="withdrawn-story")
    record_consent(withdrawn)
    withdraw_consent(withdrawn, officer, reason="Qxwithdrawnreason")
    return live


def seeds():
    """Every URL a visitor could know of or guess, including each page's would-be address."""
    urls = ["/", "/cases/", "/sitemap.xml", "/search/?query=", "/api/v2/pages/?fields=*"]
    urls.append("/api/v2/pages/?type=sixdegree_cases.SurvivorCasePage&fields=*")
    urls += ["/api/v2/images/", "/api/v2/documents/", "/api/v2/pages/find/?html_path=/cases/qxdraftslug/"]
    for page in Page.objects.all():
        urls += [f"/api/v2/pages/{page.pk}/?fields=*", page.url or "/"]
    for pk in SurvivorCasePage.objects.values_list("pk", flat=True):
        urls.append(f"/api/v2/cases/{pk}/journey.geojson")
    for canary in CANARIES:
        urls += [f"/search/?query={canary}", f"/api/v2/pages/?search={canary}&fields=*"]
    return urls


def links(base, body):
    """Same-site URLs found in a response body (HTML attributes and JSON strings)."""
    found = []
    for raw in LINK.findall(body) + JSON_URL.findall(body):
        for candidate in raw.split(","):
            candidate = candidate.strip().split(" ")[0]
            if not candidate.startswith(("/", "http", "?")):
                continue  # meta values such as "width=device-width", fragments, mailto:
            url = urljoin(base, candidate)
            parts = urlsplit(url)
            if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
                found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def leaked(text, url):
    """Canaries in `text`, except one the URL itself carries (a search page repeats its query)."""
    lowered = text.lower()
    for canary in CANARIES:
        if canary.lower() in url.lower():
            lowered = lowered.replace(canary.lower(), "")
    return [canary for canary in CANARIES if canary.lower() in lowered]


def sweep(client):
    """Request every reachable public URL; return `{url: [canaries]}` for each leak, and the count."""
    queue, seen, leaks, media = deque(seeds()), set(), {}, set()
    while queue and len(seen) < MAX_REQUESTS:
        url = queue.popleft()
        if url in seen or url.startswith(("/admin/", "/static/", "/django-admin/")):
            continue
        seen.add(url)
        if url.startswith(settings.MEDIA_URL):
            media.add(url.split("?")[0])
            continue
        response = client.get(url)
        body = response.content.decode("utf-8", "replace")
        found = leaked(body + str(response.headers), url)
        if found:
            leaks[url] = found
        queue.extend(links(url, body))
        if response.has_header("Location"):
            queue.append(response["Location"])
    for url in media:
        with default_storage.open(url[len(settings.MEDIA_URL) :]) as handle:
            found = leaked(handle.read().decode("latin-1"), url)
        if found:
            leaks[url] = found
    return leaks, seen, media


def test_no_canary_reaches_an_anonymous_visitor(client, case_index, django_user_model):
    from tests.privacy.helpers import OFFICER_PERMISSIONS, user_with

    plant(case_index, user_with("officer", OFFICER_PERMISSIONS))
    leaks, seen, media = sweep(client)
    assert leaks == {}
    # The sweep really reached the public case, its API, its journey and its illustration.
    assert {"/cases/public-story/", "/sitemap.xml"} <= seen
    assert any(url.startswith("/api/v2/pages/") for url in seen)
    assert media, "no media file was referenced by any public page"


def test_the_sweep_finds_a_planted_leak(client, case_index, django_user_model):
    """The sweep is not blind: a canary put in a public field is reported."""
    make_case_page(case_index, title="A public story", slug="public-story", summary="Qxdraftstory")
    leaks, _, _ = sweep(client)
    assert "/cases/public-story/" in leaks
    assert "Qxdraftstory" in leaks["/cases/public-story/"]


def test_private_records_exist_where_they_were_planted(case_index):
    """The canaries are really stored (so the sweep's silence means something)."""
    from sixdegree_cases.privacy.models import ConsentRecord, SensitiveTerm
    from tests.privacy.helpers import OFFICER_PERMISSIONS, user_with

    live = plant(case_index, user_with("officer", OFFICER_PERMISSIONS))
    assert SensitiveTerm.objects.filter(term="Qxsensitiveterm").exists()
    assert ConsentRecord.objects.filter(notes="Qxconsentnote").exists()
    assert CaseWithdrawal.objects.filter(reason="Qxwithdrawnreason").exists()
    assert live.get_latest_revision_as_object().summary == "Qxeditsummary"
    assert SurvivorCasePage.objects.get(slug="qxdraftslug").live is False
