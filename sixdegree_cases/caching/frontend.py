"""Purging a CDN in front of the site (Wagtail's frontend cache), in the background.

Wagtail purges a page's own URL when it is published or unpublished. A donation changes the
case page and the pages listing it (index, home), and a publish changes those listings too, so
those URLs are purged here as well, through a django-tasks task: a CDN's API must never slow
down a donor's payment callback. Does nothing unless `WAGTAILFRONTENDCACHE` is configured.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django_tasks import task


def frontend_cache_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_case_later(page_id, *, using=None):
    """Queue a purge of the page and its ancestors after the transaction commits."""
    if frontend_cache_configured():
        transaction.on_commit(lambda: purge_page_and_ancestors.enqueue(page_id), using=using)


@task()
def purge_page_and_ancestors(page_id):
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    pages = [p.specific for p in page.get_ancestors(inclusive=True).filter(depth__gt=1).live()]
    purge_pages_from_cache(pages)


def purge_subtree_later(page_id, *, using=None):
    """Queue a purge of the page, its ancestors and every page below it after the commit.

    A view restriction covers the page's whole subtree, so each of those URLs may sit in a CDN.
    """
    if frontend_cache_configured():
        transaction.on_commit(lambda: purge_subtree.enqueue(page_id), using=using)


@task()
def purge_subtree(page_id):
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    ancestor_ids = page.get_ancestors().values_list("pk", flat=True)
    subtree = Page.objects.filter(Q(path__startswith=page.path) | Q(pk__in=ancestor_ids))
    purge_pages_from_cache([p.specific for p in subtree.filter(depth__gt=1, live=True)])
