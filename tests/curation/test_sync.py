"""sync_readme: a changed README comes in as a change set, through the workflow, and nothing of
the list's editorial life is lost (issue 13)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.choices import EntrySource
from catalog.export import export_files
from catalog.importer import read_readme, store_document
from catalog.models import CuratedList, Entry, FooterBlock, Section
from curation.models import Action, Membership, Review, Role, WorkflowEvent
from curation.services import (
    EntryContent,
    entry_approve,
    entry_archive,
    entry_comment,
    entry_create,
    entry_propose_edit,
)
from curation.sync import apply_sync, plan_sync
from tests.curation.health.servers import LocalServer, Reply
from tests.curation.synclists import generated_list, with_changes
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

OLD = """\
# Awesome Tea [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

> Teas and tools.

## Contents

- [Brewing](#brewing)
  - [Cold Brew](#cold-brew)
- [Reading](#reading)

## Brewing

- [Gongfu Timer](https://gongfu.example.org) - Times short infusions.
- [Leaf Scale](https://scale.example.org) - Weighs leaves.
- [Kettle Pro](https://kettle.example.org) - Heats water.
- [Old Pot](https://oldpot.example.org) - A pot nobody makes any more.
- [Proposed Cup](https://cup.example.org) - A cup.
- [Busy Mug](https://mug.example.org) - A mug.

### Cold Brew

- [Cold Jar](https://coldjar.example.org) - A jar for cold brew.

## Reading

- The Book of Tea - A short classic.
- [Tea Notes](https://notes.example.net/tea) - Chemistry notes.
"""

# Kettle Pro removed; Leaf Scale edited and moved up; Thermo added; Busy Mug edited (it has an
# open proposal: a conflict); Old Pot still listed (archived here: a conflict); Tea Notes' URL
# changed; the Cold Brew section moved from Brewing to Reading.
NEW = """\
# Awesome Tea [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

> Teas and tools.

## Contents

- [Brewing](#brewing)
- [Reading](#reading)
  - [Cold Brew](#cold-brew)

## Brewing

- [Leaf Scale](https://scale.example.org) - Weighs leaves to a tenth of a gram.
- [Gongfu Timer](https://gongfu.example.org) - Times short infusions.
- [Old Pot](https://oldpot.example.org) - A pot nobody makes any more.
- [Proposed Cup](https://cup.example.org) - A cup.
- [Busy Mug](https://mug.example.org) - A big mug.
- [Thermo](https://thermo.example.org) - Measures the water's temperature.

## Reading

- The Book of Tea - A short classic.
- [Tea Notes](https://notes.example.org/tea) - Chemistry notes.

### Cold Brew

- [Cold Jar](https://coldjar.example.org) - A jar for cold brew.
"""


class Lived:
    """A list imported from OLD, then worked on: every kind of editorial state in place."""

    def __init__(self) -> None:
        doc, _ = read_readme(OLD.encode())
        self.curated_list = store_document(doc, slug="tea").curated_list
        self.curator = self.member(Role.CURATOR)
        self.author = self.member(Role.CONTRIBUTOR)
        self.reviewer = self.member(Role.REVIEWER)
        self.brewing = Section.objects.get(slug="brewing")
        self.cold = Section.objects.get(slug="cold-brew")
        self.reading = Section.objects.get(slug="reading")
        self.scoped = Membership.objects.create(
            user=UserFactory(is_staff=True),
            curated_list=self.curated_list,
            role=Role.REVIEWER,
            section=self.cold,
        )
        e = self.entry
        entry_archive(actor=self.curator, entry=e("Old Pot"), comment="Discontinued.")
        cup = e("Proposed Cup")
        self.cup_proposal = entry_propose_edit(
            actor=self.author, entry=cup, content=_with(cup, description="A cup for tasting.")
        )
        entry_approve(actor=self.reviewer, entry=self.cup_proposal)
        mug = e("Busy Mug")
        self.mug_proposal = entry_propose_edit(
            actor=self.author, entry=mug, content=_with(mug, description="A mug, 300 ml.")
        )
        self.draft = entry_create(
            actor=self.author,
            content=EntryContent(
                section=self.reading, title="Tray", url="https://tray.example.org"
            ),
        )
        self.submission = entry_create(
            actor=self.author,
            content=EntryContent(
                section=self.brewing, title="Whisk", url="https://whisk.example.org"
            ),
            submit=True,
        )
        entry_comment(actor=self.reviewer, entry=self.submission, comment="Which whisk?")

    def member(self, role: Role):  # type: ignore[no-untyped-def]
        return MembershipFactory(curated_list=self.curated_list, role=role).user

    def entry(self, title: str) -> Entry:
        return Entry.objects.get(curated_list=self.curated_list, title=title, proposal_for=None)

    def snapshot(self) -> dict[str, object]:
        """Everything a sync must leave alone when it has nothing to do."""
        entries = Entry.objects.filter(curated_list=self.curated_list)
        return {
            "entries": sorted(
                entries.values_list("pk", "status", "revision", "title", "url", "description")
            ),
            "events": WorkflowEvent.objects.filter(entry__curated_list=self.curated_list).count(),
            "reviews": sorted(Review.objects.values_list("pk", "entry_id", "verdict")),
            "history": Entry.history.filter(curated_list=self.curated_list).count(),
            "sections": sorted(
                Section.objects.filter(curated_list=self.curated_list).values_list(
                    "pk", "parent_id", "position", "title"
                )
            ),
            "members": sorted(Membership.objects.values_list("pk", "section_id", "role")),
        }


def _with(entry: Entry, **changes: object) -> EntryContent:
    return EntryContent(**{**EntryContent.of(entry).__dict__, "position": None, **changes})


@pytest.fixture
def lived() -> Lived:
    return Lived()


def sync(lived: Lived, text: str = NEW, *, publish: bool):  # type: ignore[no-untyped-def]
    doc, _ = read_readme(text.encode())
    plan = plan_sync(lived.curated_list, doc, source="README.md", text=text)
    return plan, apply_sync(plan, actor=lived.curator, publish=publish)


def test_the_change_set_is_exactly_the_difference(lived):
    doc, _ = read_readme(NEW.encode())
    plan = plan_sync(lived.curated_list, doc, source="README.md", text=NEW)
    changes = plan.changes
    assert {(c.kind, c.title) for c in changes.entries} == {
        ("added", "Thermo"),
        ("added", "Old Pot"),  # not on the live list: archived here
        ("removed", "Kettle Pro"),
        ("changed", "Leaf Scale"),
        ("changed", "Busy Mug"),
        ("changed", "Tea Notes"),
    }
    by_title = {c.title: c for c in changes.entries}
    assert by_title["Leaf Scale"].fields == ("description", "position")
    assert by_title["Tea Notes"].fields == ("url",)
    assert by_title["Busy Mug"].fields == ("description",)
    assert [(s.kind, s.old, s.new) for s in changes.sections] == [
        ("moved", ("brewing", "cold-brew"), ("reading", "cold-brew"))
    ]
    assert changes.list_fields == ()
    assert {(item.change.title, item.action) for item in plan.items} == {
        ("Thermo", "create"),
        ("Old Pot", "conflict"),
        ("Kettle Pro", "archive"),
        ("Leaf Scale", "update"),
        ("Busy Mug", "conflict"),
        ("Tea Notes", "update"),
    }
    text = plan.format()
    assert text.startswith(
        "Change set: 2 entries added, 1 entries removed, 3 entries changed, 1 entries moved, "
        "1 sections moved."
    )
    assert "+ Thermo <https://thermo.example.org> in Brewing (line 18)" in text
    assert "Old Pot: archived here as" in text
    assert "Busy Mug: has an open proposal" in text


def test_apply_publishes_the_change_set_and_every_editorial_state_survives(lived):
    before_ids = set(Entry.objects.values_list("pk", flat=True))
    reviews_before = sorted(Review.objects.values_list("pk", "entry_id", "verdict", "comment"))
    events_before = set(WorkflowEvent.objects.values_list("pk", flat=True))
    leaf, notes, kettle = (
        lived.entry("Leaf Scale"),
        lived.entry("Tea Notes"),
        lived.entry("Kettle Pro"),
    )
    cold_pk, scoped_pk = lived.cold.pk, lived.scoped.pk

    _, outcome = sync(lived, publish=True)

    assert len(outcome.created) == 1
    assert sorted(outcome.updated) == sorted([leaf.pk, notes.pk])
    assert outcome.archived == [kettle.pk]
    assert not outcome.refused
    # Nothing deleted, nothing recreated: every row is still there with its id.
    assert before_ids <= set(Entry.objects.values_list("pk", flat=True))
    assert set(WorkflowEvent.objects.values_list("pk", flat=True)) >= events_before
    assert sorted(Review.objects.values_list("pk", "entry_id", "verdict", "comment")) == (
        reviews_before
    )
    # Edits land on the same rows, audited once each, naming the sync.
    leaf.refresh_from_db()
    assert (leaf.description, leaf.revision) == ("Weighs leaves to a tenth of a gram.", 2)
    assert leaf.history.count() >= 2
    notes.refresh_from_db()
    assert notes.url == "https://notes.example.org/tea"
    event = WorkflowEvent.objects.filter(entry=notes).first()
    assert event.action == Action.PUBLISH
    assert event.actor == lived.curator
    assert event.comment == "README sync from README.md, line 23: changed url."
    kettle.refresh_from_db()
    assert kettle.status == Entry.Status.ARCHIVED
    assert "README sync" in WorkflowEvent.objects.filter(entry=kettle).first().comment
    thermo = lived.entry("Thermo")
    assert (thermo.status, thermo.source) == (Entry.Status.PUBLISHED, EntrySource.SYNC)
    assert list(WorkflowEvent.objects.filter(entry=thermo).values_list("action", flat=True)) == [
        Action.PUBLISH
    ]
    # Conflicts are reported and left alone.
    assert lived.entry("Old Pot").status == Entry.Status.ARCHIVED
    mug = lived.entry("Busy Mug")
    assert (mug.description, mug.revision) == ("A mug.", 1)
    lived.mug_proposal.refresh_from_db()
    assert (lived.mug_proposal.status, lived.mug_proposal.description) == (
        Entry.Status.SUBMITTED,
        "A mug, 300 ml.",
    )
    # Pending work is as it was.
    lived.cup_proposal.refresh_from_db()
    assert lived.cup_proposal.status == Entry.Status.APPROVED
    assert lived.cup_proposal.description == "A cup for tasting."
    lived.draft.refresh_from_db()
    assert lived.draft.status == Entry.Status.DRAFT
    lived.submission.refresh_from_db()
    assert (lived.submission.status, lived.submission.revision) == (Entry.Status.SUBMITTED, 1)
    # The moved section kept its id, and its member kept their scope.
    cold = Section.objects.get(pk=cold_pk)
    assert cold.parent_id == lived.reading.pk
    assert cold.title_path == "Reading › Cold Brew"
    assert Membership.objects.get(pk=scoped_pk).section_id == cold_pk
    # The README now says what the new one says, in its order, minus the conflicts.
    readme = export_files(lived.curated_list)["README.md"]
    brewing = readme.split("## Brewing")[1].split("## Reading")[0]
    assert [line.split("]")[0][3:] for line in brewing.strip().splitlines()] == [
        "Leaf Scale",
        "Gongfu Timer",
        "Proposed Cup",
        "Busy Mug",
        "Thermo",
    ]
    assert "(https://notes.example.org/tea)" in readme
    assert readme.index("### Cold Brew") > readme.index("## Reading")


def test_a_second_sync_changes_nothing(lived):
    sync(lived, publish=True)
    before = lived.snapshot()
    plan, outcome = sync(lived, publish=True)
    assert not outcome.wrote_anything
    assert lived.snapshot() == before
    # What is left are the two conflicts, reported again, never applied.
    assert {(c.kind, c.title) for c in plan.changes.entries} == {
        ("added", "Old Pot"),
        ("changed", "Busy Mug"),
    }
    assert {item.action for item in plan.items} == {"conflict"}


def test_as_submissions_added_entries_are_submitted_and_changes_proposed(lived):
    leaf, notes = lived.entry("Leaf Scale"), lived.entry("Tea Notes")
    plan, outcome = sync(lived, publish=False)

    thermo = lived.entry("Thermo")
    assert (thermo.status, thermo.source) == (Entry.Status.SUBMITTED, EntrySource.SYNC)
    submit = WorkflowEvent.objects.filter(entry=thermo, action=Action.SUBMIT).get()
    assert submit.comment == "README sync from README.md, line 18: added."
    leaf.refresh_from_db()
    assert (leaf.description, leaf.revision) == ("Weighs leaves.", 1)  # live entry untouched
    proposal = leaf.proposals.get()
    assert (proposal.status, proposal.source) == (Entry.Status.SUBMITTED, EntrySource.SYNC)
    assert proposal.description == "Weighs leaves to a tenth of a gram."
    assert notes.proposals.get().url == "https://notes.example.org/tea"
    assert lived.entry("Kettle Pro").status == Entry.Status.ARCHIVED
    # Structure follows the README (sections keep their ids); reordering waits for --apply.
    assert Section.objects.get(pk=lived.cold.pk).parent_id == lived.reading.pk
    assert any("Leaf Scale" in note for note in outcome.not_applied)

    before = lived.snapshot()
    plan, outcome = sync(lived, publish=False)
    assert not outcome.wrote_anything
    assert lived.snapshot() == before
    assert {(i.change.title, i.action) for i in plan.items} >= {
        ("Thermo", "skip"),
        ("Leaf Scale", "skip"),
        ("Tea Notes", "skip"),
    }


def test_only_curators_of_the_whole_list_sync(lived):
    doc, _ = read_readme(NEW.encode())
    plan = plan_sync(lived.curated_list, doc, source="README.md")
    before = lived.snapshot()
    for user in (lived.reviewer, lived.scoped.user, lived.author):
        with pytest.raises(Exception, match="not a curator of the whole list"):
            apply_sync(plan, actor=user, publish=True)
    assert lived.snapshot() == before


class TestCommand:
    def run(self, *args: str) -> str:
        out = io.StringIO()
        call_command("sync_readme", *args, stdout=out)
        return out.getvalue()

    def test_dry_run_shows_the_change_set_and_writes_nothing(self, lived, tmp_path):
        source = tmp_path / "README.md"
        source.write_text(NEW, encoding="utf-8")
        before = lived.snapshot()
        out = self.run("tea", str(source), "--dry-run")
        assert "Change set: 2 entries added" in out
        assert 'Dry run: "tea" was not changed.' in out
        assert lived.snapshot() == before

    def test_apply_then_again(self, lived, tmp_path):
        source = tmp_path / "README.md"
        source.write_text(NEW, encoding="utf-8")
        out = self.run("tea", str(source), "--apply", "--as", lived.curator.username)
        assert "Applied: 1 new entries published; 2 changes published; 1 entries archived" in out
        out = self.run("tea", str(source), "--apply", "--as", lived.curator.username)
        assert "Nothing was written" in out

    def test_reads_a_url_through_the_guarded_client(self, lived, settings):
        settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
        with LocalServer() as server:
            url = server.route("/raw/README.md", Reply(200, body=NEW.encode()))
            out = self.run("tea", url, "--as", lived.curator.username)
        assert "1 new entries submitted for review" in out
        assert lived.entry("Thermo").status == Entry.Status.SUBMITTED

    def test_a_url_on_a_private_address_is_refused_in_words(self, lived, settings):
        settings.OUTBOUND_ALLOWED_NETWORKS = []
        with LocalServer() as server:
            url = server.route("/raw/README.md", Reply(200, body=NEW.encode()))
            with pytest.raises(CommandError, match="Cannot fetch"):
                self.run("tea", url, "--dry-run")

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("nope", "README.md", "--dry-run"), 'No list "nope"'),
            (("tea", "/nowhere/README.md", "--dry-run"), "No README at /nowhere/README.md"),
            (("tea", "README.md"), "Name the curator the sync acts as with --as"),
            (("tea", "README.md", "--as", "ghost"), 'No user "ghost"'),
        ],
    )
    def test_bad_input_is_one_sentence(self, lived, args, message):
        with pytest.raises(CommandError, match=message):
            self.run(*args)

    def test_a_reviewer_may_not_sync(self, lived, tmp_path):
        source = tmp_path / "README.md"
        source.write_text(NEW, encoding="utf-8")
        with pytest.raises(CommandError, match="not a curator of the whole list"):
            self.run("tea", str(source), "--as", lived.reviewer.username)
        assert not Entry.objects.filter(title="Thermo").exists()


def test_unchanged_readme_of_a_list_is_no_change(lived):
    readme = export_files(lived.curated_list)["README.md"]
    doc, _ = read_readme(readme.encode())
    plan = plan_sync(lived.curated_list, doc, source="export")
    assert plan.changes.is_empty
    assert CuratedList.objects.get(pk=lived.curated_list.pk).title == "Awesome Tea"


@pytest.mark.parametrize("publish", [True, False], ids=["apply", "as-submissions"])
def test_queries_do_not_grow_with_the_list(publish):
    """Bulk reads, writes per change: the same ten changes cost the same queries on a list of
    1,000 entries and on one of 3,000 (sections of 50 entries both)."""
    curator = UserFactory(is_superuser=True, is_staff=True)
    counts = []
    for size in (1_000, 3_000):
        doc = generated_list(size)
        curated_list = store_document(doc, slug=f"gen-{size}").curated_list
        changed = with_changes(doc, 10)
        with CaptureQueriesContext(connection) as queries:
            plan = plan_sync(curated_list, changed, source="generated")
            outcome = apply_sync(plan, actor=curator, publish=publish)
        assert plan.changes.counts()["entries added"] == 2
        assert len(outcome.created) == 2
        assert len(outcome.archived) == 2
        assert len(outcome.updated) == 6  # 2 edited, 2 new URLs, 2 moved to another section
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_list_texts_follow_the_readme_with_apply_and_no_footer_block_is_deleted(lived):
    FooterBlock.objects.create(
        curated_list=lived.curated_list,
        title="License",
        body="CC0, kept in license.md.",
        position=99,
    )
    changed = NEW.replace("> Teas and tools.", "> Teas, tools and reading.") + (
        "\n## Code of Conduct\n\nBe kind to each other.\n"
    )
    plan, outcome = sync(lived, changed, publish=False)
    assert plan.changes.list_fields == ("tagline", "footer")
    assert any("list tagline, footer changed" in note for note in outcome.not_applied)
    assert CuratedList.objects.get(pk=lived.curated_list.pk).tagline == "Teas and tools."

    plan, outcome = sync(lived, changed, publish=True)
    assert outcome.list_fields == ("tagline", "footer")
    assert CuratedList.objects.get(pk=lived.curated_list.pk).tagline == "Teas, tools and reading."
    footer = dict(
        FooterBlock.objects.filter(curated_list=lived.curated_list).values_list("title", "body")
    )
    assert footer == {
        "Contributing": "",  # from the import (the README's Contributing is generated)
        "License": "CC0, kept in license.md.",
        "Code of Conduct": "Be kind to each other.",
    }
    plan, outcome = sync(lived, changed, publish=True)
    assert plan.changes.list_fields == ()


def test_text_between_two_lists_syncs_as_part_of_the_entry_it_precedes():
    """Issue 12: a README whose text between two lists changed changes the ``lead_in`` of the
    entry after it: with publish at once, otherwise as that entry's proposal."""
    from tests.catalog.test_importer import BETWEEN_LISTS

    doc, _ = read_readme(BETWEEN_LISTS.encode())
    curated_list = store_document(doc, slug="teapots").curated_list
    curator = MembershipFactory(curated_list=curated_list, role=Role.CURATOR).user
    same = plan_sync(curated_list, doc, source="README.md", text=BETWEEN_LISTS)
    assert same.is_empty  # the stored text reads back as it was imported
    edited = BETWEEN_LISTS.replace("need a stove", "want a fire")
    new, _ = read_readme(edited.encode())
    plan = plan_sync(curated_list, new, source="README.md", text=edited)
    assert [(c.title, c.fields) for c in plan.changes.entries] == [("Iron Pot", ("lead_in",))]
    apply_sync(plan, actor=curator, publish=False)
    iron = Entry.objects.get(title="Iron Pot", proposal_for=None)
    assert iron.lead_in.startswith("The ones below need a stove")
    proposal = Entry.objects.get(proposal_for=iron)
    assert proposal.lead_in.startswith("The ones below want a fire")
    # The same README again: the change is the open proposal's (stored by section identity).
    again = plan_sync(curated_list, new, source="README.md", text=edited)
    assert [item.action for item in again.items] == ["skip"]
    # Published at once (a list nobody has a proposal open on):
    other = store_document(doc, slug="teapots-2").curated_list
    plan = plan_sync(other, new, source="README.md", text=edited)
    apply_sync(plan, actor=curator_of(other), publish=True)
    iron = Entry.objects.get(curated_list=other, title="Iron Pot", proposal_for=None)
    glass = Section.objects.get(curated_list=other, title="Glass")
    assert iron.lead_in == f"The ones below want a fire, see [glass](#section-{glass.pk}):"
    assert "The ones below want a fire" in export_files(other)["README.md"]
    assert plan_sync(other, new, source="README.md", text=edited).is_empty


def curator_of(curated_list: CuratedList):  # type: ignore[no-untyped-def]
    return MembershipFactory(curated_list=curated_list, role=Role.CURATOR).user


def test_re_importing_the_same_readme_changes_nothing_of_the_list_s_own_text():
    """The intro's link to a section is stored by identity; the replace preview compares it as
    the README reads it, so the same README shows no change of the introduction."""
    from curation.replace import list_changes

    text = "# Teapots\n\n> Pots.\n\nStart with [glass](#glass).\n\n## Clay\n\n" + (
        "- [Yixing Pot](https://yixing.example/) - Purple clay.\n\n## Glass\n\n"
        "- [Clear Pot](https://clear.example/) - Watch the leaves open.\n"
    )
    doc, _ = read_readme(text.encode())
    curated_list = store_document(doc, slug="teapots").curated_list
    curated_list.refresh_from_db()
    assert curated_list.intro.startswith("Start with [glass](#section-")
    assert list_changes(curated_list, doc) == []
