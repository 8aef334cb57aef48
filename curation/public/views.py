"""Suggest a link (no account), and follow it by its private status link."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from catalog.models import CuratedList, Entry
from curation.models import Action, WorkflowEvent
from curation.public import ratelimit
from curation.public.forms import ResubmitForm, SuggestionForm, duplicate_message
from curation.public.models import Suggestion, status_url, token_digest, token_for
from curation.services import DuplicateEntry, EntryContent, entry_create, suggestion_resubmit

S = Entry.Status
# What a visitor reads about their suggestion, by entry status.
STATUS_WORDS = {
    S.DRAFT: ("Received", "It is waiting to be sent to the reviewers."),
    S.SUBMITTED: ("Waiting for review", "A reviewer of the list will look at it."),
    S.CHANGES_REQUESTED: (
        "Changes requested",
        "A reviewer asked for changes (below). Edit your suggestion and send it back.",
    ),
    S.APPROVED: ("Approved", "A curator will publish it soon."),
    S.SCHEDULED: ("Approved", "It is scheduled to be published."),
    S.PUBLISHED: ("Published", "It is on the list. Thank you!"),
    S.REJECTED: ("Not accepted", "The reviewers decided not to add it (below)."),
    S.ARCHIVED: ("Archived", "It was on the list and has been retired."),
}
STEPS = ["Waiting for review", "Approved", "Published"]


def _form_page(
    request: HttpRequest, curated_list: CuratedList, form: SuggestionForm, status: int = 200
) -> HttpResponse:
    context = {"list": curated_list, "form": form, "limited": status == 429}
    return render(request, "curation/suggest.html", context, status=status)


@never_cache
def create(request: HttpRequest, slug: str) -> HttpResponse:
    curated_list = get_object_or_404(CuratedList, slug=slug)
    if request.method != "POST":
        return _form_page(request, curated_list, SuggestionForm(curated_list=curated_list))
    form = SuggestionForm(request.POST, curated_list=curated_list)
    # Only accepted suggestions count (``ratelimit.hit`` below): a refused one costs nothing.
    if ratelimit.exceeded(request):
        return _form_page(request, curated_list, form, status=429)
    if form.is_bot:
        # Thanked like a person, so the bot learns nothing; nothing is stored.
        return render(request, "curation/suggest_sent.html", {"list": curated_list})
    if not form.is_valid():
        return _form_page(request, curated_list, form)
    data = form.cleaned_data
    content = EntryContent(
        section=data["section"],
        title=data["title"],
        url=data["url"],
        description=data["description"],
    )
    try:
        with transaction.atomic():
            entry = entry_create(
                actor=None,
                content=content,
                source=Entry.Source.PUBLIC_FORM,
                submitter_email=data["email"],
                submit=True,
            )
            token = token_for(entry)  # derivable again for the emails about it
            Suggestion.objects.create(entry=entry, token_digest=token_digest(token))
    except DuplicateEntry as refused:  # suggested by someone else a moment ago
        form.duplicate = refused.existing
        form.add_error("url", duplicate_message(refused.existing))
        return _form_page(request, curated_list, form)
    except ValidationError as refused:
        for message in refused.messages:
            form.add_error(None, message)
        return _form_page(request, curated_list, form)
    ratelimit.hit(request)
    return HttpResponseRedirect(status_url(curated_list.slug, token) + "?sent=1")


@never_cache
def status(request: HttpRequest, slug: str, token: str) -> HttpResponse:
    suggestion = (
        Suggestion.objects.for_token(token)
        .select_related("entry__section", "entry__curated_list")
        .filter(entry__curated_list__slug=slug)
        .first()
    )
    if suggestion is None:
        raise Http404("No suggestion has this link.")
    entry = suggestion.entry
    form = None
    if entry.status == S.CHANGES_REQUESTED:
        if request.method == "POST":
            form = ResubmitForm(request.POST, entry=entry)
            if form.is_valid() and _resubmit(form, token):
                return HttpResponseRedirect(request.path + "?resent=1")
        else:
            form = ResubmitForm(entry=entry)
    elif request.method == "POST":
        # Answered already, or decided meanwhile: the page says where it stands now.
        return HttpResponseRedirect(request.path)
    headline, explanation = STATUS_WORDS.get(S(entry.status), (entry.get_status_display(), ""))
    decision = (
        WorkflowEvent.objects.filter(
            entry=entry, action__in=[Action.REQUEST_CHANGES, Action.REJECT]
        )
        .exclude(comment="")
        .first()
        if entry.status in (S.CHANGES_REQUESTED, S.REJECTED)
        else None
    )
    context = {
        "list": entry.curated_list,
        "entry": entry,
        "headline": headline,
        "explanation": explanation,
        "decision": decision,
        "steps": STEPS,
        "just_sent": request.GET.get("sent") == "1",
        "just_resent": request.GET.get("resent") == "1" and entry.status == S.SUBMITTED,
        "form": form,
        "status_url": request.build_absolute_uri(request.path),
    }
    response = render(request, "curation/suggest_status.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _resubmit(form: ResubmitForm, token: str) -> bool:
    """The visitor's changes and resubmission through the workflow service; a refusal becomes
    an error on the form."""
    data = form.cleaned_data
    try:
        suggestion_resubmit(
            token=token,
            section=data["section"],
            title=data["title"],
            url=data["url"],
            description=data["description"],
            note=data["note"],
            revision=data["revision"],
        )
    except DuplicateEntry as refused:
        form.duplicate = refused.existing
        form.add_error("url", duplicate_message(refused.existing))
        return False
    except (ValidationError, PermissionDenied) as refused:
        messages = refused.messages if isinstance(refused, ValidationError) else [str(refused)]
        for message in messages:
            form.add_error(None, message)
        return False
    return True
