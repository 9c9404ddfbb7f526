"""Security headers and sign-in lock-out glue for the Sixdegree site.

The Content-Security-Policy (settings `CONTENT_SECURITY_POLICY`) allows this site only, with no
inline script or style. The Wagtail admin cannot run under that: its inline panels and date
widgets write inline `<script>`, its editors and choosers set `style` attributes and show
`data:`/`blob:` image previews, and the page preview is framed by the editor. Those allowances
are added under `SIXDEGREE_CSP_ADMIN_PREFIXES` only, so the public pages keep the strict policy.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

ADMIN_PREFIXES = ("/admin/",)
ADMIN_ALLOWANCES = {
    "script-src": ["'unsafe-inline'"],
    "style-src": ["'unsafe-inline'"],
    "img-src": ["data:", "blob:"],
}
# The editor's live preview frames /admin/…/preview/ from the admin itself.
ADMIN_REPLACEMENTS = {"frame-ancestors": ["'self'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's allowances under the admin's paths."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "SIXDEGREE_CSP_ADMIN_PREFIXES", ADMIN_PREFIXES))
        if not report_only and request.path_info.startswith(prefixes):
            parts.update = {**ADMIN_ALLOWANCES, **(parts.update or {})}
            parts.replace = {**ADMIN_REPLACEMENTS, **(parts.replace or {})}
        elif not report_only and getattr(request, "is_dummy", False):
            # Wagtail renders a preview through a dummy request for the page's public path and
            # returns that response to the editor's preview frame: only the framing is relaxed.
            parts.replace = {**ADMIN_REPLACEMENTS, **(parts.replace or {})}
        return parts


def client_ip(request):
    """The client's address for django-axes, read as the donations' rate limit reads it.

    Behind a load balancer REMOTE_ADDR is the balancer's: set SIXDEGREE_CLIENT_IP_HEADER to the
    header it writes the client's address in (e.g. HTTP_X_FORWARDED_FOR), or every visitor
    shares one lock-out counter. The right-most address is the one the trusted proxy saw.
    """
    header = getattr(settings, "SIXDEGREE_CLIENT_IP_HEADER", "")
    if header and request.META.get(header):
        return request.META[header].split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR") or None
