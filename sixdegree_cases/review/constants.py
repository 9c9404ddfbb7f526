"""Named values of the privacy review: roles, the checklist, review states."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# --- Roles (Django groups, created by migration 0002 and editable in the admin) -------------

COMMUNICATIONS_STAFF = "Communications staff"
PRIVACY_REVIEWERS = "Privacy reviewers"
CASE_OFFICERS = "Case officers"

WORKFLOW_NAME = "Privacy review"
TASK_NAME = "Privacy review"

# Page permissions each role holds on every case index and the cases below it. Nobody holds
# "publish": a case goes live only when a privacy reviewer approves it (see guard.py).
PAGE_PERMISSIONS = {
    COMMUNICATIONS_STAFF: ["add_page", "change_page"],
    CASE_OFFICERS: ["add_page", "change_page"],
    PRIVACY_REVIEWERS: [],
}

# Wagtail's own groups (created by its migrations with add/change/publish on the root). Only
# the roles above act on the case tree: these keep no page permission on it.
DEFAULT_WAGTAIL_GROUPS = ("Editors", "Moderators")

# Model permissions as (app_label, model, codename).
ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin")
VIEW_REVIEWS = ("sixdegree_review", "reviewapproval", "view_reviewapproval")
# Wagtail checks image permissions against `wagtailimages.Image` whatever the image model is
# (`wagtail.images.get_permission_policy`): permissions on the custom model grant nothing.
IMAGE_PERMISSIONS = [
    ("wagtailimages", "image", "add_image"),
    ("wagtailimages", "image", "choose_image"),
]
PRIVACY_VIEW_PERMISSIONS = [
    ("sixdegree_privacy", "sensitiveterm", "view_sensitiveterm"),
    ("sixdegree_privacy", "consentrecord", "view_consentrecord"),
]
PRIVACY_EDIT_PERMISSIONS = [
    ("sixdegree_privacy", "sensitiveterm", "add_sensitiveterm"),
    ("sixdegree_privacy", "sensitiveterm", "change_sensitiveterm"),
    ("sixdegree_privacy", "sensitiveterm", "view_sensitiveterm"),
    ("sixdegree_privacy", "consentrecord", "add_consentrecord"),
    ("sixdegree_privacy", "consentrecord", "change_consentrecord"),
    ("sixdegree_privacy", "consentrecord", "view_consentrecord"),
    ("sixdegree_privacy", "consentrecord", "withdraw_consent"),
]

# Collection-wide permissions (images are permitted per collection in Wagtail).
COLLECTION_PERMISSIONS = {
    COMMUNICATIONS_STAFF: IMAGE_PERMISSIONS,
    CASE_OFFICERS: IMAGE_PERMISSIONS,
    PRIVACY_REVIEWERS: [],
}

# Case officers set a case's lifecycle (fundraising → funded → in progress → completed).
CASE_STATUS_PERMISSIONS = [
    ("sixdegree_cases", "caselifecycle", "add_caselifecycle"),
    ("sixdegree_cases", "caselifecycle", "change_caselifecycle"),
    ("sixdegree_cases", "caselifecycle", "view_caselifecycle"),
]

MODEL_PERMISSIONS = {
    COMMUNICATIONS_STAFF: [ACCESS_ADMIN, VIEW_REVIEWS],
    PRIVACY_REVIEWERS: [ACCESS_ADMIN, VIEW_REVIEWS, *PRIVACY_VIEW_PERMISSIONS],
    CASE_OFFICERS: [ACCESS_ADMIN, VIEW_REVIEWS, *PRIVACY_EDIT_PERMISSIONS, *CASE_STATUS_PERMISSIONS],
}


# --- The reviewer's checklist ----------------------------------------------------------------

CHECKLIST = {
    "identifying_details_changed": _(
        "Identifying details are changed: no real name, village, employer, vessel, agency or exact date."
    ),
    "no_identifiable_person": _("No identifiable person appears in any image."),
    "consent_verified": _("The survivor's consent is recorded and covers what is published."),
    "locations_coarse": _("Every location is coarse: a large town, a region or a country."),
}


# --- Review states of a case (the admin listing) ---------------------------------------------


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft, not submitted")
    IN_REVIEW = "in_review", _("In privacy review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    SCHEDULED = "scheduled", _("Approved, scheduled")
    LIVE = "live", _("Approved and live")
    LIVE_WITH_DRAFT = "live_with_draft", _("Live, with an unreviewed draft")

    @classmethod
    def label_of(cls, value):
        """The label of a state; an unknown value as it is."""
        return cls(value).label if value in cls.values else value


# --- Audit log actions -----------------------------------------------------------------------

LOG_APPROVE = "sixdegree_review.approve"
LOG_PUBLISH_REFUSED = "sixdegree_review.publish_refused"
LOG_AUDIT_UNPUBLISH = "sixdegree_review.audit_unpublish"
LOG_ALERT_UNPUBLISH = "sixdegree_review.alert_unpublish"
