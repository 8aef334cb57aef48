"""The demo: an original list, "Awesome Plain Text", with entries in every workflow state and one
account per role. ``python manage.py load_demo`` loads it (development only); the data is in
``curation/demo/data.py``, the idempotent loader in ``curation/demo/loader.py``.
"""
