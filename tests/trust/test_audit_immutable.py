"""Audit log rows cannot be changed or deleted: not by the model, not by a queryset, not by raw SQL."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from burenhulp.core.models import AuditLog, Neighbourhood, User, audit
from burenhulp.residents.models import Resident


@pytest.fixture
def row(coordinator: User, requester: Resident, buurt: Neighbourhood) -> AuditLog:
    return audit(
        actor=coordinator, action="view", target=requester, buurt=buurt, subject_resident_id=requester.pk, reason="x"
    )


def test_the_model_refuses_to_save_an_existing_row(row: AuditLog) -> None:
    row.reason = "rewritten"
    with pytest.raises(PermissionError):
        row.save()
    with pytest.raises(PermissionError):
        row.delete()


def test_the_queryset_refuses_update_and_delete(row: AuditLog) -> None:
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).update(reason="rewritten")
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=row.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditlog SET reason = 'rewritten' WHERE id = %s",
        "UPDATE core_auditlog SET subject_resident_id = 1 WHERE id = %s",
        "UPDATE core_auditlog SET at = now() - interval '1 year' WHERE id = %s",
        "UPDATE core_auditlog SET actor_id = NULL, reason = '' WHERE id = %s",
        "DELETE FROM core_auditlog WHERE id = %s",
    ],
)
def test_the_database_refuses_raw_sql_changes(row: AuditLog, sql: str) -> None:
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [row.pk])
    fresh = AuditLog.objects.get(pk=row.pk)
    assert (fresh.reason, fresh.actor_id, fresh.at) == (row.reason, row.actor_id, row.at)


@pytest.mark.parametrize("operation", ["update", "delete"])
def test_a_manager_that_bypasses_the_guards_is_still_refused(row: AuditLog, operation: str) -> None:
    plain = AuditLog._base_manager.filter(pk=row.pk)  # a plain QuerySet, without the guards of AuditQuerySet
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        if operation == "update":
            plain.update(reason="rewritten")
        else:
            plain.delete()
    assert AuditLog.objects.get(pk=row.pk).reason == row.reason


def test_deleting_an_account_only_forgets_who_the_actor_was(row: AuditLog, coordinator: User) -> None:
    """on_delete=SET_NULL is the one change the trigger allows; every other column stays."""
    coordinator.delete()
    fresh = AuditLog.objects.get(pk=row.pk)
    assert fresh.actor_id is None
    assert (fresh.reason, fresh.action, fresh.subject_resident_id, fresh.at) == (
        row.reason,
        row.action,
        row.subject_resident_id,
        row.at,
    )
