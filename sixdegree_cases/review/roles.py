"""The three roles, the "Privacy review" workflow and their place on every case index.

Migration 0002 creates the groups and the workflow; `setup_case_index` (run when a case index
is created) assigns the workflow to the index and gives the roles their page permissions
below it. Migration 0003 takes the case tree away from Wagtail's default groups and routes the
whole page tree through the privacy review. `ensure_review_setup()` does all of it,
idempotently, for code that builds a site (the demo loader) or a database emptied by tests.
What already exists is left as it is, so roles edited in the admin stay as edited; the two
safety rules (no default group on the case tree, the privacy review on the root) are restored.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
    get_page_models,
)

from .constants import (
    COLLECTION_PERMISSIONS,
    DEFAULT_WAGTAIL_GROUPS,
    MODEL_PERMISSIONS,
    PAGE_PERMISSIONS,
    PRIVACY_REVIEWERS,
    TASK_NAME,
    WORKFLOW_NAME,
)
from .guard import has_review_mixin


def find_permissions(specs):
    """Existing Permission rows for (app_label, model, codename) triples; missing ones skipped."""
    permissions = []
    for app_label, model, codename in specs:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).first()
        if permission is not None:
            permissions.append(permission)
    return permissions


def ensure_groups():
    """The three role groups by name; a group created here gets its default permissions."""
    groups = {}
    for name, specs in MODEL_PERMISSIONS.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            group.permissions.add(*find_permissions(specs))
            root_collection = Collection.get_first_root_node()
            if root_collection is not None:
                for permission in find_permissions(COLLECTION_PERMISSIONS[name]):
                    GroupCollectionPermission.objects.get_or_create(
                        group=group, collection=root_collection, permission=permission
                    )
        groups[name] = group
    return groups


def ensure_workflow(reviewers=None):
    """The active workflow holding the active privacy review task (created if missing)."""
    from .models import PrivacyReviewTask

    task = PrivacyReviewTask.objects.filter(active=True).order_by("pk").first()
    if task is None:
        task = PrivacyReviewTask.objects.create(name=TASK_NAME)
    if not task.groups.exists():
        # A task without groups could never be approved (a deleted group takes its link along).
        task.groups.set([reviewers or ensure_groups()[PRIVACY_REVIEWERS]])
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task=task).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=WORKFLOW_NAME)
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def case_index_models():
    """Page models that may hold cases (the case index)."""
    models = set()
    for model in get_page_models():
        if has_review_mixin(model):
            models.update(parent for parent in model.allowed_parent_page_models() if parent is not Page)
    return sorted(models, key=lambda model: model._meta.label)


@transaction.atomic
def setup_case_index(index, workflow=None, groups=None):
    """Assign the privacy review workflow to `index` and the roles' page permissions on it.

    An index that already has a workflow of its own is left alone (it was set up, or someone
    chose another workflow in the admin; the publishing guard holds either way).
    """
    if WorkflowPage.objects.filter(page_id=index.pk).exists():
        return False
    groups = groups or ensure_groups()
    workflow = workflow or ensure_workflow(groups[PRIVACY_REVIEWERS])
    WorkflowPage.objects.create(page_id=index.pk, workflow=workflow)
    for name, codenames in PAGE_PERMISSIONS.items():
        for permission in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=codenames
        ):
            GroupPagePermission.objects.get_or_create(
                group=groups[name], page_id=index.pk, permission=permission
            )
    return True


def case_tree_filter(index_paths):
    """A `Q` on pages for the case tree: every case index, its ancestors and its descendants.

    A permission on an ancestor (the root, the home page) reaches every case below it, so the
    ancestors belong to the case tree as much as the cases do.
    """
    query = Q(pk__in=[])
    for path in index_paths:
        ancestors = [path[:end] for end in range(Page.steplen, len(path) + 1, Page.steplen)]
        query |= Q(path__in=ancestors) | Q(path__startswith=path)
    return query


def strip_default_groups():
    """Remove the page permissions Wagtail's default groups hold on the case tree.

    Wagtail's migrations give "Editors" add/change and "Moderators" add/change/publish/lock on
    the root: with them a member could edit, unpublish or re-restrict any case. Returns the
    number of permissions removed.
    """
    models = case_index_models()
    index_paths = list(Page.objects.type(*models).values_list("path", flat=True)) if models else []
    roots = list(Page.objects.filter(depth=1).values_list("path", flat=True))
    query = case_tree_filter(index_paths) | Q(path__in=roots)
    removed, _details = GroupPagePermission.objects.filter(
        group__name__in=DEFAULT_WAGTAIL_GROUPS, page__in=Page.objects.filter(query)
    ).delete()
    return removed


def route_tree_through_review(workflow):
    """Give every root page the privacy review workflow, so every page can be submitted to it.

    Wagtail's "Moderators approval" workflow on the root would let a Moderator approve the home
    page: a root workflow without the privacy review task is replaced. Pages with a workflow
    of their own (the case indexes) keep it.
    """
    from .models import PrivacyReviewTask

    review_tasks = PrivacyReviewTask.objects.values("pk")
    for root in Page.objects.filter(depth=1):
        assignment = WorkflowPage.objects.filter(page=root).first()
        if assignment is None:
            WorkflowPage.objects.create(page=root, workflow=workflow)
        elif not assignment.workflow.workflow_tasks.filter(task__in=review_tasks).exists():
            assignment.workflow = workflow
            assignment.save()


@transaction.atomic
def ensure_review_setup():
    """Roles, the workflow, every case index set up and the default groups off the case tree.

    Safe to call any number of times.
    """
    groups = ensure_groups()
    workflow = ensure_workflow(groups[PRIVACY_REVIEWERS])
    models = case_index_models()
    if models:
        for index in Page.objects.type(*models):
            setup_case_index(index, workflow, groups)
    strip_default_groups()
    route_tree_through_review(workflow)
    return workflow
