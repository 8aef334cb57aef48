from django.urls import path

from curation.public import feeds

app_name = "changes"

urlpatterns = [
    path("lists/<slug:slug>/changes/", feeds.changes_page, name="page"),
    path("lists/<slug:slug>/changes.atom", feeds.ChangesAtomFeed(), name="atom"),
    path("lists/<slug:slug>/changes.json", feeds.changes_json, name="json"),
]
