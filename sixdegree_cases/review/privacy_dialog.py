"""Wagtail's privacy dialog, with the guard's refusal said inside the dialog.

The guard (`visibility`) refuses a privacy change that widens a live reviewed page by raising
`UnreviewedRevisionError`, a `PermissionDenied`: Wagtail's view lets it through, and the admin
answers with its generic "no permission" redirect, which the dialog cannot show. Here the
change is rolled back and the dialog shows the form again with the guard's own message.
"""

from django.db import transaction
from wagtail.admin.modal_workflow import render_modal_workflow
from wagtail.admin.views.page_privacy import SetPrivacyView

from .guard import UnreviewedRevisionError
from .visibility import refusal_message


class GuardedSetPrivacyView(SetPrivacyView):
    """`wagtailadmin_pages:set_privacy`, answering a refusal with its reason in the dialog."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except UnreviewedRevisionError as refusal:
            form.add_error(None, str(refusal.args[0]) if refusal.args else refusal_message())
            return self.form_invalid(form)

    def render_to_response(self, context, **response_kwargs):
        if not self.page.private_page_options:
            return super().render_to_response(context, **response_kwargs)
        return render_modal_workflow(
            self.request,
            "sixdegree_review/set_privacy.html",
            template_vars=context,
            json_data={"step": "set_privacy"},
            **response_kwargs,
        )
