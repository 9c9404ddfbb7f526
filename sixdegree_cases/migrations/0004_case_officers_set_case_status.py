"""Case officers set a case's lifecycle: give the existing group its permissions.

New installations get them from `review.roles.ensure_groups()`; a group that exists already
is left alone there, so it gets them here (the permissions are created first if the
`post_migrate` signal has not made them yet).
"""

from django.db import migrations

CODENAMES = {
    "add_caselifecycle": "Can add case lifecycle",
    "change_caselifecycle": "Can change case lifecycle",
    "view_caselifecycle": "Can view case lifecycle",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name="Case officers").first()
    if group is None:
        return
    content_type, _created = ContentType.objects.get_or_create(app_label="sixdegree_cases", model="caselifecycle")
    for codename, name in CODENAMES.items():
        permission, _created = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("sixdegree_cases", "0003_case_updates_and_lifecycle"),
        # The role groups are made there: this grants to the one that exists by then.
        ("sixdegree_review", "0002_roles_and_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
