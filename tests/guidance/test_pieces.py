"""pieces_for() and the guidance_tips tag: the right tips at the right moment, in the reader's language."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.utils import translation

from toolbox_content.guidance import normalise_language, pieces_for
from toolbox_content.loader import CATEGORIES


def ids(**kw: object) -> list[str]:
    return [p.id for p in pieces_for(**kw)]  # type: ignore[arg-type]


def test_dog_walking_tips_come_first_in_a_hond_proposal() -> None:
    tips = pieces_for(audience="volunteer", moment="proposal", category="hond", language="nl")
    assert tips[0].id == "hond"
    assert "leiband" in tips[0].text and "hond" in tips[0].title.lower()
    english = pieces_for(audience="volunteer", moment="proposal", category="hond", language="en")[0]
    assert "dog" in english.title.lower() and "lead" in english.text


def test_driving_tips_come_first_in_a_chauffeur_proposal() -> None:
    tips = pieces_for(audience="volunteer", moment="proposal", category="chauffeur", language="en")
    assert tips[0].id == "chauffeur"
    assert "insurance" in tips[0].text and "Drive calmly" in tips[0].text
    # No dog tips for a lift, and no driving tips for a dog.
    assert "hond" not in [t.id for t in tips]
    assert "chauffeur" not in ids(audience="volunteer", moment="proposal", category="hond")


@pytest.mark.parametrize("slug", CATEGORIES)
def test_every_category_has_its_own_tip_at_proposal_accept_and_before_you_go(slug: str) -> None:
    for moment in ("proposal", "accept", "before_you_go"):
        tips = pieces_for(audience="volunteer", moment=moment, category=slug)
        assert tips[0].id == slug
        assert len(tips) == 3


@pytest.mark.parametrize("moment", ["accept", "follow_up"])
@pytest.mark.parametrize("slug", [None, "boodschappen", "hond", "chauffeur", "andere"])
def test_the_boundaries_guidance_is_among_the_tips_at_accept_and_follow_up(moment: str, slug: str | None) -> None:
    assert "boundaries" in ids(audience="volunteer", moment=moment, category=slug)


def test_the_before_you_go_card_is_offered_after_accepting() -> None:
    assert "before-you-go" in ids(audience="volunteer", moment="accept", category="planten")
    assert "before-you-go" in ids(audience="volunteer", moment="before_you_go")


def test_referral_guidance_comes_first_beside_the_referral_form() -> None:
    tips = pieces_for(audience="coordinator", moment="referral", language="fr")
    assert tips[0].id == "coordinator-referral"
    assert tips[0].title == "Orienter un habitant vers un service"


def test_the_follow_up_for_a_coordinator_starts_with_what_to_do_when_it_was_too_much() -> None:
    assert ids(audience="coordinator", moment="follow_up")[0] == "coordinator-follow-up"


def test_a_resident_asking_for_help_gets_resident_guidance_only() -> None:
    tips = pieces_for(audience="resident", moment="ask")
    assert tips[0].id == "asking-for-help"
    assert all("resident" in p.audience for p in tips)


def test_limit_and_language_fallbacks() -> None:
    assert len(pieces_for(audience="volunteer", moment="accept", category="hond", limit=1)) == 1
    assert pieces_for(audience="volunteer", moment="accept", limit=0) == []
    assert normalise_language("nl-be") == "nl"
    assert normalise_language("fr-BE") == "fr"
    assert normalise_language("de") == "nl"
    with translation.override("nl-be"):
        assert pieces_for(audience="volunteer", moment="accept", category="hond")[0].title.startswith("De hond")
    with translation.override("fr"):
        assert pieces_for(audience="volunteer", moment="accept", category="hond")[0].language == "fr"


def test_unknown_audience_or_moment_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="audience"):
        pieces_for(audience="volunteers", moment="accept")
    with pytest.raises(ValueError, match="moment"):
        pieces_for(audience="volunteer", moment="later")


TAG = '{% load guidance %}{% guidance_tips audience="volunteer" category=slug moment="accept" %}'


@pytest.mark.parametrize(
    ("lang", "title", "heading"),
    [
        ("nl-be", "Een buur met de auto brengen", "Goed om te weten"),
        ("fr", "Conduire un voisin en voiture", "Bon à savoir"),
        ("en", "Giving a neighbour a lift", "Good to know"),
    ],
)
def test_the_tag_renders_a_short_list_of_linked_tips_in_the_active_language(
    lang: str, title: str, heading: str
) -> None:
    with translation.override(lang):
        html = Template(TAG).render(Context({"slug": "chauffeur"}))
    assert heading in html
    assert f'<a href="/guidance/chauffeur/"><strong>{title}</strong></a>' in html
    assert html.count("<li>") == 3
    assert 'aria-labelledby="guidance-tips-accept-chauffeur"' in html


def test_the_tag_can_make_absolute_links_and_plain_text_for_emails(settings: object) -> None:
    settings.SITE_URL = "https://burenhulp.example"  # type: ignore[attr-defined]
    with translation.override("en"):
        html = Template(
            '{% load guidance %}{% guidance_tips audience="volunteer" category="hond" moment="proposal" absolute=True %}'
        ).render(Context())
        text = Template(
            '{% load guidance %}{% guidance_tips_text audience="volunteer" category="hond" moment="proposal" %}'
        ).render(Context())
    assert 'href="https://burenhulp.example/guidance/hond/"' in html
    assert "Walking a neighbour's dog" in text and "https://burenhulp.example/guidance/hond/" in text
    assert "&#x27;" not in text


def test_the_tag_renders_nothing_when_no_piece_fits() -> None:
    html = Template('{% load guidance %}{% guidance_tips audience="resident" moment="referral" limit=0 %}').render(
        Context()
    )
    assert html.strip() == ""


def test_a_requester_is_a_resident() -> None:
    assert ids(audience="requester", moment="follow_up") == ids(audience="resident", moment="follow_up")


def test_a_wrong_value_in_a_template_shows_no_tips_instead_of_an_error(caplog: pytest.LogCaptureFixture) -> None:
    html = Template('{% load guidance %}{% guidance_tips audience="neighbour" moment="accept" %}').render(Context())
    assert html.strip() == ""
    assert "bad value" in caplog.text
