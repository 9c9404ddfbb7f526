"""Create the three roles and the "Privacy review" workflow, and set up existing case indexes.

Permission rows are looked up or created by codename (Django only creates them after
`migrate`), so a fresh database gets the same roles as an existing one. Later changes made in
the admin are kept: this runs once.
"""

from django.db import migrations

COMMUNICATIONS_STAFF = "Communications staff"
PRIVACY_REVIEWERS = "Privacy reviewers"
CASE_OFFICERS = "Case officers"

ACCESS_ADMIN = ("wagtailadmin", "admin", "access_admin", "Can access Wagtail admin")
VIEW_REVIEWS = ("sixdegree_review", "reviewapproval", "view_reviewapproval", "Can view review approval")
IMAGES = [
    ("sixdegree_images", "caseimage", "add_caseimage", "Can add image"),
    ("sixdegree_images", "caseimage", "choose_image", "Can choose image"),
]
PRIVACY_VIEW = [
    ("sixdegree_privacy", "sensitiveterm", "view_sensitiveterm", "Can view sensitive term"),
    ("sixdegree_privacy", "consentrecord", "view_consentrecord", "Can view consent record"),
]
PRIVACY_EDIT = [
    ("sixdegree_privacy", "sensitiveterm", "add_sensitiveterm", "Can add sensitive term"),
    ("sixdegree_privacy", "sensitiveterm", "change_sensitiveterm", "Can change sensitive term"),
    ("sixdegree_privacy", "consentrecord", "add_consentrecord", "Can add consent record"),
    ("sixdegree_privacy", "consentrecord", "change_consentrecord", "Can change consent record"),
    (
        "sixdegree_privacy",
        "consentrecord",
        "withdraw_consent",
        "Can withdraw a survivor's consent and erase her story",
    ),
    *PRIVACY_VIEW,
]

ROLES = {
    COMMUNICATIONS_STAFF: {"model": [ACCESS_ADMIN, VIEW_REVIEWS], "collection": IMAGES, "page": ["add", "change"]},
    PRIVACY_REVIEWERS: {"model": [ACCESS_ADMIN, VIEW_REVIEWS, *PRIVACY_VIEW], "collection": [], "page": []},
    CASE_OFFICERS: {"model": [ACCESS_ADMIN, VIEW_REVIEWS, *PRIVACY_EDIT], "collection": IMAGES, "page": ["add", "change"]},
}


def permission(apps, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )
    return found


def create_roles_and_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    PrivacyReviewTask = apps.get_model("sixdegree_review", "PrivacyReviewTask")
    CaseIndexPage = apps.get_model("sixdegree_cases", "CaseIndexPage")

    root_collection = Collection.objects.filter(depth=1).first()
    groups = {}
    for name, role in ROLES.items():
        group, created = Group.objects.get_or_create(name=name)
        groups[name] = group
        if not created:
            continue
        group.permissions.add(*(permission(apps, *spec) for spec in role["model"]))
        if root_collection is not None:
            for spec in role["collection"]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission(apps, *spec)
                )

    task = PrivacyReviewTask.objects.filter(active=True).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(app_label="sixdegree_review", model="privacyreviewtask")
        task = PrivacyReviewTask.objects.create(name="Privacy review", active=True, content_type=task_type)
        task.groups.add(groups[PRIVACY_REVIEWERS])
    workflow = Workflow.objects.filter(active=True, workflow_tasks__task_id=task.pk).first()
    if workflow is None:
        workflow = Workflow.objects.create(name="Privacy review", active=True)
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)

    page_permissions = {
        action: permission(apps, "wagtailcore", "page", f"{action}_page", f"Can {action} page")
        for action in ("add", "change")
    }
    for index in CaseIndexPage.objects.all():
        if WorkflowPage.objects.filter(page_id=index.pk).exists():
            continue
        WorkflowPage.objects.create(page_id=index.pk, workflow=workflow)
        for name, role in ROLES.items():
            for action in role["page"]:
                GroupPagePermission.objects.get_or_create(
                    group=groups[name], page_id=index.pk, permission=page_permissions[action]
                )


class Migration(migrations.Migration):
    dependencies = [
        ("sixdegree_review", "0001_initial"),
        ("sixdegree_cases", "0001_initial"),
        ("sixdegree_images", "0001_initial"),
        ("sixdegree_privacy", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    # Reversing leaves the groups and the workflow: they may hold people and history.
    operations = [migrations.RunPython(create_roles_and_workflow, migrations.RunPython.noop)]
