"""Holes in cached pages: a case's funding figures, filled in when the page is served.

A case page, the case index and the home page show figures that change with every gift
(raised, target, percent, donors, the progress bar, "funded", whether the donate form is open,
the named supporters). Kept in the page's entry, each gift would evict every page that shows
the case. Instead, `{% figures_hole "progress" case %}` leaves a hole in a render that is
going to the page cache: the entry stores the page around its holes, and each hole is filled
at serve time from the case's *figures entry* (that block, rendered once per change of the
case's totals, per language), read in the same round trip to Redis as the page itself.
A confirmation rewrites the case's figures entries when it commits (`refresh_figures`) and
never touches a page; publishing still drops everything.

- The markers a render leaves carry a random value drawn for that request (`PendingEntry`):
  nothing an editor writes, nor an old render, can be taken for a hole.
- Figures are rendered from the case alone (no request, so never a CSRF token or anything of
  a visitor's), by the same templates as an uncached page.
- Each case has a figures version (`backends`): figures read before a change of the totals
  are never stored after it; a store that loses this race leaves the entry missing, and the
  next view renders it from PostgreSQL.

The body is kept as segments, each a raw deflate stream ending on a byte boundary
(`Z_SYNC_FLUSH`) with its length and CRC; figures entries hold their text and the same
stream, so a gzip answer is the segments' and figures' compressed bytes one after the other,
with a header and a trailer: no compression at serve time, and an entry no bigger than the
gzip page it replaces.
"""

import hashlib
import logging
import re
import secrets
import struct
import zlib

from django.conf import settings
from django.db import transaction
from django.template.loader import get_template
from django.utils import translation
from django.utils.safestring import mark_safe

from .. import get_case_model
from . import reads
from .backends import get_page_cache
from .breakers import log_failure
from .in_flight import figures_in_flight

logger = logging.getLogger(__name__)

# What each kind of hole shows; rendered with `case` (and `page`) only.
HOLE_TEMPLATES = {
    "progress": "sixdegree_donations/includes/progress.html",
    "donation": "sixdegree_cases/includes/donation.html",
}
MARKER = re.compile(r"<!--sixdegree-hole:([0-9a-f]{32}):([0-9]{1,4})-->")
MARKER_PREFIX = "<!--sixdegree-hole:"
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
DEFLATE_END = b"\x03\x00"  # an empty final block: ends the concatenated deflate streams


def new_nonce():
    return secrets.token_hex(16)


def compress_segment(data):
    """`data` as a raw deflate stream that ends on a byte boundary, not as the final block."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_SYNC_FLUSH)


def pack_figures(html):
    raw = html.encode()
    return struct.pack(">I", len(raw)) + raw + compress_segment(raw)


def unpack_figures(blob):
    (length,) = struct.unpack_from(">I", blob)
    return blob[4 : 4 + length], blob[4 + length :]


# --- While a page renders -------------------------------------------------------------------


def render_figures(kind, case, context=None):
    """The block of `kind` for `case`: in the page's context (a visitor with a session gets
    their CSRF token), or on its own for a figures entry."""
    template = get_template(HOLE_TEMPLATES[kind])
    values = {"case": case, "page": case}
    if context is not None:
        values["request"] = context.get("request")
        return template.template.render(context.new(values))
    return template.render(values)


def hole_or_figures(context, kind, case):
    """What `{% figures_hole %}` puts in the page: a hole when the render goes to the page
    cache, the figures themselves otherwise (previews, visitors with a session, no cache)."""
    if kind not in HOLE_TEMPLATES:
        raise ValueError(f"Unknown figures hole {kind!r}")
    request = context.get("request")
    if (
        request is None
        or getattr(request, "is_preview", False)
        or not getattr(case, "pk", None)
        or not getattr(case, "live", False)
    ):
        return render_figures(kind, case, context)
    pending = getattr(request, "_sixdegree_page_cache", None)
    if pending is None:
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            # Their donate form carries their CSRF token: rendered for them.
            return render_figures(kind, case, context)
        return kept_figures(kind, case, request)
    index = len(pending.holes)
    pending.holes.append((case.pk, kind, translation.get_language() or settings.LANGUAGE_CODE))
    return mark_safe(f"{MARKER_PREFIX}{pending.nonce}:{index}-->")  # noqa: S308 - our own marker


def kept_figures(kind, case, request=None):
    """The case's figures entry, rendered and kept when missing: a page rendered without the
    page cache (another query string, a page not stored) still renders its figures once per
    change of the case's totals. Anything that goes wrong renders them here."""
    cache = get_page_cache()
    language = translation.get_language() or settings.LANGUAGE_CODE
    if cache is None:
        return render_figures(kind, case)
    try:
        blob, generation, version = reads.lookup_figures(cache, case.pk, kind, language, request)
    except Exception as error:  # noqa: BLE001 - any cache failure degrades to rendering the figures
        log_failure(logger, "Page cache figures lookup failed", error)
        return render_figures(kind, case)
    if blob is not None:
        return mark_safe(unpack_figures(blob)[0].decode())  # noqa: S308 - rendered by our template
    # Read anew: the case's totals may be older than the version just read.
    try:
        fresh = load_cases([case.pk]).get(case.pk)
    except FiguresUnavailable:
        fresh = None
    if fresh is None:
        return render_figures(kind, case)
    html = render_figures(kind, fresh)
    try:
        cache.store_figures(case.pk, {(kind, language): pack_figures(html)}, generation, version)
    except Exception as error:  # noqa: BLE001 - a failed store only costs a later re-render
        log_failure(logger, "Page cache figures store failed", error)
    return html


