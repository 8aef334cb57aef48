"""README sync of an entry shown in several sections (placements, issue 13 × issue 12).

The first appearance of a URL is the entry, the later ones its placements: a URL listed in one
more section is a placement added (applied by a curator with --apply, reported as not applied
with --as-submissions), a section no longer listing it a placement removed — never an entry
moved, created twice or archived."""

from __future__ import annotations

import pytest

from catalog.export import export_files
from catalog.importer import read_readme, store_document
from catalog.models import Entry, EntryPlacement, Section
from curation.models import Action, Role, WorkflowEvent
from curation.sync import apply_sync, plan_sync
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

HEAD = "# Awesome X\n\n> Tools for the terminal.\n\n"
OLD = (
    HEAD
    + "## Editors\n\n- [Vim](https://vim.example/) - An editor.\n- [Nano](https://nano.example/)"
    " - Small.\n\n## Terminal\n\n- [Vim](https://vim.example/) - An editor.\n"
    "- [Tmux](https://tmux.example/) - Multiplexer.\n"
)
TMUX_ALSO_IN_EDITORS = (
    HEAD
    + "## Editors\n\n- [Vim](https://vim.example/) - An editor.\n- [Nano](https://nano.example/)"
    " - Small.\n- [Tmux](https://tmux.example/) - Multiplexer.\n\n## Terminal\n\n"
    "- [Vim](https://vim.example/) - An editor.\n- [Tmux](https://tmux.example/) - Multiplexer.\n"
)
VIM_NOT_IN_TERMINAL = (
    HEAD
    + "## Editors\n\n- [Vim](https://vim.example/) - An editor.\n- [Nano](https://nano.example/)"
    " - Small.\n\n## Terminal\n\n- [Tmux](https://tmux.example/) - Multiplexer.\n"
)
TERMINAL_FIRST = (
    HEAD + "## Terminal\n\n- [Vim](https://vim.example/) - An editor.\n"
    "- [Tmux](https://tmux.example/) - Multiplexer.\n\n"
    "## Editors\n\n- [Vim](https://vim.example/) - An editor.\n- [Nano](https://nano.example/)"
    " - Small.\n"
)


class Placed:
    def __init__(self) -> None:
        doc, _ = read_readme(OLD.encode())
        self.curated_list = store_document(doc, slug="x").curated_list
        self.curator = MembershipFactory(curated_list=self.curated_list, role=Role.CURATOR).user
        self.editors = Section.objects.get(curated_list=self.curated_list, slug="editors")
        self.terminal = Section.objects.get(curated_list=self.curated_list, slug="terminal")

    def entry(self, title: str) -> Entry:
        return Entry.objects.get(curated_list=self.curated_list, title=title, proposal_for=None)

    def shown_in(self, title: str) -> list[str]:
        return [section.slug for section in self.entry(title).sections_shown_in()]

    def sync(self, text: str, *, publish: bool):  # type: ignore[no-untyped-def]
        doc, _ = read_readme(text.encode())
        plan = plan_sync(self.curated_list, doc, source="README.md", text=text)
        return plan, apply_sync(plan, actor=self.curator, publish=publish)


@pytest.fixture
def placed() -> Placed:
    list_ = Placed()
    assert list_.shown_in("Vim") == ["editors", "terminal"]
    assert list_.shown_in("Tmux") == ["terminal"]
    return list_


def test_a_url_listed_in_one_more_section_is_shown_there_too_with_apply(placed):
    tmux = placed.entry("Tmux")
    plan, outcome = placed.sync(TMUX_ALSO_IN_EDITORS, publish=True)
    text = plan.format()
    assert "Tmux now also shown in Editors" in text
    assert "moved" not in text
    assert plan.changes.of_kind("added") == []
    assert outcome.refused == []
    assert outcome.created == []
    assert outcome.placed == [tmux.pk]
    tmux.refresh_from_db()
    assert tmux.section_id == placed.terminal.pk  # its own section is unchanged
    assert placed.shown_in("Tmux") == ["terminal", "editors"]
    assert Entry.objects.filter(curated_list=placed.curated_list, title="Tmux").count() == 1
    event = WorkflowEvent.objects.filter(entry=tmux).latest("pk")
    assert event.action == Action.EDIT
    assert "Also shown in" in event.comment
    # The list's README now shows it in both, and syncing that README again is a no-op.
    again, _ = read_readme(export_files(placed.curated_list)["README.md"].encode())
    assert plan_sync(placed.curated_list, again, source="export").changes.is_empty
    second, outcome = placed.sync(TMUX_ALSO_IN_EDITORS, publish=True)
    assert second.changes.is_empty
    assert not outcome.wrote_anything


