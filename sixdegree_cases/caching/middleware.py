"""Serve anonymous page views from one pre-rendered entry, with one round trip to the cache.

Put `PageCacheMiddleware` first in `MIDDLEWARE`: an entry holds the headers every other
middleware added (security headers, the Content-Security-Policy, `Vary`), so a hit needs none
of them, and it answers before sessions, CSRF or the URL resolver run.

A request is looked up only if it is a GET that carries no session and no messages cookie, no
`Authorization` header, and no query parameter other than `QUERY_PARAMS` ("page"). A response is
stored only if a Wagtail page of one of `PAGE_TYPES` rendered it with status 200, as HTML,
setting no cookie, with no `private`/`no-cache`/`no-store` (Wagtail marks pages under view
restrictions so) and varying on nothing but `Cookie` and `Accept-Encoding`. A page that renders
a CSRF token sets a cookie, so it is never stored: forms on cached pages use
`{% csrf_token_for_sessions %}` and `csrf.session_csrf_protect` instead.
"""

import hashlib
import json
import logging
import re
import struct

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control, patch_vary_headers

from .. import get_case_model
from .backends import ALL, LISTS, get_page_cache, page_tag
from .breakers import log_failure
from .holes import (
    FiguresUnavailable,
    assemble,
    figures_etag,
    fill,
    interleave,
    new_nonce,
    pack_body,
    split_body,
    unpack_body,
)
from .sites import set_site_for_request

logger = logging.getLogger(__name__)

ACCEPTS_GZIP = re.compile(r"\bgzip\b(?!\s*;\s*q=0(?:\.0*)?\b)")
# Headers an entry never keeps: recomputed per response, or must never be replayed.
DROPPED_HEADERS = frozenset({"set-cookie", "content-length", "content-encoding", "date", "etag"})
ALLOWED_VARY = frozenset({"cookie", "accept-encoding"})
UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")
CACHE_HEADER = "X-Page-Cache"
# A `page` value that may be looked up: a page number, without leading zeros.
PAGE_NUMBER = re.compile(r"[1-9][0-9]{0,3}")


