"""Turn the demo data into a published site tree, once.

Every object is looked up first (pages by slug under their parent, images by title, the user by
username) and left exactly as it is when found, so a second run changes nothing and a database
that already holds content keeps it. The only page ever removed is Wagtail's untouched welcome
page, which the Sixdegree home page replaces.
"""

import datetime
import secrets
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from payments import PaymentStatus
from wagtail.models import Page, Site

from home.models import FeaturedCase, HomePage, InformationPage, OrganisationSettings
from sixdegree_cases.donations.giving import payment_variant
from sixdegree_cases.donations.models import Donation
from sixdegree_cases.models import CaseIndexPage, CaseLifecycle, CaseUpdate, FundingItem, SurvivorCasePage
from sixdegree_cases.privacy.models import ConsentRecord, SensitiveTerm
from sixdegree_cases.review.services import ApprovalRefused, approve_and_publish, check_revision
from sixdegree_cases.updates.lifecycle import CaseStatus

from . import illustrations, site, trust, updates
from .cases import CASES, FEATURED_SLUGS

WAGTAIL_WELCOME_TITLE = "Welcome to your new Wagtail site!"
DEMO_CONSENT_NOTE = "Demo content: recorded by load_demo_content for the demonstration site."
DEMO_APPROVAL_COMMENT = "Demo content: approved by load_demo_content after the automated checks."
DEMO_GIFT_MESSAGE = "Demo content: a fictional gift recorded by load_demo_content."
# Set by the tree when a page is added below its parent, so not checked before.
TREE_FIELDS = ["path", "depth"]


class DemoContentError(Exception):
    """The demo content cannot be loaded into this database as it stands."""


@dataclass
class Report:
    """What a run created, what it found already present, and anything worth a look."""

    created: list = field(default_factory=list)
    present: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    # Files written to storage by this run; removed again if the transaction rolls back.
    stored_files: list = field(default_factory=list)

    def add(self, created, label):
        (self.created if created else self.present).append(label)


def load_demo_content(report):
    """Build the home page, the case index, the four cases and their illustrations."""
    try:
        with transaction.atomic():
            home, home_created = get_or_create_home(report)
            case_index = get_or_create_case_index(home, report)
            images = get_or_create_illustrations(report)
            cases = [get_or_create_case(case_index, data, images, report) for data in CASES]
            add_updates(cases, report)
            add_gifts(cases, report)
            trust_pages = {
                data["setting"]: get_or_create_information_page(home, data, report) for data in trust.PAGES
            }
            get_or_create_organisation(home, trust_pages, report)
            if home_created:
                # Published last, so its one revision holds the introduction and featured cases.
                feature_cases(home, cases)
                publish_reviewed(home)
    except BaseException:
        # Pillow's files are written outside the database: do not leave them orphaned.
        for storage, name in report.stored_files:
            storage.delete(name)
        raise


# --- The home page and the site ----------------------------------------------------------


def wagtail_welcome_page(root):
    """Wagtail's initial "Welcome" page when nobody has touched it, else None.

    Only that exact placeholder may be removed: a plain page with that title, no children and
    no revisions, directly below the root.
    """
    page = root.get_children().filter(title=WAGTAIL_WELCOME_TITLE, numchild=0).first()
    if page is None or page.specific_class is not Page or page.revisions.exists():
        return None
    return page


def get_or_create_home(report):
    """The site's HomePage (there is at most one), created in place of the welcome page."""
    home = HomePage.objects.first()
    if home:
        report.add(False, f"home page “{home.title}”")
        check_default_site(home, report)
        return home, False

    root = Page.get_first_root_node()
    if root is None:
        raise DemoContentError("This database has no Wagtail root page: run `manage.py migrate` first.")
    moved_sites = remove_welcome_page(root, report)
    # The root's child count changed: add_child needs a fresh copy.
    root = Page.get_first_root_node()
    slug = site.HOME["slug"]
    if root.get_children().filter(slug=slug).exists():
        slug = site.HOME_FALLBACK_SLUG
    home = HomePage(
        title=site.HOME["title"],
        slug=slug,
        introduction=site.HOME["introduction"],
        featured_heading=site.HOME["featured_heading"],
        live=False,
    )
    home.full_clean(exclude=TREE_FIELDS)
    root.add_child(instance=home)
    for moved in moved_sites:
        moved.root_page = home
        moved.save()
    point_default_site(home, report)
    report.add(True, f"home page “{home.title}”")
    return home, True


