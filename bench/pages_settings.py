"""Settings for bench/pages.sh: production settings (DEBUG off), plus a whitenoise root that
serves the list page's HTML as a plain static file, and scratch paths for static files."""

import os

from config.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
WHITENOISE_ROOT = os.environ["BENCH_WHITENOISE_ROOT"]
