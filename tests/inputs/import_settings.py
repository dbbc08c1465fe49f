"""Settings of the import process in tests/inputs/test_import_beside_the_door.py: the test settings,
but tasks queued in the database as in production (django-q2's ORM broker), not run inline."""

from config.settings_test import *  # noqa: F403
from config.settings_test import Q_CLUSTER

Q_CLUSTER = {**Q_CLUSTER, "sync": False}
