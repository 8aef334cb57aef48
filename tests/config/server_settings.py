"""Settings of the servers tests start in a process of their own (``tests.subprocesses``):
production ``config.settings`` unchanged, except that collectstatic writes into a scratch
folder, not into the working tree."""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["TEST_STATIC_ROOT"]