def remove_welcome_page(root, report):
    """Delete Wagtail's untouched welcome page; return the sites that pointed at it.

    Deleting a site's root page deletes the site (and its redirects and settings), so those
    sites are parked on the tree root first and pointed at the new home page afterwards.
    """
    welcome = wagtail_welcome_page(root)
    if welcome is None:
        return []
    sites = list(Site.objects.filter(root_page=welcome))
    for moved in sites:
        moved.root_page = root
        moved.save()
    welcome.delete()
    report.notes.append("Replaced Wagtail's welcome page with the Sixdegree home page.")
    return sites


def base_url_host():
    """The host name and port of WAGTAILADMIN_BASE_URL ("http://127.0.0.1:8000" → ("127.0.0.1", 8000)).

    The demo site follows it, so that page URLs (the API's `html_url`, sitemaps, e-mails) name
    the address the site is served at: `make run PORT=…` sets both.
    """
    parts = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return parts.hostname or "localhost", parts.port or (443 if parts.scheme == "https" else 80)


def point_default_site(home, report):
    """Make the default site serve `home`, unless it already serves someone else's page."""
    hostname, port = base_url_host()
    default = Site.objects.filter(is_default_site=True).first()
    if default is None:
        Site.objects.create(
            hostname=hostname, port=port, root_page=home, is_default_site=True, site_name=site.SITE_NAME
        )
        report.add(True, f"default site ({hostname}:{port})")
        return
    if default.root_page_id == home.pk:
        changed = False
        if not default.site_name:
            default.site_name, changed = site.SITE_NAME, True
        if (default.hostname, default.port) != (hostname, port) and not (
            Site.objects.exclude(pk=default.pk).filter(hostname=hostname, port=port).exists()
        ):
            report.notes.append(f"The demo site now answers at {hostname}:{port} (WAGTAILADMIN_BASE_URL).")
            default.hostname, default.port, changed = hostname, port, True
        if changed:
            default.save()
        return
    check_default_site(home, report)


def check_default_site(home, report):
    """Note (but never change) a default site that serves another page than `home`."""
    default = Site.objects.filter(is_default_site=True).first()
    if default is not None and default.root_page_id != home.pk:
        report.notes.append(
            f"The default site serves “{default.root_page.title}”, not “{home.title}”: left as is. "
            "Choose the home page in Settings → Sites to see the demo."
        )


def feature_cases(home, cases):
    """Feature the chosen demo cases on a home page this run created."""
    by_slug = {case.slug: case for case in cases}
    home.featured_cases = [FeaturedCase(case=by_slug[slug]) for slug in FEATURED_SLUGS if slug in by_slug]


# --- The case index and the cases --------------------------------------------------------


def get_or_create_case_index(home, report):
    """The "Cases" index below the home page, found by its slug or created and published."""
    data = site.CASE_INDEX
    existing = home.get_children().filter(slug=data["slug"]).specific().first()
    if existing is not None:
        if not isinstance(existing, CaseIndexPage):
            raise DemoContentError(
                f"The page at “{existing.url_path}” is not a case index; rename or move it first."
            )
        report.add(False, f"case index “{existing.title}”")
        return existing
    index = CaseIndexPage(title=data["title"], slug=data["slug"], intro=data["intro"], live=False)
    index.full_clean(exclude=TREE_FIELDS)
    home.add_child(instance=index)
    publish_reviewed(index)
    report.add(True, f"case index “{index.title}”")
    return index


# --- About, How it works, Privacy policy, Contact, and the organisation --------------------


def get_or_create_information_page(home, data, report):
    """One trust page below the home page, found by its slug or created and published."""
    existing = home.get_children().filter(slug=data["slug"]).specific().first()
    if existing is not None:
        report.add(False, f"page “{existing.title}”")
        return existing
    page = InformationPage(
        title=data["title"],
        slug=data["slug"],
        intro=data["intro"],
        body=data["body"],
        show_contact_details=data.get("show_contact_details", False),
        live=False,
    )
    page.full_clean(exclude=TREE_FIELDS)
    home.add_child(instance=page)
    publish_reviewed(page)
    report.add(True, f"page “{page.title}”")
    return page


