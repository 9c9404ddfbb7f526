"""View restrictions read inside the query that needs them, and once per served page.

Wagtail's `PageQuerySet.public()` first reads every `PageViewRestriction` (one query), then
excludes their subtrees; `Page.get_view_restrictions()` reads the page's ancestors (one
query), then their restrictions (another). A case page asked for them four times per render
(Wagtail's serve check, its meta tags, its updates, the footer): eight queries of fifteen.

- `public(queryset)` is `queryset.public()` as a subquery of the same query: the same pages
  (those in no restricted subtree, the restricted page included), read in one round trip.
- `RestrictionsOncePerServeMixin` gives a page type a one-query `get_view_restrictions()`
  (aliases resolved to their source page, as Wagtail does) and, for the instance that routing
  chose to serve, evaluates it once: Wagtail's serve check and the page's own tags then share
  it. Only that instance, which lives for one request, keeps it; any other instance asks the
  database each time, so a restriction added in between is never missed.
- `with_restrictions_known(queryset)` reads, in the query that finds the page to serve, whether
  it may be restricted at all (`MaybeRestricted`). A served page that cannot be has no
  restrictions to read: one query fewer for every public page, and nothing is kept between
  requests (the answer comes from the same snapshot of the database as the page itself).
"""

from django.db import connection
from django.db.models import BooleanField, Exists, Expression, F, OuterRef
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction

SERVED = "_sixdegree_served"
MEMO = "_sixdegree_view_restrictions"
MAYBE_RESTRICTED = "_sixdegree_maybe_restricted"
# How far an alias of an alias of ... is followed (Wagtail follows any chain; loops cannot be made).
ALIAS_HOPS = 32
# The pages given (by path, or by id) followed each to the end of its alias chain.
ALIAS_CHAIN = (
    "WITH RECURSIVE chain (id, alias_of_id, hops) AS ("
    " SELECT id, alias_of_id, 0 FROM {pages} WHERE {start}"
    " UNION ALL SELECT p.id, p.alias_of_id, c.hops + 1 FROM {pages} p"
    " INNER JOIN chain c ON p.id = c.alias_of_id WHERE c.hops < {hops})"
    " SELECT id FROM chain WHERE alias_of_id IS NULL"
)


def restricted_subtree():
    """An `Exists` true for pages in a restricted page's subtree (that page included)."""
    return Exists(
        PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    )


def public(queryset):
    """`queryset.public()`, in the same SQL query."""
    return queryset.exclude(restricted_subtree())


