"""Filtering and ordering the case list from GET parameters, from a few allowed values only.

The index page is cached per URL (sixdegree_cases.caching, `QUERY_PARAMS`): only values listed
here are served, anything else is redirected to the URL without it, so the number of cached
variants stays bounded by the number of origins × funding filters × orders × pages.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models.functions import Cast, Coalesce
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

# A case at least this far to its target, and not yet there, is "nearly funded".
NEARLY_FUNDED_PERCENT = 75

FUNDING_CHOICES = {"nearly": _("Nearly funded")}
SORT_CHOICES = {"newest": _("Newest first"), "oldest": _("Oldest first")}
DEFAULT_SORT = "newest"
FILTER_PARAMS = ("origin", "funding", "sort")


def launched_on():
    """When a case was launched: its launch date, or the day it first went live without one.

    A case with no launch date sorts among the others by when readers could first see it,
    rather than after every dated case.
    """
    return Coalesce(
        "launch_date",
        Cast("first_published_at", output_field=models.DateField()),
    )


def origin_names(cases):
    """The distinct origins among `cases`."""
    return list(cases.order_by().values_list("origin", flat=True).distinct())


def country_of(origin):
    """The country an origin names: "West Kalimantan, Indonesia" → "Indonesia"."""
    return origin.rsplit(",", 1)[-1].strip()


def country_slug(origin):
    return slugify(country_of(origin), allow_unicode=True)


def origin_choices(names):
    """(slug, country) per distinct country of the origins `names`, in alphabetical order."""
    seen = {}
    for origin in sorted(names, key=lambda name: country_of(name).casefold()):
        slug = country_slug(origin)
        if slug:
            seen.setdefault(slug, country_of(origin))
    return list(seen.items())


@dataclass
class CaseFilters:
    """The filters a reader chose; `invalid` names the parameters that were not allowed values."""

    origin: str = ""
    funding: str = ""
    sort: str = DEFAULT_SORT
    invalid: tuple = ()
    origins: tuple = ()
    names: tuple = ()

    @classmethod
    def from_query(cls, query, cases):
        names = tuple(origin_names(cases))
        origins = tuple(origin_choices(names))
        allowed = {
            "origin": {slug for slug, _label in origins},
            "funding": set(FUNDING_CHOICES),
            "sort": set(SORT_CHOICES),
        }
        values, invalid = {}, []
        for name in FILTER_PARAMS:
            given = query.getlist(name)
            if not given or given == [""]:
                continue
            if len(given) == 1 and given[0] in allowed[name]:
                values[name] = given[0]
            else:
                invalid.append(name)
        return cls(**values, invalid=tuple(invalid), origins=origins, names=names)

    @property
    def funding_choices(self):
        return list(FUNDING_CHOICES.items())

    @property
    def sort_choices(self):
        return list(SORT_CHOICES.items())

    @property
    def query(self):
        """The query string of the chosen filters (kept in the pagination links)."""
        return self.query_without()

    @property
    def active(self):
        return bool(self.origin or self.funding or self.sort != DEFAULT_SORT)

    def apply(self, cases):
        """`cases` (live, public, with funding joined) filtered and ordered as chosen."""
        if self.origin:
            names = [name for name in self.names if country_slug(name) == self.origin]
            cases = cases.filter(origin__in=names)
        if self.funding == "nearly" and hasattr(cases.model, "funding"):
            cases = cases.filter(
                funding__raised__gte=models.F("funding_target") * NEARLY_FUNDED_PERCENT / 100,
                funding__raised__lt=models.F("funding_target"),
            )
        if self.sort == "oldest":
            return cases.order_by(launched_on().asc(), "first_published_at", "pk")
        return cases.order_by(launched_on().desc(), "-first_published_at", "-pk")

    def query_without(self, *names):
        """The query string of these filters without `names` (for the canonical redirect)."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in FILTER_PARAMS:
            value = getattr(self, name)
            if name not in names and value and not (name == "sort" and value == DEFAULT_SORT):
                query[name] = value
        return query.urlencode()