def get_or_create_organisation(home, pages, report):
    """The organisation settings of the site serving `home`, unless they were saved before."""
    served = Site.objects.filter(root_page=home).first()
    if served is None:
        return
    existing = OrganisationSettings.objects.filter(site=served).first()
    if existing is not None:
        report.add(False, "organisation settings")
        return
    settings = OrganisationSettings(site=served, **trust.ORGANISATION)
    for name, page in pages.items():
        setattr(settings, name, page)
    settings.full_clean()
    settings.save()
    report.add(True, "organisation settings")


def get_or_create_illustrations(report):
    """Every demo illustration, keyed as in `illustrations.ILLUSTRATIONS`."""
    collection, created = illustrations.get_or_create_collection()
    report.add(created, f"collection “{collection.name}”")
    images = {}
    for key in illustrations.ILLUSTRATIONS:
        image, created = illustrations.get_or_create_image(key, collection)
        if created:
            report.stored_files.append((image.file.storage, image.file.name))
        report.add(created, f"image “{image.title}”")
        images[key] = image
    return images


def get_or_create_case(case_index, data, images, report):
    """One demo case below `case_index`, found by slug or validated, created and published."""
    existing = case_index.get_children().filter(slug=data["slug"]).specific().first()
    if existing is not None:
        report.add(False, f"case “{existing.title}”")
        return existing
    page = build_case(data, images)
    validate_case(page)
    case_index.add_child(instance=page)
    record_consent(page, data["consent"])
    record_sensitive_terms(page, data.get("sensitive_terms", ()))
    publish_reviewed(page)
    report.add(True, f"case “{page.title}”")
    return page


def build_case(data, images):
    """An unsaved SurvivorCasePage with its funding items, from a case module's data."""
    page = SurvivorCasePage(
        title=data["title"],
        slug=data["slug"],
        pseudonym=data["pseudonym"],
        pronouns=data["pronouns"],
        age_group=data["age_group"],
        origin=data["origin"],
        summary=data["summary"],
        dream=data["dream"],
        funding_target=data["funding_target"],
        currency=data["currency"],
        case_officer_reference=data["case_officer_reference"],
        launch_date=data["launch_date"],
        story=[("milestone", with_illustration(value, images)) for value in data["story"]],
        live=False,
    )
    page.funding_items = [FundingItem(**item) for item in data["funding_items"]]
    return page


def with_illustration(value, images):
    """The milestone value with its illustration key replaced by ImageBlock's value."""
    illustration = value["illustration"]
    if illustration is None:
        return value
    return {
        **value,
        "illustration": {
            "image": images[illustration["key"]],
            "decorative": False,
            "alt_text": illustration["alt_text"],
        },
    }


def validate_case(page):
    """Run the checks an editor's save would: the model's (funding adds up) and the story's.

    StreamField blocks are not validated by Model.full_clean(), so the story is cleaned through
    its StreamBlock too (exact dates, locations, alt text); the cleaned, snapped story is kept.
    """
    try:
        page.full_clean(exclude=TREE_FIELDS)
        page.story = page.story.stream_block.clean(page.story)
    except ValidationError as error:
        raise DemoContentError(f"The demo case “{page.title}” is not valid: {error}") from error


def record_consent(page, consent):
    """Record the consent the case needs before anything of it may be published."""
    record = ConsentRecord(
        case=page,
        given_on=consent["given_on"],
        language=consent["language"],
        scope_story=True,
        scope_map=True,
        scope_amounts=True,
        notes=DEMO_CONSENT_NOTE,
    )
    record.full_clean()
    record.save()


def record_sensitive_terms(page, terms):
    """Record the case's private sensitive terms (fictional here) before its revision is checked."""
    for term, kind in terms:
        record = SensitiveTerm(case=page, term=term, kind=kind)
        record.full_clean()
        record.save()


def publish_reviewed(page):
    """Publish the page's revision the way the privacy review does, checks included.

    Every page of the public tree (cases, the case index, the home page) goes live only as an
    approved revision (see `review.guard`). The automated checks run on exactly this revision
    and a blocking finding stops the run, so the demo content is held to the same rules as real
    content; the loader vouches for the reviewer's checklist.
    """
    revision = page.save_revision()
    try:
        approve_and_publish(revision, comment=DEMO_APPROVAL_COMMENT)
    except ApprovalRefused as error:
        raise DemoContentError(
            f"The privacy checks refuse the demo page “{page.title}”: {blocking_findings(revision)}"
        ) from error


