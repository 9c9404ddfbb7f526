"""Small builders for privacy tests: consent, sensitive terms, images, users with roles."""

import datetime
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from sixdegree_cases.privacy import check_page
from sixdegree_cases.privacy.models import ConsentRecord, SensitiveTerm

OFFICER_PERMISSIONS = [
    "access_admin",
    "add_sensitiveterm",
    "change_sensitiveterm",
    "view_sensitiveterm",
    "delete_sensitiveterm",
    "add_consentrecord",
    "change_consentrecord",
    "view_consentrecord",
    "withdraw_consent",
]
REVIEWER_PERMISSIONS = ["access_admin", "view_sensitiveterm", "view_consentrecord"]
STAFF_PERMISSIONS = ["access_admin"]


def record_consent(page, **fields):
    fields.setdefault("given_on", datetime.date(2024, 5, 1))
    fields.setdefault("language", "Indonesian")
    for scope in ("scope_story", "scope_map", "scope_amounts"):
        fields.setdefault(scope, True)
    return ConsentRecord.objects.create(case=page, **fields)


def add_term(page, term, kind="name"):
    return SensitiveTerm.objects.create(case=page, term=term, kind=kind)


def user_with(username, codenames, group_name=None):
    """A staff user whose group holds exactly these permissions (by codename)."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    group, _ = Group.objects.get_or_create(name=group_name or f"{username} group")
    group.permissions.add(*Permission.objects.filter(codename__in=codenames))
    user.groups.add(group)
    return user


def jpeg_bytes(picture, **options):
    output = io.BytesIO()
    picture.save(output, format="JPEG", quality=92, **options)
    return output.getvalue()


def upload_image(data, title="Illustration", name="upload.jpg"):
    """Store an image through the CaseImage model (which re-encodes it, as every upload path does)."""
    image = get_image_model()(title=title, file=SimpleUploadedFile(name, data))
    image.save()
    return image


def landscape():
    """A drawn landscape: sky, sun, hills and a road. No face, no person."""
    picture = PILImage.new("RGB", (480, 320), (150, 200, 240))
    draw = ImageDraw.Draw(picture)
    draw.ellipse((360, 30, 430, 100), fill=(250, 220, 90))
    draw.polygon([(0, 220), (140, 120), (300, 230), (480, 150), (480, 320), (0, 320)], fill=(80, 150, 70))
    draw.polygon([(200, 320), (240, 200), (260, 200), (320, 320)], fill=(120, 110, 100))
    return picture


def astronaut():
    """scikit-image's public-domain portrait of Eileen Collins: a clear, frontal face."""
    from skimage import data

    return PILImage.fromarray(data.astronaut())


def findings_of(target, check_id):
    return [finding for finding in check_page(target).findings if finding.check == check_id]
