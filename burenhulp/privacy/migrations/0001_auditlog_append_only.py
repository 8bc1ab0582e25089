"""The audit log is append-only in the database too: a trigger refuses UPDATE and DELETE on core_auditlog.

The model and its queryset already refuse in Python; this catches every other path (raw SQL, `.update()` through a
different manager, a bug). The one change allowed is what Django's on_delete=SET_NULL does when an account or a
neighbourhood is deleted: actor or buurt becomes NULL, everything else stays as it was.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION privacy_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'core_auditlog is append-only: rows cannot be deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.id = OLD.id
       AND NEW.at = OLD.at
       AND NEW.action = OLD.action
       AND NEW.target_type = OLD.target_type
       AND NEW.target_id = OLD.target_id
       AND NEW.subject_resident_id IS NOT DISTINCT FROM OLD.subject_resident_id
       AND NEW.reason = OLD.reason
       AND (NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id OR NEW.actor_id IS NULL)
       AND (NEW.buurt_id IS NOT DISTINCT FROM OLD.buurt_id OR NEW.buurt_id IS NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'core_auditlog is append-only: rows cannot be changed' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS auditlog_append_only ON core_auditlog;
CREATE TRIGGER auditlog_append_only BEFORE UPDATE OR DELETE ON core_auditlog
    FOR EACH ROW EXECUTE FUNCTION privacy_auditlog_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS auditlog_append_only ON core_auditlog;
DROP FUNCTION IF EXISTS privacy_auditlog_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER IF NOT EXISTS auditlog_no_delete BEFORE DELETE ON core_auditlog
    BEGIN SELECT RAISE(ABORT, 'core_auditlog is append-only: rows cannot be deleted'); END""",
    """CREATE TRIGGER IF NOT EXISTS auditlog_no_update BEFORE UPDATE ON core_auditlog
    WHEN NOT (NEW.id = OLD.id AND NEW.at IS OLD.at AND NEW.action IS OLD.action
              AND NEW.target_type IS OLD.target_type AND NEW.target_id IS OLD.target_id
              AND NEW.subject_resident_id IS OLD.subject_resident_id AND NEW.reason IS OLD.reason
              AND (NEW.actor_id IS OLD.actor_id OR NEW.actor_id IS NULL)
              AND (NEW.buurt_id IS OLD.buurt_id OR NEW.buurt_id IS NULL))
    BEGIN SELECT RAISE(ABORT, 'core_auditlog is append-only: rows cannot be changed'); END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS auditlog_no_delete", "DROP TRIGGER IF EXISTS auditlog_no_update"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
