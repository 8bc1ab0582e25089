"""Burenbox pages: the resident's own (`burenbox`) and the coordinator's intake (`intake`), sharing `card`."""
