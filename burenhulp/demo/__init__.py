"""The demo neighbourhood (`manage.py seed_demo`): above every area, so no area depends on it."""
