"""Find canaries anywhere the site keeps data: every column of every table, media and the cache.

Nothing here names a table or a model. The database sweep discovers every column of every table
in the current schema through PostgreSQL's catalogue, so a table added tomorrow (by us, Wagtail
or a dependency) is swept too. A canary is looked for in each form a store may keep it in: as
written, lower-cased (search vectors), JSON-escaped, URL-encoded (preview form data) and, for
sessions and the cache, after decoding what Django signed, pickled or gzipped.
"""

import hashlib
import json
import pickle
import zlib
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import connection

# Column types that cannot hold a word: never cast to text, to keep the sweep fast and exact.
NON_TEXT_TYPES = {
    "smallint",
    "integer",
    "bigint",
    "numeric",
    "real",
    "double precision",
    "boolean",
    "date",
    "time without time zone",
    "time with time zone",
    "timestamp without time zone",
    "timestamp with time zone",
    "interval",
    "uuid",
}


@dataclass(frozen=True)
class Hit:
    where: str
    canary: str

    def __str__(self):
        return f"{self.canary!r} in {self.where}"


def variants(canary):
    """Each form in which `canary` may be stored."""
    forms = {
        canary,
        canary.lower(),
        json.dumps(canary)[1:-1],
        json.dumps(canary, ensure_ascii=False)[1:-1],
        quote_plus(canary),
        quote(canary),
    }
    return {form for form in forms if form}


def _columns():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
            ORDER BY c.table_name, c.ordinal_position
            """
        )
        return [row for row in cursor.fetchall() if row[2] not in NON_TEXT_TYPES]


def table_count():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
        return cursor.fetchone()[0]


def database_hits(canaries):
    """(hits, columns swept): every canary found in any column of any table."""
    hits = []
    columns = _columns()
    quote_name = connection.ops.quote_name
    for table, column, data_type in columns:
        target = f"{quote_name(table)}.{quote_name(column)}"
        for canary in canaries:
            forms = sorted(variants(canary))
            if data_type == "bytea":
                condition = " OR ".join(["position(convert_to(%s, 'UTF8') in {col}) > 0"] * len(forms))
            else:
                condition = " OR ".join(["{col}::text ILIKE %s"] * len(forms))
                forms = [f"%{_escape_like(form)}%" for form in forms]
            sql = f"SELECT count(*) FROM {quote_name(table)} WHERE {condition.format(col=target)}"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(sql, forms)
                if cursor.fetchone()[0]:
                    hits.append(Hit(f"{table}.{column}", canary))
    return hits + _session_hits(canaries), len(columns)


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _session_hits(canaries):
    """Sessions are signed and compressed: decode each one before looking."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    hits = []
    for session in Session.objects.all():
        text = json.dumps(SessionStore().decode(session.session_data), default=str)
        hits += [Hit("django_session (decoded)", c) for c in canaries if _in_text(c, text)]
    return hits


def _in_text(canary, text):
    lowered = text.lower()
    return any(form.lower() in lowered for form in variants(canary))


def _in_bytes(canary, data):
    return any(form.encode() in data or form.lower().encode() in data.lower() for form in variants(canary))


def _unpacked(data):
    """`data` and every gzip or zlib stream inside it (a cached page is a header, then gzip)."""
    found = [data]
    # The page cache keeps a page as a 4-byte length, its headers, then the text segments around
    # its figures as raw deflate one after the other (caching.middleware, caching.holes): they
    # decompress as one stream.
    if len(data) > 4:
        header = 4 + int.from_bytes(data[:4], "big")
        for start in (0, header):
            try:
                found.append(zlib.decompressobj(-15).decompress(data[start:]))
            except zlib.error:
                pass
    for magic, wbits in ((b"\x1f\x8b\x08", 31), (b"\x78\x9c", 15), (b"\x78\xda", 15)):
        start = data.find(magic)
        while start != -1:
            try:
                found.append(zlib.decompressobj(wbits).decompress(data[start:]))
            except zlib.error:
                pass
            start = data.find(magic, start + 1)
    return found


def _flatten(value):
    """Every str and bytes inside a cached value (dicts, lists, tuples, objects)."""
    if isinstance(value, str):
        yield value.encode()
    elif isinstance(value, bytes | bytearray | memoryview):
        yield from _unpacked(bytes(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(key)
            yield from _flatten(item)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            yield from _flatten(item)
    elif hasattr(value, "__dict__"):
        yield from _flatten(vars(value))


def cache_hits(canaries):
    """Every canary in any entry of any configured local-memory cache (values unpickled)."""
    from django.conf import settings

    hits = []
    for alias in settings.CACHES:
        backend = caches[alias]
        store = getattr(backend, "_cache", None)
        if store is None:
            raise AssertionError(f"The sweep cannot read cache {alias!r}: use a local-memory cache in tests.")
        for key, raw in list(store.items()):
            blobs = [key.encode(), *_unpacked(raw)]
            try:
                blobs += list(_flatten(pickle.loads(raw)))  # noqa: S301 - our own test cache
            except Exception:  # noqa: BLE001, S110 - a value that does not unpickle is searched as bytes
                pass
            for canary in canaries:
                if any(_in_bytes(canary, blob) for blob in blobs):
                    hits.append(Hit(f"cache {alias!r} key {key}", canary))
    return hits


def _walk(storage, path=""):
    directories, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}" if path else name
    for directory in directories:
        yield from _walk(storage, f"{path}/{directory}" if path else directory)


def media_files(storage=None):
    storage = storage or default_storage
    try:
        return list(_walk(storage))
    except FileNotFoundError:
        return []


def media_hits(canaries, file_digests=(), storage=None):
    """Every canary in any stored file's name or bytes, and any file whose SHA-1 is a canary."""
    storage = storage or default_storage
    hits = []
    for name in media_files(storage):
        with storage.open(name) as handle:
            data = handle.read()
        if hashlib.sha1(data).hexdigest() in file_digests:  # noqa: S324 - Wagtail's file_hash
            hits.append(Hit(f"media file {name}", "image file contents"))
        for canary in canaries:
            if _in_bytes(canary, name.encode()) or _in_bytes(canary, data):
                hits.append(Hit(f"media file {name}", canary))
    return hits
