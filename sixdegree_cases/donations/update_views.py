"""The one-click unsubscribe link of update e-mails: works without signing in."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .update_mail import read_unsubscribe_token, unsubscribe


# RFC 8058: the mail client POSTs "List-Unsubscribe=One-Click"; the signed token is the authority.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe_updates(request, token):
    """Stop update e-mails about one case to one address. A forged or altered link changes
    nothing and says so; the answer is the same whether or not the address had gifts."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "sixdegree_donations/unsubscribed.html", {"invalid": True}, status=400)
    case_id, digest = found
    unsubscribe(case_id, digest)
    return render(request, "sixdegree_donations/unsubscribed.html")
