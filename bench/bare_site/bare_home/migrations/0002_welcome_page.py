"""Replace the welcome page Wagtail's migrations create by a HomePage, as `wagtail start` does."""

from django.db import migrations


def create_home_page(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("home.HomePage")
    Locale = apps.get_model("wagtailcore.Locale")
    Page.objects.filter(depth=2, slug="home").delete()
    content_type, _created = ContentType.objects.get_or_create(model="homepage", app_label="home")
    home = HomePage.objects.create(
        title="Home",
        draft_title="Home",
        slug="home",
        content_type=content_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        live=True,
        locale=Locale.objects.order_by("pk").first(),
    )
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial")]

    operations = [migrations.RunPython(create_home_page, migrations.RunPython.noop)]
