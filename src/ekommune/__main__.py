"""The ``ekommune`` command: Django's management commands with the project's settings.

``ekommune migrate``, ``ekommune audit verify``, ``ekommune demo load`` ... The settings module
defaults to the development settings; production sets ``DJANGO_SETTINGS_MODULE``.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ekommune.conf.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
