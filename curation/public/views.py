"""Suggest a link (no account), and follow it by its private status link."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from catalog.models import CuratedList, Entry
from curation.models import Action, WorkflowEvent
from curation.public import ratelimit
from curation.public.forms import SuggestionForm, duplicate_message
from curation.public.models import Suggestion, status_url, token_digest
from curation.services import DuplicateEntry, EntryContent, entry_create

S = Entry.Status
# What a visitor reads about their suggestion, by entry status.
STATUS_WORDS = {
    S.DRAFT: ("Received", "It is waiting to be sent to the reviewers."),
    S.SUBMITTED: ("Waiting for review", "A reviewer of the list will look at it."),
    S.CHANGES_REQUESTED: ("Changes requested", "A reviewer asked for changes (below)."),
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
    if not ratelimit.hit(request):
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
    token = Suggestion.new_token()
    try:
        with transaction.atomic():
            entry = entry_create(
                actor=None,
                content=content,
                source=Entry.Source.PUBLIC_FORM,
                submitter_email=data["email"],
                submit=True,
            )
            Suggestion.objects.create(entry=entry, token_digest=token_digest(token))
    except DuplicateEntry as refused:  # suggested by someone else a moment ago
        form.duplicate = refused.existing
        form.add_error("url", duplicate_message(refused.existing))
        return _form_page(request, curated_list, form)
    except ValidationError as refused:
        for message in refused.messages:
            form.add_error(None, message)
        return _form_page(request, curated_list, form)
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
        "status_url": request.build_absolute_uri(request.path),
    }
    response = render(request, "curation/suggest_status.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
