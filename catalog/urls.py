from django.urls import path

from catalog import feeds, views

app_name = "catalog"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed.atom", feeds.site_atom_feed, name="site-feed-atom"),
    path("feed.json", feeds.site_json_feed, name="site-feed-json"),
    path("lists/<slug:slug>/", views.list_detail, name="list-detail"),
    path("lists/<slug:slug>/README.md", views.list_readme, name="list-readme"),
    path("lists/<slug:slug>/contributing.md", views.list_contributing, name="list-contributing"),
    path("lists/<slug:slug>/license.md", views.list_licence, name="list-licence"),
    path("lists/<slug:slug>/search/", views.search, name="list-search"),
    path("lists/<slug:slug>/tags/<str:tag>/", views.tag_detail, name="list-tag"),
    path("lists/<slug:slug>/feed.atom", feeds.list_atom_feed, name="list-feed-atom"),
    path("lists/<slug:slug>/feed.json", feeds.list_json_feed, name="list-feed-json"),
]
