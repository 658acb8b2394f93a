"""A form version is never changed: a trigger refuses UPDATE (a new version is a new row)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION portal_formversion_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'form versions are immutable: UPDATE refused on portal_formversion'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER portal_formversion_immutable
    BEFORE UPDATE ON portal_formversion
    FOR EACH ROW EXECUTE FUNCTION portal_formversion_refuse_update();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS portal_formversion_immutable ON portal_formversion;
DROP FUNCTION IF EXISTS portal_formversion_refuse_update();
"""


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
