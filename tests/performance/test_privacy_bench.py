"""Figure (h) of `make bench`: the privacy checks of a case with six illustrations."""

import json

import pytest

from bench import privacy


@pytest.mark.django_db
def test_the_privacy_bench_checks_six_illustrations_without_a_face(settings, tmp_path, capsys):
    from tests.factories import make_case_page

    settings.MEDIA_ROOT = tmp_path / "media"
    case = make_case_page(publish=False)
    privacy.main(case.pk)
    result = json.loads(capsys.readouterr().out)
    assert (result["illustrations"], result["image_findings"]) == (6, [])
