from django.urls import path
from rest_framework.routers import SimpleRouter

from curation.api.views import EntryWorkflowViewSet, SubmissionView

app_name = "api-workflow"

router = SimpleRouter(trailing_slash=True)
router.register("entries", EntryWorkflowViewSet, basename="entry")

urlpatterns = [
    path("lists/<str:slug>/submissions/", SubmissionView.as_view(), name="submissions"),
    *router.urls,
]
