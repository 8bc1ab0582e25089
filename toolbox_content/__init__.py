"""Guidance from the toolbox (fiches J and K), written in our own words, and the views that serve it."""
