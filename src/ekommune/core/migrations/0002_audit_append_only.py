"""The audit log is append-only: the database refuses UPDATE and DELETE on its rows.

The hash chain detects what gets past this (a superuser disabling the trigger); the trigger
stops the application, and anyone with ordinary rights, from changing history.
"""

from django.db import migrations

FORWARD = """
CREATE FUNCTION core_auditevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on core_auditevent', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_refuse_change();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_refuse_change();
"""


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
