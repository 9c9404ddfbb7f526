from sixdegree_cases.models import SurvivorCasePage
from tests.factories import make_case_page


def test_case_page_is_created_and_snapped(case_index):
    page = make_case_page(case_index)
    page = SurvivorCasePage.objects.get(pk=page.pk)
    locations = [block.value["location"] for block in page.story]
    assert locations[1] == {"lat": -7.2492, "lng": 112.7508}
    assert page.story[1].value["place_label"] == "Surabaya, Indonesia"
