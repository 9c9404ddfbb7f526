"""CSRF protection for forms on cached pages, which must not set a CSRF cookie.

A cached page is the same bytes for every anonymous visitor, so it cannot carry a per-visitor
CSRF token, and rendering one would set a cookie (and make the page uncacheable). Forms on such
pages — the donate form — use `{% csrf_token_for_sessions %}` and a view decorated with
`session_csrf_protect`, which decide the same way:

- a request that carries a **session cookie** (a signed-in donor, an editor) acts with that
  session's authority, so it gets Django's full CSRF check, token included; the page it saw
  was rendered for it, uncached, with the token in the form;
- a request **without a session cookie** carries no authority an attacker lacks: a forged
  cross-site POST can do nothing the attacker could not do by posting directly. It must still
  come from this site: a browser's `Origin` header (or, without one, over HTTPS, its `Referer`)
  must name this host, and `Sec-Fetch-Site` must not say "cross-site" or "same-site". Rate
  limits and validation in the view do the rest.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def _origin(scheme, netloc):
    return f"{scheme}://{netloc}".lower()


def from_this_site(request):
    """Whether a session-less unsafe request comes from one of this site's own pages."""
    if request.META.get("HTTP_SEC_FETCH_SITE", "") in ("cross-site", "same-site"):
        return False
    here = _origin(request.scheme, request.get_host())
    trusted = {origin.lower() for origin in getattr(settings, "CSRF_TRUSTED_ORIGINS", [])}
    origin = request.META.get("HTTP_ORIGIN")
    if origin is not None:
        return origin.lower() in {here} | trusted
    referer = request.META.get("HTTP_REFERER")
    if referer:
        parts = urlsplit(referer)
        return _origin(parts.scheme, parts.netloc) in {here} | trusted
    # No Origin and no Referer: not a browser's cross-site form post over HTTPS. Over HTTPS,
    # follow Django and refuse (a stripped Referer cannot be told apart from a forged one).
    return not request.is_secure()


def _reject(request, reason):
    return import_string(settings.CSRF_FAILURE_VIEW)(request, reason=reason)


def session_csrf_protect(view):
    """Django's CSRF check for requests with a session; a same-origin check for the rest."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # The test client's "don't enforce" flag, honoured as Django's own check honours it.
        if request.method not in SAFE_METHODS and not getattr(request, "_dont_enforce_csrf_checks", False):
            if settings.SESSION_COOKIE_NAME in request.COOKIES:
                rejection = CsrfViewMiddleware(_unused).process_view(request, None, (), {})
                if rejection is not None:
                    return rejection
            elif not from_this_site(request):
                return _reject(request, "Origin checking failed: the form was not sent from this site.")
        return view(request, *args, **kwargs)

    return csrf_exempt(wrapped)


def _unused(request):  # pragma: no cover - CsrfViewMiddleware needs a get_response
    raise AssertionError
