"""Load scenario: residents browsing and asking, volunteers accepting, coordinators working the queue (issue 8)."""
