"""Small helpers that build the site tree and cases for tests (one behaviour per test)."""

from decimal import Decimal

from wagtail.models import Page, Site

from home.models import HomePage
from sixdegree_cases.models import CaseIndexPage, FundingItem, SurvivorCasePage
from sixdegree_cases.review.services import approve_and_publish


def milestone(stage="recruitment", title="A promise of work", lat=-7.3, lng=112.7, **extra):
    """A raw milestone value as a StreamField accepts it (before snapping)."""
    value = {
        "stage": stage,
        "title": title,
        "period": extra.pop("period", "2009"),
        "precision": extra.pop("precision", "town"),
        "place_label": extra.pop("place_label", ""),
        "location": extra.pop("location", {"lat": lat, "lng": lng}),
        "narrative": extra.pop("narrative", f"<p>{title}.</p>"),
    }
    value.update(extra)
    return ("milestone", value)


def default_story():
    return [
        milestone("recruitment", "Recruited with a promise", lat=-0.03, lng=109.33),
        milestone("exploitation", "Six years without pay", lat=-7.3, lng=112.7),
        milestone("escape", "Reaching out for help", lat=-7.25, lng=112.75),
    ]


def make_home(**kwargs):
    """The site's home page at the root of the default site (created once)."""
    home = HomePage.objects.first()
    if home:
        return home
    # Wagtail's first migration creates a welcome page (and a site pointing at it) at our slug.
    Page.objects.filter(depth=2).delete()
    root = Page.get_first_root_node()
    kwargs.setdefault("live", False)
    home = root.add_child(instance=HomePage(title=kwargs.pop("title", "Sixdegree"), slug="home", **kwargs))
    # Every page of the public tree goes live through an approval (review.guard).
    approve_and_publish(home.save_revision(), require_checks=False)
    home.refresh_from_db()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Sixdegree"},
    )
    return home


def make_case_index(parent=None, **kwargs):
    parent = parent or make_home()
    kwargs.setdefault("title", "Cases")
    kwargs.setdefault("slug", "cases")
    publish = kwargs.pop("publish", True)
    kwargs.setdefault("live", False)
    index = parent.add_child(instance=CaseIndexPage(**kwargs))
    if publish:
        approve_and_publish(index.save_revision(), require_checks=False)
        index.refresh_from_db()
    return index


def make_case_page(parent=None, *, publish=True, items=None, **kwargs):
    """A valid survivor case under `parent` (a new case index by default)."""
    parent = parent or CaseIndexPage.objects.first() or make_case_index()
    items = items if items is not None else [("psychological_support", "Counselling", Decimal("1500.00"))]
    kwargs.setdefault("title", "Her story")
    kwargs.setdefault("pseudonym", "Mawar")
    kwargs.setdefault("origin", "Indonesia")
    kwargs.setdefault("summary", "Recruited at 16 with a promise of restaurant work.")
    kwargs.setdefault("dream", "To open a small sewing business.")
    kwargs.setdefault("funding_target", sum((amount for _, _, amount in items), Decimal("0")))
    kwargs.setdefault("case_officer_reference", "Case officer CO-17")
    kwargs.setdefault("story", default_story())
    # Page.live defaults to True: a case created as a draft must say so.
    kwargs.setdefault("live", False)
    page = SurvivorCasePage(**kwargs)
    for category, description, amount in items:
        page.funding_items.add(FundingItem(category=category, description=description, amount=amount))
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        # Only an approved revision can go live: record an approval as a reviewer would. The
        # automated checks are skipped here (these cases have no consent record); tests of
        # the review itself go through the workflow (tests/review).
        approve_and_publish(revision, require_checks=False)
        page.refresh_from_db()
    return page
