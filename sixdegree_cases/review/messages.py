"""The admin's messages about privacy review, in the project's words.

Wagtail says "Page '…' has been submitted for moderation." after a submission: it does not
say who looks at it, what they check or what happens next. The edit and create views add
that message before their `after_*_page` hooks run, so the hook rewords it in place.
"""

from django.contrib import messages as django_messages
from django.utils.html import escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .guard import is_reviewed_model

SUBMITTED = _(
    "“%(title)s” is with the privacy reviewers. Nothing goes live until a reviewer who did not "
    "write it approves this exact version, after the automated checks; you will be told of "
    "their decision by e-mail and on this page."
)
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")


def _wagtail_wordings(page):
    title = page.get_admin_display_title()
    # Wagtail's own strings, translated the way Wagtail translates them.
    return [
        gettext("Page '%(page_title)s' has been submitted for moderation.") % {"page_title": title},
        gettext("Page '%(page_title)s' created and submitted for moderation.") % {"page_title": title},
    ]


def reword_submitted(request, page):
    """Replace Wagtail's "submitted for moderation" message for a reviewed page type."""
    if request.method != "POST" or not any(request.POST.get(action) for action in SUBMIT_ACTIONS):
        return
    if not is_reviewed_model(page.specific_class):
        return
    queued = getattr(django_messages.get_messages(request), "_queued_messages", None) or []
    ours = escape(SUBMITTED % {"title": page.get_admin_display_title()})
    for message in reversed(queued):
        for theirs in _wagtail_wordings(page):
            text = str(message.message)
            if escape(theirs) in text:
                reworded = text.replace(escape(theirs), ours)
                # Wagtail's message is HTML (its "View draft" and "Edit" buttons): str.replace
                # drops its safeness, and the buttons showed as escaped markup.
                if isinstance(message.message, SafeData):
                    reworded = mark_safe(reworded)  # noqa: S308 - Wagtail's safe HTML, `ours` escaped
                message.message = reworded
                return
