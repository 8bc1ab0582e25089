"""The demo's sign-in details, printed by `make run` (`burenhulp/devserver.py`) and used by `seed_demo`."""

PASSWORD = "burenhulp-demo"  # noqa: S105 - a published demo password for local demo data only
COORDINATOR_EMAIL = "coordinator@wakken.example"
RESIDENT_EMAIL = "an@wakken.example"
VOLUNTEER_EMAIL = "jonas@wakken.example"
