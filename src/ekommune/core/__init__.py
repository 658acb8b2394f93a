"""The shared kernel: municipalities (tenants), staff users and roles, errors, audit log."""
