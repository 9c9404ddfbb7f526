"""The organisation's details as every page shows them (footer, title, `og:site_name`, the
contact page), read once per process while the page cache's data version holds.

Every page read the organisation settings (one query) and, with trust pages chosen, which of
them are live and public (one more). Both change only when the settings are saved, a page is
published, unpublished, moved or deleted, a view restriction changes or a site is saved: each
moves the page cache's version on, in every process (`sixdegree_cases.caching.process`), so an
anonymous page view reads them once per process and version.

What is kept is an allow-list (`Organisation`): the fields pages show, and the trust pages'
labels and URLs, never the settings object itself.
"""

from dataclasses import dataclass

from wagtail.models import Site

from sixdegree_cases.caching.process import KeptPerProcess

from .models import OrganisationSettings

_kept = KeptPerProcess()


@dataclass(frozen=True)
class Organisation:
    """Who runs the site, as pages show it. Immutable: one object serves many requests."""

    name: str
    registration: str = ""
    contact_email: str = ""
    postal_address: str = ""
    fees: str = ""
    # (label, url) of the chosen trust pages that are live and public (labels translated lazily).
    footer_links: tuple = ()


def organisation_of(settings):
    """The public details of `settings` (an `OrganisationSettings`), its footer links read now."""
    return Organisation(
        name=settings.name,
        registration=settings.registration,
        contact_email=settings.contact_email,
        postal_address=settings.postal_address,
        fees=settings.fees,
        footer_links=tuple(settings.footer_links()),
    )


def defaults():
    """The details of settings never saved (error pages, a host no site serves)."""
    return organisation_of(OrganisationSettings())


def organisation_for_request(request):
    """The organisation of the site serving `request`, kept per process and data version."""
    site = Site.find_for_request(request)
    if site is None:
        return defaults()
    return _kept.get(request, site.pk, lambda: organisation_of(OrganisationSettings.for_site(site)))


def organisation_for_default_site():
    site = Site.objects.filter(is_default_site=True).first()
    return organisation_of(OrganisationSettings.for_site(site)) if site else defaults()
