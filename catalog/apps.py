from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = "Catalog"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalog import pagecache, tagslugs

        pagecache.connect()  # cached public pages follow every change of what a list shows
        tagslugs.connect()  # "GPL-3.0" gets the slug gpl-3.0
