"""An image's title and alt text never come from its file name ("xiao_village_2021.jpg" can
identify): uploads get a neutral title, and alt text is written by a person where it is used."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageBlock

from tests.privacy.helpers import jpeg_bytes, landscape, upload_image

CaseImage = get_image_model()
FILE_NAME = "xiao_village_2021_03.jpg"


@pytest.fixture
def editor_client(client, django_user_model, home):
    client.force_login(django_user_model.objects.create_superuser("ed", "ed@example.org", "pw"))
    return client


def upload():
    return SimpleUploadedFile(FILE_NAME, jpeg_bytes(landscape()), content_type="image/jpeg")


def assert_no_file_name(image):
    assert "xiao" not in image.title.lower()
    assert "village" not in image.title.lower()
    assert "xiao" not in image.file.name


def test_multiple_upload_does_not_title_an_image_after_its_file_name(editor_client):
    # Wagtail's upload script sends the file name without its extension as the title.
    response = editor_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload(), "title": "xiao_village_2021_03"}
    )
    assert response.json()["success"] is True
    assert_no_file_name(CaseImage.objects.get())


def test_multiple_upload_without_a_title_does_not_use_the_file_name(editor_client):
    response = editor_client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload()})
    assert response.json()["success"] is True
    assert_no_file_name(CaseImage.objects.get())


def test_the_upload_form_does_not_keep_a_title_filled_from_the_file_name(editor_client):
    response = editor_client.post(
        reverse("wagtailimages:add"), {"title": "xiao village 2021 03", "file": upload()}
    )
    assert response.status_code == 302
    assert_no_file_name(CaseImage.objects.get())


def test_a_title_written_by_a_person_is_kept(editor_client):
    editor_client.post(reverse("wagtailimages:add"), {"title": "A road at dusk", "file": upload()})
    assert CaseImage.objects.get().title == "A road at dusk"


def test_the_chooser_offers_no_default_alt_text(editor_client):
    image = upload_image(jpeg_bytes(landscape()), title="xiao_village_2021_03")
    response = editor_client.get(reverse("wagtailimages_chooser:chosen", args=[image.pk]))
    assert response.json()["result"]["default_alt_text"] == ""


def test_an_image_given_by_id_gets_no_alt_text_from_its_title(db):
    image = upload_image(jpeg_bytes(landscape()), title="xiao_village_2021_03")
    assert ImageBlock().to_python(image.pk).contextual_alt_text == ""


def test_renditions_never_use_the_title_as_alt_text(db):
    image = upload_image(jpeg_bytes(landscape()), title="xiao_village_2021_03")
    assert image.get_rendition("width-100").alt == ""
