"""Security headers and sign-in lock-out glue for the Sixdegree site.

The Content-Security-Policy (settings `CONTENT_SECURITY_POLICY`) allows this site only, with no
inline script or style. The Wagtail admin cannot run under that: its inline panels and date
widgets write inline `<script>`, its editors and choosers set `style` attributes and show
`data:`/`blob:` image previews, and the page preview is framed by the editor. Those allowances
are added under `SIXDEGREE_CSP_ADMIN_PREFIXES` only, so the public pages keep the strict policy.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings

from sixdegree_cases.addresses import client_address

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
    """The client's address for django-axes, as the donations' rate limit reads it.

    Forwarding headers count only from `SIXDEGREE_TRUSTED_PROXIES` (sixdegree_cases.addresses):
    behind a load balancer, list it there and set SIXDEGREE_CLIENT_IP_HEADER, or every visitor
    shares one lock-out counter per username.
    """
    return client_address(request) or None
