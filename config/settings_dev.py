"""Settings for `make run` (config/devserver.py): production's defaults, emails written as readable files.

Each email lands in EMAIL_FILE_PATH (var/mail/ by default) as an `.eml` and a readable `.txt`
(config/mail_backend.py), unless EMAIL_BACKEND or EMAIL_HOST say where mail should go instead.
"""

from config.env import env_str
from config.settings import *  # noqa: F403

if not env_str("EMAIL_BACKEND") and not env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "config.mail_backend.ReadableFileBackend"
