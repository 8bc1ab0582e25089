"""PostgreSQL for the tests, emptied between transactional tests with DELETE instead of TRUNCATE (see base.py)."""
