"""What each staff role may do. Services check these; views only show or hide links.

A permission is granted per municipality: a user who is an administrator in Fjordvik has no
rights in Bjørkedal. Installation operators (``is_superuser``) manage municipalities but get no
rights inside a municipality's records unless they hold a role there too.
"""

from __future__ import annotations

from enum import StrEnum

from ekommune.core.models import Role


class Permission(StrEnum):
    MANAGE_MUNICIPALITY = "core.manage_municipality"
    MANAGE_STAFF = "core.manage_staff"
    VIEW_STAFF = "core.view_staff"
    VIEW_AUDIT_LOG = "core.view_audit_log"
    ARCHIVE_REGISTER = "archive.register"
    ARCHIVE_MANAGE = "archive.manage"
    ARCHIVE_READ = "archive.read"
    # A person's national identity number on a file or record (decision 0162)
    ARCHIVE_VIEW_PERSON_NUMBERS = "archive.view_person_numbers"
    ACCESS_REQUEST_HANDLE = "publicjournal.handle_access_request"
    POLITICS_MANAGE = "politics.manage"
    REPORTS_VIEW = "governance.view_reports"
    PORTAL_MANAGE = "portal.manage"  # service catalogue and forms
    PORTAL_HANDLE = "portal.handle_submissions"  # the case-worker inbox
    SECURITY_REPORT = "security.report_deviation"  # report a deviation (avvik)
    SECURITY_VIEW = "security.view"  # the deviation register, risk assessments, statistics
    SECURITY_MANAGE = "security.manage"  # handle deviations, keep risk assessments and records
    SECURITY_READ_REVIEW = "security.review_reads"  # the read log: samples, flags, reads about a person
    INVOICES_MANAGE = "invoices.manage"  # cost centres, routing, upload, export of invoices


_EVERY_ROLE = {Permission.VIEW_STAFF, Permission.ARCHIVE_READ}

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMINISTRATOR: frozenset(
        _EVERY_ROLE
        | {
            Permission.MANAGE_MUNICIPALITY,
            Permission.MANAGE_STAFF,
            Permission.VIEW_AUDIT_LOG,
            Permission.REPORTS_VIEW,
        }
    ),
    Role.RECORDS_MANAGER: frozenset(
        _EVERY_ROLE
        | {
            Permission.VIEW_AUDIT_LOG,
            Permission.ARCHIVE_MANAGE,
            Permission.ARCHIVE_REGISTER,
            Permission.ARCHIVE_VIEW_PERSON_NUMBERS,
            Permission.ACCESS_REQUEST_HANDLE,
        }
    ),
    Role.CASE_WORKER: frozenset(
        _EVERY_ROLE
        | {
            Permission.ARCHIVE_REGISTER,
            Permission.ARCHIVE_VIEW_PERSON_NUMBERS,
            Permission.ACCESS_REQUEST_HANDLE,
        }
    ),
    Role.POLITICAL_SECRETARIAT: frozenset(
        _EVERY_ROLE | {Permission.POLITICS_MANAGE, Permission.ARCHIVE_REGISTER}
    ),
    Role.MANAGEMENT: frozenset(_EVERY_ROLE | {Permission.REPORTS_VIEW}),
}


# Portal (Tjenestetorg): administrators keep the catalogue and forms; case workers and records
# managers work the inbox of submissions.
ROLE_PERMISSIONS[Role.ADMINISTRATOR] |= {Permission.PORTAL_MANAGE}
ROLE_PERMISSIONS[Role.RECORDS_MANAGER] |= {Permission.PORTAL_MANAGE, Permission.PORTAL_HANDLE}
ROLE_PERMISSIONS[Role.CASE_WORKER] |= {Permission.PORTAL_HANDLE}

# Information security (security): every member of staff reports deviations; administrators
# handle them and keep the risk assessments and the record of processing; management reads them.
for _role in ROLE_PERMISSIONS:
    ROLE_PERMISSIONS[_role] |= {Permission.SECURITY_REPORT}
ROLE_PERMISSIONS[Role.ADMINISTRATOR] |= {Permission.SECURITY_VIEW, Permission.SECURITY_MANAGE}
ROLE_PERMISSIONS[Role.MANAGEMENT] |= {Permission.SECURITY_VIEW}
# The review of the read log (decision 0226) is the security officer's: an administrator.
ROLE_PERMISSIONS[Role.ADMINISTRATOR] |= {Permission.SECURITY_READ_REVIEW}

# E-invoices (invoices): administrators keep the cost centres, route, upload and export; attesters
# and approvers act on their own cost centres' invoices by assignment, not by role.
ROLE_PERMISSIONS[Role.ADMINISTRATOR] |= {Permission.INVOICES_MANAGE}


def permissions_for_roles(roles: set[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[Role(role)]
    return frozenset(granted)