# --- Storing a page with holes ----------------------------------------------------------------


def split_body(body, pending):
    """The body's text segments around its holes, and the holes (case_id, kind, language) in
    the order they appear.

    Only markers with this request's value count (`pending.nonce`): anything else that looks
    like a marker (an editor's text, a block kept from an earlier render) is page content.
    """
    text = body.decode()
    segments, holes, position = [], [], 0
    for match in MARKER.finditer(text):
        index = int(match.group(2))
        if match.group(1) != pending.nonce or index >= len(pending.holes):
            continue
        segments.append(text[position : match.start()].encode())
        holes.append(pending.holes[index])
        position = match.end()
    segments.append(text[position:].encode())
    return segments, holes


def pack_body(segments):
    """(segment descriptions, bytes) of the body's segments, kept compressed only.

    Each description is [text length, compressed length, CRC-32 of the text, CRC-32 of as many
    zero bytes]: enough to compute the gzip trailer of any body the segments are part of
    (`assemble`) without their text.
    """
    compressed = [compress_segment(segment) for segment in segments]
    described = [
        [len(s), len(c), zlib.crc32(s), zlib.crc32(zeros(len(s)))]
        for s, c in zip(segments, compressed, strict=True)
    ]
    return described, b"".join(compressed)


def unpack_body(described, data):
    """[(description, compressed bytes)] of each segment."""
    segments, offset = [], 0
    for description in described:
        segments.append((description, data[offset : offset + description[1]]))
        offset += description[1]
    return segments


_ZEROS = bytes(1 << 20)


def zeros(length):
    return memoryview(_ZEROS)[:length] if length <= len(_ZEROS) else bytes(length)


# --- Serving: the page around its figures -------------------------------------------------------


class FiguresUnavailable(Exception):
    """A hole could not be filled (its case is gone, or PostgreSQL is away)."""


def fill(cache, holes, found, generation):
    """The (text, compressed) figures of each hole, rendering (and keeping) the missing ones.

    `found` lists (figures blob or None, figures version) per hole, as `lookup_page` read
    them; versions were read before any totals are, so what is rendered here is stored only if
    no gift was counted meanwhile. Figures another thread of this process is rendering for the
    same version are waited for, not rendered again (`in_flight`).
    """
    filled = [unpack_figures(blob) if blob is not None else None for blob, _version in found]
    missing = {}
    for index, (case_id, kind, language) in enumerate(holes):
        if filled[index] is None:
            missing.setdefault((case_id, kind, language, found[index][1]), []).append(index)
    if not missing:
        return filled
    if cache is None:
        # Versions that were not read cannot be shared or checked: rendered here, not kept.
        blobs = render_figures_for(None, missing, generation)
    else:
        blobs = _render_once(cache, missing, generation)
    for key, indexes in missing.items():
        for i in indexes:
            filled[i] = unpack_figures(blobs[key])
    return filled


def _render_once(cache, keys, generation):
    """{key: blob} for `keys` (case_id, kind, language, figures version): rendered here, or
    by the thread of this process already rendering the same figures."""
    mine, theirs = figures_in_flight.claim([(*key, generation) for key in keys])
    results = {}
    try:
        if mine:
            results = render_figures_for(cache, [key[:4] for key in mine], generation)
    finally:
        figures_in_flight.finish(mine, {(*key, generation): blob for key, blob in results.items()})
    blobs = dict(results)
    failed = []
    for key, render in theirs.items():
        blob = figures_in_flight.wait(render)
        if blob is None:
            failed.append(key[:4])
        else:
            blobs[key[:4]] = blob
    if failed:
        blobs.update(render_figures_for(cache, failed, generation))
    return blobs


def render_figures_for(cache, keys, generation):
    """{(case_id, kind, language, version): figures blob}, rendered from PostgreSQL and kept
    (when `cache` is given) unless the generation or the case's figures version moved on."""
    wanted = {}
    for case_id, kind, language, version in keys:
        wanted.setdefault((case_id, version), []).append((kind, language))
    cases = load_cases({case_id for case_id, _version in wanted})
    blobs = {}
    for (case_id, version), kinds in wanted.items():
        case = cases.get(case_id)
        if case is None:
            raise FiguresUnavailable(f"case {case_id} is not live")
        rendered = {}
        for kind, language in kinds:
            with translation.override(language):
                rendered[(kind, language)] = pack_figures(render_figures(kind, case))
            blobs[(case_id, kind, language, version)] = rendered[(kind, language)]
        if cache is not None:
            try:
                cache.store_figures(case_id, rendered, generation, version)
            except Exception as error:  # noqa: BLE001 - a failed store only costs a later re-render
                log_failure(logger, "Page cache figures store failed", error)
    return blobs


