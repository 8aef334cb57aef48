"""Write endpoints: each parses its input, finds the entry, calls one workflow service and
answers with the entry as the read API shows it. Nothing here decides who may do what.

Refusals: ``PermissionDenied`` → 403, a refused state change (``IllegalTransition``,
``StaleRevision``) or a duplicate link (``DuplicateEntry``) → 409, any other
``ValidationError`` → 400 (``catalog.api.errors`` writes the body).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as InvalidInput
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from catalog.api.errors import Conflict
from catalog.api.schema import error
from catalog.api.serializers import EntrySerializer
from catalog.api.visibility import visible_entries
from catalog.choices import EntrySource
from catalog.models import CuratedList, Entry, Marker
from curation import services
from curation.api.serializers import (
    AssignSerializer,
    ChecklistSerializer,
    ClaimSerializer,
    CommentSerializer,
    NoteSerializer,
    PublishSerializer,
    ReasonSerializer,
    RetireSerializer,
    SubmissionSerializer,
)
from curation.models import Claim
from curation.quality.checklist import checklist_of
from curation.services import EntryContent, LinkData

WRITE_ERRORS = {
    400: error("Invalid input; `errors` says where."),
    401: error("Not signed in: send `Authorization: Token …` or a session cookie."),
    403: error("Signed in, but without the role this needs."),
    404: error("No such list or entry (or not one you may see)."),
    409: error("Not from the entry's current state, a stale revision, or a duplicate link."),
    429: error("Throttled."),
}


def run(service: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a workflow service, turning its refusals of a state change into 409 Conflict."""
    try:
        return service(**kwargs)
    except services.DuplicateEntry as refusal:
        raise Conflict(
            f"{' '.join(refusal.messages)} (entry {refusal.existing.pk})", code="duplicate"
        ) from refusal
    except services.IllegalTransition as refusal:
        raise Conflict(" ".join(refusal.messages), code=refusal.code or "conflict") from refusal
    except Entry.DoesNotExist as gone:  # deleted between the look-up and the lock
        raise Conflict("The entry no longer exists.", code="gone") from gone


def entry_response(entry: Entry, request: Request, code: int = status.HTTP_200_OK) -> Response:
    return Response(EntrySerializer(entry, context={"request": request}).data, status=code)


class SubmissionView(APIView):
    """``POST /api/lists/<slug>/submissions/``: a member adds an entry, submitted for review
    (or kept as a draft with ``"draft": true``)."""

    permission_classes = [IsAuthenticated]
    # JSON only: a form body cannot say null (``revision``, ``publish_at``), so the schema
    # offers no form encoding a client would send and see refused (issue 17).
    parser_classes = [JSONParser]

    @extend_schema(
        summary="Submit an entry to a list",
        request=SubmissionSerializer,
        responses={201: EntrySerializer, **WRITE_ERRORS},
        tags=["workflow"],
    )
    def post(self, request: Request, slug: str) -> Response:
        curated_list = get_object_or_404(CuratedList, slug=slug)
        serializer = SubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        section = data["section"]
        if section.curated_list_id != curated_list.pk:
            raise InvalidInput({"section": [f"Section {section.pk} is not in {curated_list}."]})
        markers = dict(Marker.objects.filter(curated_list=curated_list).values_list("slug", "pk"))
        unknown = sorted(set(data["markers"]) - set(markers))
        if unknown:
            raise InvalidInput(
                {"markers": [f"Not in the legend of {curated_list}: {', '.join(unknown)}."]}
            )
        content = EntryContent(
            section=section,
            title=data["title"],
            url=data["url"],
            description=data["description"],
            marker_ids=frozenset(markers[slug] for slug in data["markers"]),
            tags=tuple(data["tags"]),
            extra_links=tuple(LinkData(link["label"], link["url"]) for link in data["extra_links"]),
        )
        entry = run(
            services.entry_create,
            actor=request.user,
            content=content,
            source=EntrySource.API,
            submit=not data["draft"],
            comment=data["comment"],
        )
        return entry_response(entry, request, status.HTTP_201_CREATED)


def decision(serializer: type, summary: str, **options: Any) -> Callable[[Any], Any]:
    """A POST action on one entry, documented with its input and every refusal."""

    def decorate(method: Any) -> Any:
        method = action(detail=True, methods=["post"], serializer_class=serializer, **options)(
            method
        )
        return extend_schema(
            summary=summary,
            request=serializer,
            responses={200: EntrySerializer, **WRITE_ERRORS},
            tags=["workflow"],
        )(method)

    return decorate


