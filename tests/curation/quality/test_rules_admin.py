"""Curators set a list's quality rules on the list's admin page; reviewers only read them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from curation.quality.models import Level, QualityRules
from tests.htmlforms import form_data

pytestmark = pytest.mark.django_db


def test_a_curator_sets_the_rules_on_the_lists_page(client, team):
    url = reverse("admin:catalog_curatedlist_change", args=[team.curated_list.pk])
    client.force_login(team.curator)
    page = client.get(url).content.decode()
    assert "Quality rules" in page
    data = form_data(page, "curatedlist_form")
    prefix = next(
        name.removesuffix("-TOTAL_FORMS")
        for name in data
        if name.endswith("-TOTAL_FORMS") and "quality" in name
    )
    assert prefix == "quality_rules"
    data[f"{prefix}-TOTAL_FORMS"] = "1"
    data.update(
        {
            f"{prefix}-0-stars": "blocking",
            f"{prefix}-0-min_stars": "50",
            f"{prefix}-0-style": "advisory",
            f"{prefix}-0-activity_days": "365",
            f"{prefix}-0-max_description_length": "120",
            f"{prefix}-0-promotional_words": "best, ultimate",
            f"{prefix}-0-allowed_licences": "MIT\nApache-2.0",
        }
    )
    for rule in ("repository", "not_archived", "activity", "licence", "link", "duplicate",
                 "section_room"):  # fmt: skip
        data.setdefault(f"{prefix}-0-{rule}", "off")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    rules = QualityRules.objects.get(curated_list=team.curated_list)
    assert (rules.stars, rules.min_stars, rules.style) == (Level.BLOCKING, 50, Level.ADVISORY)
    assert rules.allowed_licence_set == ["MIT", "Apache-2.0"]
    assert rules.promotional_word_list == ["best", "ultimate"]


def test_a_reviewer_sees_the_rules_but_cannot_change_them(client, team):
    QualityRules.objects.create(curated_list=team.curated_list, stars=Level.BLOCKING)
    url = reverse("admin:catalog_curatedlist_change", args=[team.curated_list.pk])
    client.force_login(team.reviewer)
    page = client.get(url).content.decode()
    assert "Quality rules" in page
    assert 'name="quality_rules-0-stars"' not in page
    assert "Blocking" in page