def load_cases(case_ids):
    """The live, public cases among `case_ids`, with their totals, by id."""
    SurvivorCasePage = get_case_model()
    from ..prefetch import with_funding
    from ..restrictions.queries import public

    try:
        cases = with_funding(public(SurvivorCasePage.objects.live().filter(pk__in=list(case_ids))))
        return {case.pk: case for case in cases}
    except Exception as error:
        raise FiguresUnavailable("the cases' totals cannot be read") from error


def assemble(segments, figures, *, gzipped):
    """The body: `segments` (from `unpack_body`) with the figures in between, as one gzip
    stream or as text.

    The CRC-32 of the whole text is computed from each segment's own (CRC is affine: the CRC
    of B continuing from c is crc(zeros, c) ^ crc(B) ^ crc(zeros) for as many zeros as B has
    bytes), so the text of the page is never needed: only its compressed segments are kept.
    """
    (first_description, first), rest = segments[0], segments[1:]
    crc, length = first_description[2], first_description[0]
    stream = [GZIP_HEADER, first]
    for (raw, z), ((text_length, _z_length, text_crc, zero_crc), segment) in zip(figures, rest, strict=True):
        crc = zlib.crc32(raw, crc)
        crc = zlib.crc32(zeros(text_length), crc) ^ text_crc ^ zero_crc
        length += len(raw) + text_length
        stream += [z, segment]
    stream += [DEFLATE_END, struct.pack("<II", crc, length & 0xFFFFFFFF)]
    body = b"".join(stream)
    if gzipped:
        return body
    return zlib.decompress(body, 16 + zlib.MAX_WBITS)


def interleave(segments, figures):
    """The text of a body: its text segments with the figures' text in between."""
    parts = [segments[0]]
    for (raw, _z), segment in zip(figures, segments[1:], strict=True):
        parts += [raw, segment]
    return b"".join(parts)


def figures_etag(etag, figures):
    """The entry's ETag changed by the figures it is served with."""
    if not figures:
        return etag
    digest = hashlib.blake2b(etag.encode(), digest_size=16)
    for raw, _z in figures:
        digest.update(raw)
    return f'W/"{digest.hexdigest()}"'


# --- A gift was counted -------------------------------------------------------------------------


class FiguresRefresh:
    """The on-commit callback of `refresh_figures` (recognisable, so it is queued once)."""

    def __init__(self, case_id):
        self.case_id = int(case_id)
        self.ran = False

    def __call__(self):
        self.ran = True
        rewrite_figures(self.case_id)


def refresh_figures(case_id, *, using=None):
    """A case's totals changed: rewrite its figures entries once the change is committed.

    Pages that show the case are not touched. Safe to call inside a transaction (the
    figures are read after the commit, so they include it) and more than once: a confirmation
    both saves the totals and changes a status, and the figures are rendered once.
    """
    if get_page_cache() is None:
        return
    connection = transaction.get_connection(using)
    if connection.in_atomic_block:
        # Already queued: it runs after this change too. A queued callback is dropped only by
        # the rollback of a savepoint still open (released ones are never rolled back), and
        # that rollback discards this change as well.
        for _savepoints, func, _robust in connection.run_on_commit:
            if isinstance(func, FiguresRefresh) and func.case_id == int(case_id) and not func.ran:
                return
    transaction.on_commit(FiguresRefresh(case_id), using=using)


def rewrite_figures(case_id):
    """Move the case's figures version on, drop its figures entries, and render anew those
    that existed (so the next view of any page showing the case needs no render)."""
    cache = get_page_cache()
    if cache is None:
        return
    try:
        version, generation, dropped = cache.begin_figures_change(case_id)
    except Exception:
        # Pages then show these figures until Redis is back (the whole cache is dropped then).
        logger.exception("Page cache: the figures of case %s could not be refreshed", case_id)
        return
    keys = [
        (int(case_id), kind, language, version)
        for kind, language in dropped
        if kind in HOLE_TEMPLATES and language in dict(settings.LANGUAGES)
    ]
    if not keys:
        return
    # Views of this process that find them missing meanwhile wait for these renders.
    mine, _theirs = figures_in_flight.claim([(*key, generation) for key in keys])
    if not mine:
        return  # views of this process are rendering them already
    results = {}
    try:
        results = render_figures_for(cache, [key[:4] for key in mine], generation)
    except FiguresUnavailable as error:
        # Not live any more, or PostgreSQL away: the next view renders them (or finds no case).
        logger.info("Page cache: the figures of case %s were dropped, not rewritten: %s", case_id, error)
    except Exception:
        # Dropped already: the next view renders them.
        logger.exception("Page cache: the figures of case %s were dropped, not rewritten", case_id)
    finally:
        figures_in_flight.finish(mine, {(*key, generation): blob for key, blob in results.items()})
