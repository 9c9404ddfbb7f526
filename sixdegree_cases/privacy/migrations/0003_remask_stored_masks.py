from django.db import migrations


def remask_stored(apps, schema_editor):
    from sixdegree_cases.privacy.remask import remask_stored as run

    run(apps, schema_editor)


class Migration(migrations.Migration):
    """Masks kept each word's first letter: re-mask stored reports and term log labels."""

    dependencies = [
        ("sixdegree_privacy", "0002_sensitive_term_variants"),
        ("sixdegree_review", "0002_roles_and_workflow"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(remask_stored, migrations.RunPython.noop)]