def blocking_findings(revision):
    """The blocking findings on `revision`, where and what, in one line for the terminal."""
    report, _fingerprint = check_revision(revision)
    return "; ".join(
        f"{finding.where or finding.field}: {finding.message} ({finding.masked})"
        for finding in report.blocking_findings
    )


# --- What happened next ------------------------------------------------------------------


def add_updates(cases, report):
    """The demo's updates and lifecycle statuses, each created once and then left alone."""
    by_slug = {case.slug: case for case in cases}
    for slug, data in updates.UPDATES.items():
        case = by_slug.get(slug)
        if case is None:
            continue
        existing = case.get_children().filter(slug=data["slug"]).first()
        if existing is not None:
            report.add(False, f"update “{existing.title}”")
            continue
        update = CaseUpdate(
            title=data["title"],
            slug=data["slug"],
            period_part=data["period_part"],
            period_year=data["period_year"],
            narrative=data["narrative"],
            milestone=[("milestone", data["milestone"])] if data["milestone"] else [],
            live=False,
        )
        try:
            update.full_clean(exclude=TREE_FIELDS)
            update.milestone = update.milestone.stream_block.clean(update.milestone)
        except ValidationError as error:
            raise DemoContentError(f"The demo update “{update.title}” is not valid: {error}") from error
        case.add_child(instance=update)
        publish_reviewed(update)
        report.add(True, f"update “{update.title}”")
    for slug, steps in updates.STATUSES.items():
        case = by_slug.get(slug)
        if case is None or CaseLifecycle.objects.filter(case=case).exists():
            continue
        lifecycle = CaseLifecycle(case=case)
        for status, reached_on in steps:
            lifecycle.set_status(status, on=reached_on)
        lifecycle.save()
        report.add(True, f"status “{lifecycle.get_status_display()}” of “{case.title}”")


def add_gifts(cases, report):
    """The fictional gifts that funded the demo's fictional cases past "fundraising", once (a
    case that has any gift is left alone).

    Each is confirmed through the donations app (`change_status`), so the case's totals, its
    funding date and "funded in N days" come from the same code as real gifts. Anonymous, with
    no address, and their receipts marked sent (`receipt_sent_at`): `send_receipts` owes nobody
    anything for them.
    """
    by_slug = {case.slug: case for case in cases}
    for slug in updates.GIFTS:
        case = by_slug.get(slug)
        if case is None:
            continue
        if Donation.objects.filter(case=case).exists():
            report.add(False, f"gifts to “{case.title}”")
            continue
        funded_on = dict(updates.STATUSES[slug])[CaseStatus.FUNDED]
        items = list(case.funding_items.order_by("sort_order", "pk"))
        for number, item in enumerate(items, start=1):
            given_on = case.launch_date + (funded_on - case.launch_date) * number // len(items)
            at = datetime.datetime.combine(given_on, datetime.time(12), tzinfo=datetime.UTC)
            gift = Donation.objects.create(
                case=case,
                variant=payment_variant(),
                status=PaymentStatus.WAITING,
                token=str(uuid.uuid4()),
                total=item.amount,
                currency=case.currency,
                billing_email="",
                anonymous=True,
                description=DEMO_GIFT_MESSAGE,
                # Dated when given; the receipt neither owed nor to be sent.
                confirmed_at=at,
                receipted_at=at,
                receipt_sent_at=at,
            )
            gift.change_status(PaymentStatus.CONFIRMED, DEMO_GIFT_MESSAGE)
        report.add(True, f"{len(items)} fictional gifts to “{case.title}”")


# --- The local admin user ----------------------------------------------------------------


def get_or_create_admin(username, password, report):
    """A superuser for local use; returns the password it generated, if it had to.

    An existing user is left alone (its password included), so a second run cannot lock
    anyone out. Without a password from the caller a strong one is generated: never a fixed
    one, which would end up working on every copy of the demo.
    """
    user_model = get_user_model()
    if user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).exists():
        report.add(False, f"admin user “{username}”")
        return None
    generated = None
    if not password:
        password = generated = secrets.token_urlsafe(18)
    user_model.objects.create_superuser(**{user_model.USERNAME_FIELD: username}, email="", password=password)
    report.add(True, f"admin user “{username}”")
    return generated
