"""Close three side doors of the roles that migration 0002 left open.

- Wagtail's default groups ("Editors", "Moderators") lose their page permissions on the case
  tree (the root, every case index, its ancestors and its descendants): with them a member
  edited, unpublished and re-restricted any case.
- The root's workflow becomes the privacy review when it is anything else (Wagtail's
  "Moderators approval"), so the home page and every other page are reviewed like a case.
- The two roles that upload images get the permissions Wagtail checks
  (`wagtailimages.add_image`, `wagtailimages.choose_image`): those on the custom image model,
  which 0002 granted, grant nothing.

Self-contained on purpose (historical models only); reversing changes nothing.
"""

from django.db import migrations

DEFAULT_WAGTAIL_GROUPS = ("Editors", "Moderators")
IMAGE_ROLES = ("Communications staff", "Case officers")
WRONG_IMAGE_CODENAMES = ("add_caseimage", "choose_image")
IMAGE_PERMISSIONS = [
    ("add_image", "Can add image"),
    ("choose_image", "Can choose image"),
]
STEPLEN = 4


def case_tree_page_ids(Page, CaseIndexPage):
    ids = set(Page.objects.filter(depth=1).values_list("pk", flat=True))
    for path in CaseIndexPage.objects.values_list("path", flat=True):
        ancestors = [path[:end] for end in range(STEPLEN, len(path) + 1, STEPLEN)]
        ids.update(Page.objects.filter(path__in=ancestors).values_list("pk", flat=True))
        ids.update(Page.objects.filter(path__startswith=path).values_list("pk", flat=True))
    return ids


def strip_default_groups(apps):
    Page = apps.get_model("wagtailcore", "Page")
    CaseIndexPage = apps.get_model("sixdegree_cases", "CaseIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupPagePermission.objects.filter(
        group__name__in=DEFAULT_WAGTAIL_GROUPS, page_id__in=case_tree_page_ids(Page, CaseIndexPage)
    ).delete()


def route_root_through_review(apps):
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    PrivacyReviewTask = apps.get_model("sixdegree_review", "PrivacyReviewTask")
    task_ids = list(PrivacyReviewTask.objects.filter(active=True).values_list("pk", flat=True))
    workflow = (
        Workflow.objects.filter(active=True, workflow_tasks__task_id__in=task_ids).order_by("pk").first()
    )
    if workflow is None:
        return
    for root in Page.objects.filter(depth=1):
        assignment = WorkflowPage.objects.filter(page_id=root.pk).first()
        if assignment is None:
            WorkflowPage.objects.create(page_id=root.pk, workflow=workflow)
        elif not assignment.workflow.workflow_tasks.filter(
            task_id__in=PrivacyReviewTask.objects.values("pk")
        ).exists():
            assignment.workflow = workflow
            assignment.save()


def grant_wagtail_image_permissions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    image_type, _ = ContentType.objects.get_or_create(app_label="wagtailimages", model="image")
    permissions = [
        Permission.objects.get_or_create(content_type=image_type, codename=codename, defaults={"name": name})[0]
        for codename, name in IMAGE_PERMISSIONS
    ]
    wrong = GroupCollectionPermission.objects.filter(
        group__name__in=IMAGE_ROLES,
        permission__content_type__app_label="sixdegree_images",
        permission__codename__in=WRONG_IMAGE_CODENAMES,
    )
    # Each collection where a role was meant to handle images gets the working permissions.
    for group_id, collection_id in set(wrong.values_list("group_id", "collection_id")):
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group_id=group_id, collection_id=collection_id, permission=permission
            )
    wrong.delete()


def close_side_doors(apps, schema_editor):
    strip_default_groups(apps)
    route_root_through_review(apps)
    grant_wagtail_image_permissions(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("sixdegree_review", "0003_live_case_alerts"),
        ("wagtailimages", "0027_image_description"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(close_side_doors, migrations.RunPython.noop)]
