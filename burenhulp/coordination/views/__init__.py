"""Coordinator dashboard pages (DESIGN §8), one module per page group. Every page is behind the one coordinator gate
(`burenhulp.core.gates.coordinator_required`) and starts from the coordinator's neighbourhood (`request.buurt`):
another neighbourhood's id is a 404. Views: permission-checked fetch → form → workflow (`..services`) → redirect."""
