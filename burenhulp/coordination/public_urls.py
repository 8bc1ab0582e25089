"""The public referral card (doorverwijskaartje) of each neighbourhood: no login needed."""

from django.urls import URLPattern, URLResolver, path

from burenhulp.coordination.views import cards

urlpatterns: list[URLPattern | URLResolver] = [
    path("buurt/<slug:slug>/doorverwijzen/", cards.referral_card, name="referral_card"),
    path("buurt/<slug:slug>/doorverwijzen/bedankt/", cards.referral_card_thanks, name="referral_card_thanks"),
]