class MaybeRestricted(Expression):
    """True for a page that may have view restrictions: one on the page or an ancestor, or on
    the source page of the page or an ancestor that is an alias.

    A superset of what `view_restrictions_of` reads (which skips restrictions on an alias
    itself): when it is false, the page has none. Driven by the restrictions table, which holds
    a row per restricted page, so it costs little whatever the size of the tree.

    Written as SQL around the page's own `path` column (resolved by Django, whatever the
    query's aliases): built with `Exists` and `OuterRef`, resolving and compiling the two
    subqueries cost more CPU on every request than the query it saves.
    """

    output_field = BooleanField()
    conditional = True

    def __init__(self, path=None):
        super().__init__()
        self.path = path if path is not None else F("path")

    def get_source_expressions(self):
        return [self.path]

    def set_source_expressions(self, exprs):
        (self.path,) = exprs

    # Table names come from the models, `path` from Django's compiler: nothing a visitor sends.
    # The third EXISTS: an alias of an alias (on the page or an ancestor). Wagtail follows such
    # a chain to its end, whose restrictions (added after the aliases were made) this one-step
    # expression cannot see: those pages are "may be", and `view_restrictions_of` follows it.
    # The page and its ancestors are looked up by path (its unique index): depth lookups at most.
    template = (
        "(EXISTS (SELECT 1 FROM {restrictions} r INNER JOIN {pages} rp ON rp.id = r.page_id"
        " WHERE rp.path = SUBSTRING({path}, 1, LENGTH(rp.path)))"
        " OR EXISTS (SELECT 1 FROM {restrictions} r INNER JOIN {pages} al ON al.alias_of_id = r.page_id"
        " WHERE al.path = SUBSTRING({path}, 1, LENGTH(al.path)))"
        " OR EXISTS (SELECT 1 FROM {pages} al INNER JOIN {pages} src ON src.id = al.alias_of_id"
        " WHERE src.alias_of_id IS NOT NULL AND al.path IN (SELECT SUBSTRING({path}, 1, {steplen} * g)"
        " FROM generate_series(1, LENGTH({path}) / {steplen}) g)))"
    )

    # Elsewhere (SQLite, the embedded default of `make run`: no `generate_series`) the alias of
    # an alias is matched by prefix, as the first two are: a scan of the aliases, which are few.
    portable_template = template.replace(
        " AND al.path IN (SELECT SUBSTRING({path}, 1, {steplen} * g)"
        " FROM generate_series(1, LENGTH({path}) / {steplen}) g)))",
        " AND al.path = SUBSTRING({path}, 1, LENGTH(al.path))))",
    )

    def as_postgresql(self, compiler, connection):
        return self._as_sql(self.template, compiler, connection)

    def as_sql(self, compiler, connection):
        return self._as_sql(self.portable_template, compiler, connection)

    def _as_sql(self, template, compiler, connection):
        path, params = compiler.compile(self.path)
        sql = template.format(
            restrictions=connection.ops.quote_name(PageViewRestriction._meta.db_table),
            pages=connection.ops.quote_name(Page._meta.db_table),
            path=path,
            steplen=int(Page.steplen),
        )
        return sql, list(params) * template.count("{path}")


def with_restrictions_known(queryset):
    """`queryset` with, for each page, whether it may be restricted (`MaybeRestricted`), read
    in the same query: the page that routing serves then reads no restrictions when it has none."""
    return queryset.annotate(**{MAYBE_RESTRICTED: MaybeRestricted()})


def view_restrictions_of(page):
    """The restrictions on `page` and its ancestors, aliases resolved to their source page:
    Wagtail's `get_view_restrictions()` as one query."""
    steplen = page.steplen
    ancestor_paths = [page.path[: steplen * depth] for depth in range(1, page.depth)]
    own = page.alias_of_id or page.pk
    # Each alias followed to the end of its chain (an alias of an alias), as Wagtail does.
    # Bounded, should the data ever hold a loop.
    # The table name comes from the model and the bound from a constant: the paths and the id
    # are parameters.
    # One placeholder a path (PostgreSQL's `= ANY(array)` is not SQL that SQLite, the embedded
    # default of `make run`, understands).
    start = "id = %s"
    if ancestor_paths:
        start = f"path IN ({', '.join(['%s'] * len(ancestor_paths))}) OR {start}"
    targets = RawSQL(  # noqa: S611
        ALIAS_CHAIN.format(
            pages=connection.ops.quote_name(Page._meta.db_table), hops=ALIAS_HOPS, start=start
        ),
        (*ancestor_paths, own),
    )
    return PageViewRestriction.objects.filter(page_id__in=targets)


class RestrictionsOncePerServeMixin:
    """One query for a page's view restrictions, read once for the page being served."""

    def route(self, request, path_components):
        result = super().route(request, path_components)
        if result is not None and result[0] is self:
            # This instance was built for this request: what it reads stays true until its end.
            self.__dict__[SERVED] = True
        return result

    def get_view_restrictions(self):
        if not self.__dict__.get(SERVED):
            return view_restrictions_of(self)
        memo = self.__dict__.get(MEMO)
        if memo is None and self.__dict__.get(MAYBE_RESTRICTED) is False:
            # Read with this page, in the same query: no restriction on it, its ancestors or
            # their source pages. An empty queryset reads nothing.
            memo = self.__dict__[MEMO] = PageViewRestriction.objects.none()
        if memo is None:
            memo = view_restrictions_of(self)
            # Evaluated now: iterating it, `exists()` and `len()` then read no more rows.
            len(memo)
            self.__dict__[MEMO] = memo
        return memo
