from rest_framework.routers import SimpleRouter

from catalog.api.views import CuratedListViewSet, EntryViewSet

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("lists", CuratedListViewSet, basename="list")
router.register("entries", EntryViewSet, basename="entry")

urlpatterns = router.urls
