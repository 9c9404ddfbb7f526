"""Sweeps for exact points at rest: every text and JSON column of every table, the cache, media.

Tables and columns are found by introspection, so a table added later (a Wagtail upgrade, a
new app) is swept without anyone listing it.
"""

from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection

TEXT_TYPES = ("text", "character varying", "character", "json", "jsonb")

# A point picked to the metre in Hanoi's old quarter. Its coordinates, as far as five decimals
# (what the widget's EWKT keeps), appear nowhere unless the point itself was stored.
PICKED_LAT, PICKED_LNG = 21.0287413, 105.8523917
PICKED = {"lat": PICKED_LAT, "lng": PICKED_LNG}
PICKED_EWKT = f"SRID=4326;POINT({PICKED_LNG} {PICKED_LAT})"
CANARIES = ("21.02874", "105.85239")


def text_columns():
    """`(table, column)` of every text-like column of every table in the public schema."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = ANY(%s) "
            "AND table_name IN (SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE') "
            "ORDER BY table_name, column_name",
            [list(TEXT_TYPES)],
        )
        return cursor.fetchall()


def database_hits(needles=CANARIES):
    """`(table, column, count)` for every column holding any of `needles`."""
    quote = connection.ops.quote_name
    hits = []
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)}::text LIKE ANY(%s)",  # noqa: S608
                [[f"%{needle}%" for needle in needles]],
            )
            count = cursor.fetchone()[0]
            if count:
                hits.append((table, column, count))
    return hits


def cache_hits(needles=CANARIES):
    """Cache aliases whose local-memory store holds any of `needles` (in its pickled values)."""
    hits = []
    for alias in settings.CACHES:
        store = getattr(caches[alias], "_cache", {})
        for value in list(store.values()):
            data = value if isinstance(value, bytes) else str(value).encode()
            if any(needle.encode() in data for needle in needles):
                hits.append(alias)
                break
    return hits


def media_hits(needles=CANARIES):
    """Files under MEDIA_ROOT holding any of `needles`."""
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return [
        str(path)
        for path in root.rglob("*")
        if path.is_file() and any(needle.encode() in path.read_bytes() for needle in needles)
    ]


def at_rest(needles=CANARIES):
    """Everywhere the needles are stored: database columns, cache aliases and media files."""
    return database_hits(needles) + cache_hits(needles) + media_hits(needles)