class EntryWorkflowViewSet(viewsets.GenericViewSet):
    """``POST /api/entries/<id>/<decision>/``: the workflow transitions of one entry."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]  # as SubmissionView
    serializer_class = NoteSerializer
    lookup_value_regex = "[^/]+"  # not an id → a JSON 404 from the view
    # Not a listing: django-filter's query parameters do not apply to these POSTs.
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return visible_entries(
            self.request, Entry.objects.select_related("section", "curated_list")
        )

    def _act(self, request: Request, service: Callable[..., Entry]) -> Response:
        entry = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        done = run(service, actor=request.user, entry=entry, **serializer.validated_data)
        return entry_response(done, request)

    @decision(NoteSerializer, "Submit a draft for review (its submitter, or a curator)")
    def submit(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_submit)

    @decision(NoteSerializer, "Approve the current revision (a reviewer, not its submitter)")
    def approve(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_approve)

    @decision(
        ReasonSerializer, "Request changes, saying which (a reviewer)", url_path="request-changes"
    )
    def request_changes(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_request_changes)

    @decision(ReasonSerializer, "Reject, saying why (a reviewer)")
    def reject(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_reject)

    @decision(CommentSerializer, "Comment without deciding (reviewers and the submitter)")
    def comment(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_comment)

    @decision(PublishSerializer, "Publish now, or schedule with publish_at (a curator)")
    def publish(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_publish)

    @decision(RetireSerializer, "Unpublish, or cancel a schedule (a curator)")
    def unpublish(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_unpublish)

    @decision(RetireSerializer, "Archive for good (a curator)")
    def archive(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_archive)

    # --- owning the queue -------------------------------------------------------------------
    def _claim_act(
        self, request: Request, service: Callable[..., Claim], **kwargs: Any
    ) -> Response:
        entry = self.get_object()
        claim = run(service, actor=request.user, entry=entry, **kwargs)
        return Response(ClaimSerializer(claim).data)

    @extend_schema(
        summary="Who is reviewing the entry (404 when nobody has taken it)",
        request=None,
        responses={200: ClaimSerializer, **WRITE_ERRORS},
        tags=["workflow"],
    )
    @action(detail=True, methods=["get"], url_path="claim")
    def claim(self, request: Request, pk: str) -> Response:
        claim = services.open_claim(self.get_object())
        if claim is None:
            raise NotFound("Nobody is reviewing this entry.")
        return Response(ClaimSerializer(claim).data)

    @extend_schema(
        summary="Take the entry for review: “I'm reviewing this” (a reviewer, not its submitter)",
        request=None,
        responses={200: ClaimSerializer, **WRITE_ERRORS},
        tags=["workflow"],
    )
    @action(detail=True, methods=["post"])
    def take(self, request: Request, pk: str) -> Response:
        return self._claim_act(request, services.entry_take)

    @extend_schema(
        summary="Give the entry back to the queue (its holder, or a curator)",
        request=None,
        responses={200: ClaimSerializer, **WRITE_ERRORS},
        tags=["workflow"],
    )
    @action(detail=True, methods=["post"])
    def release(self, request: Request, pk: str) -> Response:
        return self._claim_act(request, services.entry_release)

    @extend_schema(
        summary="Assign the entry's review to a member who may review it (a curator)",
        request=AssignSerializer,
        responses={200: ClaimSerializer, **WRITE_ERRORS},
        tags=["workflow"],
    )
    @action(detail=True, methods=["post"], serializer_class=AssignSerializer)
    def assign(self, request: Request, pk: str) -> Response:
        serializer = AssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignee = get_user_model().objects.filter(username=data["assignee"]).first()
        if assignee is None:
            raise InvalidInput({"assignee": [f"There is no user “{data['assignee']}”."]})
        return self._claim_act(
            request, services.entry_assign, assignee=assignee, comment=data["comment"]
        )

    @decision(
        ReasonSerializer,
        "Override the failing blocking quality checks of this revision, saying why (a curator)",
        url_path="override-checks",
    )
    def override_checks(self, request: Request, pk: str) -> Response:
        return self._act(request, services.entry_override_checks)

    @extend_schema(
        summary="The quality checklist of the entry's current revision",
        responses={200: ChecklistSerializer, **{k: WRITE_ERRORS[k] for k in (401, 404, 429)}},
        tags=["workflow"],
    )
    @action(detail=True, methods=["get"], serializer_class=ChecklistSerializer)
    def checks(self, request: Request, pk: str) -> Response:
        """Each rule of the list judged on this revision: pass, fail, unknown (could not
        check) or skipped, with the figure; ``blocked`` while a blocking failure is not
        overridden."""
        return Response(checklist_of(self.get_object()).as_json())