def test_as_submissions_a_placement_is_reported_for_a_curator_not_applied(placed):
    _, outcome = placed.sync(TMUX_ALSO_IN_EDITORS, publish=False)
    assert outcome.created == []
    assert outcome.updated == []
    assert outcome.placed == []
    assert any("“Tmux” now also shown in “Editors”" in note for note in outcome.not_applied)
    assert placed.shown_in("Tmux") == ["terminal"]
    assert not EntryPlacement.objects.filter(entry__title="Tmux").exists()


def test_a_section_no_longer_listing_it_removes_the_placement_not_the_entry(placed):
    vim = placed.entry("Vim")
    plan, outcome = placed.sync(VIM_NOT_IN_TERMINAL, publish=True)
    assert "Vim no longer shown in Terminal" in plan.format()
    assert plan.changes.of_kind("removed") == []
    assert outcome.archived == []
    assert outcome.placed == [vim.pk]
    vim.refresh_from_db()
    assert vim.status == Entry.Status.PUBLISHED
    assert vim.section_id == placed.editors.pk
    assert placed.shown_in("Vim") == ["editors"]


def test_as_submissions_a_removed_placement_is_reported_and_vim_stays(placed):
    _, outcome = placed.sync(VIM_NOT_IN_TERMINAL, publish=False)
    assert outcome.archived == []
    assert any("“Vim” no longer shown in “Terminal”" in note for note in outcome.not_applied)
    assert placed.shown_in("Vim") == ["editors", "terminal"]


def test_unchanged_readme_with_placements_is_a_no_op(placed):
    plan, outcome = placed.sync(OLD, publish=True)
    assert plan.changes.is_empty
    assert not outcome.wrote_anything


def test_listing_it_first_in_its_other_section_only_reorders_sections(placed):
    vim = placed.entry("Vim")
    plan, outcome = placed.sync(TERMINAL_FIRST, publish=True)
    assert plan.changes.entries == ()
    assert plan.changes.placements == ()
    assert [c.kind for c in plan.changes.sections] == ["moved"]
    assert outcome.refused == []
    vim.refresh_from_db()
    assert vim.section_id == placed.editors.pk  # still an Editors entry, placed in Terminal
    assert sorted(placed.shown_in("Vim")) == ["editors", "terminal"]


def test_a_new_entry_listed_in_two_sections_is_created_once_and_placed(placed):
    text = (
        TMUX_ALSO_IN_EDITORS.replace(
            "- [Tmux](https://tmux.example/) - Multiplexer.\n\n",
            "- [Tmux](https://tmux.example/) - Multiplexer.\n"
            "- [Tree](https://tree.example/) - Lists.\n\n",
        )
        + "- [Tree](https://tree.example/) - Lists.\n"
    )
    _, outcome = placed.sync(text, publish=True)
    assert outcome.refused == []
    assert len(outcome.created) == 1
    assert Entry.objects.filter(curated_list=placed.curated_list, title="Tree").count() == 1
    assert placed.shown_in("Tree") == ["editors", "terminal"]


def test_an_entry_placed_in_an_earlier_section_leaving_its_own_moves_there(placed):
    tmux = placed.entry("Tmux")
    placed.sync(TMUX_ALSO_IN_EDITORS, publish=True)  # Terminal's Tmux, now placed in Editors
    text = TMUX_ALSO_IN_EDITORS.replace(
        "- [Vim](https://vim.example/) - An editor.\n- [Tmux](https://tmux.example/) - "
        "Multiplexer.\n",
        "- [Vim](https://vim.example/) - An editor.\n",
    )
    assert text.count("tmux.example") == 1
    plan, outcome = placed.sync(text, publish=True)
    assert [(c.title, c.fields) for c in plan.changes.entries] == [("Tmux", ("section",))]
    assert outcome.refused == []
    tmux.refresh_from_db()
    assert tmux.section_id == placed.editors.pk
    assert tmux.status == Entry.Status.PUBLISHED
    assert placed.shown_in("Tmux") == ["editors"]
    assert not EntryPlacement.objects.filter(entry=tmux).exists()
    second, _ = placed.sync(text, publish=True)
    assert second.changes.is_empty