class PendingEntry:
    """What a miss needs to store its response: the key, the generation read before the view
    ran, (set by the `before_serve_page` hook) the page that was served, the holes the render
    left for figures (`holes`) with this request's marker value, and the page number a paginated
    page really showed."""

    __slots__ = ("digest", "generation", "page", "holes", "nonce", "page_number")

    def __init__(self, digest, generation):
        self.digest = digest
        self.generation = generation
        self.page = None
        self.holes = []
        self.nonce = new_nonce()
        self.page_number = None


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.always_skipped = tuple(
            prefix
            for prefix in (settings.STATIC_URL, settings.MEDIA_URL)
            if prefix and prefix.startswith("/")
        )
        self.private_cookies = (
            settings.SESSION_COOKIE_NAME,
            getattr(settings, "MESSAGE_COOKIE_NAME", "messages"),
        )

    def __call__(self, request):
        cache = get_page_cache()
        digest = self.digest(request, cache) if cache is not None else None
        if digest is None:
            if cache is not None and self.anonymous_page_view(request, cache):
                # Rendered outside the page cache (`?uncached=1`, another query string).
                set_site_for_request(request, cache)
            return self.get_response(request)
        try:
            blob, generation, found = cache.lookup_page(digest)
        except Exception as error:  # noqa: BLE001 - any cache failure serves the page uncached
            # Redis down or slow: serve the page uncached rather than fail.
            log_failure(logger, "Page cache lookup failed", error)
            return self.get_response(request)
        if blob is not None:
            try:
                return cached_response(request, blob, found, cache, generation)
            except FiguresUnavailable as error:
                # Its figures cannot be rendered: the page is rendered as a whole instead.
                logger.info("Page cache entry served uncached: %s", error)
            except Exception:
                logger.exception("Unreadable page cache entry")
        pending = PendingEntry(digest, generation)
        request._sixdegree_page_cache = pending
        set_site_for_request(request, cache)
        response = self.get_response(request)
        stored = packed = None
        if pending.page is not None and self.storable(request, response, pending, cache):
            stored, packed = self.store(request, response, pending, cache)
        if pending.holes and not response.streaming:
            # Holes are filled in every response of this render, stored or not.
            response = self.fill_holes(request, response, pending, cache, stored, packed)
        return response

    def anonymous_page_view(self, request, cache):
        """A GET of a page by a visitor with no session, whatever its query string."""
        path = request.path
        return (
            request.method == "GET"
            and not path.startswith(self.always_skipped)
            and not path.startswith(cache.skip_paths)
            and not any(name in request.COOKIES for name in self.private_cookies)
            and "HTTP_AUTHORIZATION" not in request.META
        )

    def digest(self, request, cache):
        """The entry key of a request that may be answered from the cache, else None."""
        if request.method != "GET":
            return None
        path = request.path
        if path.startswith(self.always_skipped) or path.startswith(cache.skip_paths):
            return None
        cookies = request.COOKIES
        if any(name in cookies for name in self.private_cookies) or "HTTP_AUTHORIZATION" in request.META:
            return None
        query = request.GET
        if query:
            if not cache.query_params.issuperset(query) or any(
                len(values) > 1 or not PAGE_NUMBER.fullmatch(values[0]) for _name, values in query.lists()
            ):
                return None
            query = "&".join(f"{k}={query[k]}" for k in sorted(query))
        else:
            query = ""
        host = request.META.get("HTTP_HOST", "").lower()
        url = f"{request.scheme}://{host}{path}?{query}"
        return hashlib.blake2b(url.encode(), digest_size=20).hexdigest()

    def storable(self, request, response, pending, cache):
        page = pending.page
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if page._meta.label_lower not in cache.page_types:
            return False
        if "page" in request.GET and request.GET["page"] != str(pending.page_number):
            # Only the page a paginated view really showed: `?page=999` (shown as the last
            # page) or `?page=2` of a page without pages would be copies without end.
            return False
        if not response.get("Content-Type", "").startswith("text/html") or response.has_header(
            "Content-Encoding"
        ):
            return False
        cache_control = response.get("Cache-Control", "").lower()
        if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
            return False
        vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
        return vary <= ALLOWED_VARY

    def store(self, request, response, pending, cache):
        """Store the response around its holes: (whether it was stored, its packed body)."""
        SurvivorCasePage = get_case_model()

        segments, holes = split_body(response.content, pending)
        etag = f'W/"{hashlib.blake2b(b"".join(segments), digest_size=16).hexdigest()}"'
        patch_vary_headers(response, ("Accept-Encoding",))
        if cache.cdn_max_age:
            patch_cache_control(response, max_age=0, s_maxage=cache.cdn_max_age)
        else:
            patch_cache_control(response, max_age=0)
        described, data = pack_body(segments)
        headers = [(k, v) for k, v in response.items() if k.lower() not in DROPPED_HEADERS]
        meta = {"status": response.status_code, "headers": headers, "etag": etag}
        meta.update(holes=holes, segments=described)
        meta = json.dumps(meta).encode()
        blob = struct.pack(">I", len(meta)) + meta + data

        page = pending.page
        tags = [ALL, page_tag(page.pk)]
        if not isinstance(page, SurvivorCasePage):
            # Home and index pages are dropped with any case (a case's figures are holes).
            tags.append(LISTS)
        try:
            stored = cache.store_page(pending.digest, blob, holes, tags, pending.generation)
        except Exception as error:  # noqa: BLE001 - a failed store must not fail the response
            log_failure(logger, "Page cache store failed", error)
            stored = False
        if not pending.holes:
            response[CACHE_HEADER] = "miss" if stored else "skip"
            response["ETag"] = etag
            if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
                compressed = assemble(unpack_body(described, data), [], gzipped=True)
                response.content = compressed
                response["Content-Encoding"] = "gzip"
                response["Content-Length"] = str(len(compressed))
        return stored, (described, data)

    def fill_holes(self, request, response, pending, cache, stored, packed):
        """The response with the figures in its holes (those of this request's render)."""
        segments, holes = split_body(response.content, pending)
        found, generation = None, pending.generation
        if stored:
            try:
                blob, generation, found = cache.lookup_page(pending.digest)
            except Exception as error:  # noqa: BLE001 - any cache failure serves the page uncached
                log_failure(logger, "Page cache lookup failed", error)
                found = None
            if found is not None and len(found) != len(holes):
                found = None
        try:
            if found is None:
                # Rendered here, not kept: versions that were not read cannot be checked.
                figures = fill(None, holes, [(None, None)] * len(holes), generation)
            else:
                figures = fill(cache, holes, found, generation)
        except FiguresUnavailable:
            # A case unpublished while the page rendered: everything is dropped at its commit.
            figures = [(b"", b"")] * len(holes)
        gzipped = bool(
            packed is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        )
        if gzipped:
            body = assemble(unpack_body(*packed), figures, gzipped=True)
        else:
            body = interleave(segments, figures)
        response.content = body
        if stored is not None:
            response[CACHE_HEADER] = "miss" if stored else "skip"
            etag = f'W/"{hashlib.blake2b(b"".join(segments), digest_size=16).hexdigest()}"'
            response["ETag"] = figures_etag(etag, figures)
            if gzipped:
                response["Content-Encoding"] = "gzip"
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(body))
        return response


def cached_response(request, blob, found, cache, generation):
    """The response a stored entry describes, its holes filled: gzip-compressed when the
    client accepts it."""
    (meta_length,) = struct.unpack_from(">I", blob)
    meta = json.loads(blob[4 : 4 + meta_length])
    holes = [tuple(hole) for hole in meta["holes"]]
    if found is None or len(found) != len(holes):
        raise ValueError("the entry's hole list does not match it")
    figures = fill(cache, holes, found, generation)
    etag = figures_etag(meta["etag"], figures)
    if_none_match = request.META.get("HTTP_IF_NONE_MATCH")
    if if_none_match and etag in {tag.strip() for tag in if_none_match.split(",")}:
        response = HttpResponseNotModified()
        for name, value in meta["headers"]:
            if name.lower() != "content-type":
                response[name] = value
    else:
        gzipped = ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) is not None
        body = assemble(unpack_body(meta["segments"], blob[4 + meta_length :]), figures, gzipped=gzipped)
        response = HttpResponse(body, status=meta["status"], headers=meta["headers"])
        if gzipped:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(body))
    response["ETag"] = etag
    response[CACHE_HEADER] = "hit"
    return response
