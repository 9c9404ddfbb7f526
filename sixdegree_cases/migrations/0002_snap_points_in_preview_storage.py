"""Snap the points already held in Wagtail's preview storage (form data kept for a day)."""

from django.db import migrations


def snap_stored_previews(apps, schema_editor):
    from sixdegree_cases.geo.previews import snap_form_data

    FormState = apps.get_model("wagtailadmin", "FormState")
    for state in FormState.objects.only("pk", "data").iterator():
        snapped = snap_form_data(state.data)
        if snapped != state.data:
            FormState.objects.filter(pk=state.pk).update(data=snapped)


class Migration(migrations.Migration):
    dependencies = [
        ("sixdegree_cases", "0001_initial"),
        ("wagtailadmin", "0006_formstate"),
    ]

    operations = [migrations.RunPython(snap_stored_previews, migrations.RunPython.noop)]
