"""Import into the database and export from it: same bytes as the pure renderer, all or nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from catalog.export import EXPORT_QUERY_COUNT, export_files, list_document
from catalog.importer import MAX_README_BYTES, ImportRefused, read_readme, store_document
from catalog.markdown.render import render_files
from catalog.models import CuratedList, Entry, FooterBlock, Marker, Section
from curation.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# A small list written for these tests, with the quirks that matter to the database edge:
# nested sections, a legend with markers, tags, extra links, an entry without URL, a footer.
README = """\
# Awesome Tea [![Awesome](https://awesome.re/badge.svg)](https://awesome.re)

> Teas, tools and reading for people who brew at home.

Every entry was tried by a curator.

| Marker | Meaning |
| --- | --- |
| ⭐ | Curator's pick |
| ⚠ | Needs a proprietary app |

## Contents

- [Brewing](#brewing)
  - [Kettles](#kettles)
- [Reading](#reading)

## Brewing

Tools for the cup.

- [Gongfu Timer](https://gongfu.example.org) - ⭐ Times short repeated infusions. ([Demo](https://demo.gongfu.example.org), [Source Code](https://git.example.org/gongfu)) (`MIT`, `Rust`)
- [Leaf Scale](https://scale.example.org/) - Weighs leaves to a tenth of a gram. (`GPL-3.0`)

### Kettles

- [Smart Kettle](https://kettle.example.com) - ⚠ Heats water to a set temperature.

## Reading

- The Book of Tea - A short classic on tea and taste, in print.
- [Tea Chemistry Notes](https://notes.example.net/tea) - Why water temperature matters.

## Contributing

Suggest a tea tool with a pull request.
"""


def import_readme(text: str = README, slug: str = "awesome-tea", **kwargs):
    doc, _ = read_readme(text.encode())
    return doc, store_document(doc, slug=slug, **kwargs)


def test_database_export_is_byte_identical_to_the_pure_render():
    doc, outcome = import_readme()
    assert outcome.created_list
    assert (outcome.sections, outcome.entries, outcome.extra_links) == (3, 5, 2)
    assert export_files(outcome.curated_list) == render_files(doc)
    assert list_document(outcome.curated_list) == doc


def test_imported_rows_carry_what_the_readme_said():
    _, outcome = import_readme()
    curated_list = outcome.curated_list
    timer = Entry.objects.get(title="Gongfu Timer")
    assert timer.status == Entry.Status.PUBLISHED
    assert timer.source == Entry.Source.IMPORT
    assert list_document(curated_list).sections[0].entries[0].tags == ("MIT", "Rust")
    assert set(timer.tags.names()) == {"MIT", "Rust"}
    assert [m.symbol for m in timer.markers.all()] == ["⭐"]
    assert [link.label for link in timer.extra_links.all()] == ["Demo", "Source Code"]
    assert Entry.objects.get(title="The Book of Tea").url == ""
    kettles = Section.objects.get(curated_list=curated_list, slug="kettles")
    assert str(kettles) == "Brewing › Kettles"
    assert Marker.objects.filter(curated_list=curated_list).count() == 2
    assert FooterBlock.objects.filter(curated_list=curated_list, title="Contributing").exists()


def test_imported_rows_are_versioned_like_every_other_write():
    _, outcome = import_readme()
    timer = Entry.objects.get(title="Gongfu Timer")
    first = timer.history.get()
    assert first.history_change_reason == "Imported from a README"
    assert first.title == "Gongfu Timer"
    assert Entry.history.filter(curated_list=outcome.curated_list).count() == outcome.entries
    assert timer.extra_links.first().history.count() == 1


def test_history_names_who_imported():
    user = UserFactory()
    doc, _ = read_readme(README.encode())
    store_document(doc, slug="awesome-tea", submitted_by=user)
    versions = Entry.history.all()
    assert versions.count() == 5
    assert {version.history_user for version in versions} == {user}
    assert {version.history_type for version in versions} == {"+"}


def test_export_runs_a_fixed_number_of_queries(django_assert_num_queries):
    _, small = import_readme()
    bigger = README.replace(
        "## Reading\n",
        "".join(f"- [Extra {n}](https://extra.example.org/{n}) - Extra {n}.\n" for n in range(60))
        + "\n## Reading\n",
    )
    _, large = import_readme(bigger, slug="awesome-tea-large")
    for outcome in (small, large):
        curated_list = CuratedList.objects.get(pk=outcome.curated_list.pk)
        with django_assert_num_queries(EXPORT_QUERY_COUNT):
            export_files(curated_list)


def test_export_shows_published_entries_only():
    _, outcome = import_readme()
    Entry.objects.filter(title="Leaf Scale").update(status=Entry.Status.ARCHIVED)
    readme = export_files(outcome.curated_list)["README.md"]
    assert "Leaf Scale" not in readme
    assert "Gongfu Timer" in readme


def test_a_list_with_entries_is_not_replaced_by_accident():
    import_readme()
    with pytest.raises(ImportRefused, match="already has 5 entries"):
        import_readme()
    assert Entry.objects.count() == 5


def test_replace_keeps_sections_at_the_same_path_of_a_list_nobody_worked_on():
    import_readme()
    kettles = Section.objects.get(slug="kettles")
    changed = README.replace("## Reading", "## Further Reading").replace(
        "(#reading)", "(#further-reading)"
    )
    doc, second = import_readme(changed, replace=True)
    assert second.replaced_entries == 5
    assert Section.objects.get(slug="kettles").pk == kettles.pk
    assert not Section.objects.filter(slug="reading").exists()
    assert Section.objects.filter(slug="further-reading").exists()
    assert export_files(second.curated_list) == render_files(doc)


def test_replace_refuses_a_list_with_a_role_scoped_to_a_section_and_points_at_the_sync():
    # Replacing would delete the section's membership with the section (issue 13).
    _, first = import_readme()
    kettles = Section.objects.get(slug="kettles")
    editor = Membership.objects.create(
        user=UserFactory(), curated_list=first.curated_list, role=Role.CURATOR, section=kettles
    )
    with pytest.raises(ImportRefused, match="1 memberships scoped to sections") as refused:
        import_readme(replace=True)
    assert "sync_readme awesome-tea" in refused.value.messages[0]
    assert Membership.objects.filter(pk=editor.pk).exists()
    assert Entry.objects.filter(curated_list=first.curated_list).count() == 5


def test_replace_refuses_a_list_with_pending_or_archived_entries():
    import_readme()
    Entry.objects.filter(title="Leaf Scale").update(status=Entry.Status.ARCHIVED)
    with pytest.raises(ImportRefused, match="1 entries that are not simply published"):
        import_readme(replace=True)
    assert Entry.objects.get(title="Leaf Scale").status == Entry.Status.ARCHIVED


def test_re_import_of_an_export_gives_the_same_bytes():
    _, first = import_readme()
    exported = export_files(first.curated_list)
    _, second = import_readme(exported["README.md"], slug="awesome-tea-again")
    assert export_files(second.curated_list) == exported


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "looks binary"),
        (
            b"# Title\n\n- [A](https://a.example) - caf\xe9\n",
            r"not valid UTF-8 \(first bad byte on line 3\)",
        ),
        (b"# Just a title\n\nSome prose and no list at all.\n", "No list items with links"),
        (b"a" * (MAX_README_BYTES + 1), "a README may be at most 5 MB"),
    ],
)
def test_bad_input_gets_one_clear_message(data, message):
    with pytest.raises(ImportRefused, match=message):
        read_readme(data)


class TestCommands:
    def run(self, *args, stdin: bytes | None = None) -> str:
        out = io.StringIO()
        if stdin is not None:
            import sys

            sys_stdin, sys.stdin = sys.stdin, io.TextIOWrapper(io.BytesIO(stdin))
            try:
                call_command(*args, stdout=out)
            finally:
                sys.stdin = sys_stdin
        else:
            call_command(*args, stdout=out)
        return out.getvalue()

    def test_import_then_export_to_a_directory(self, tmp_path):
        source = tmp_path / "in" / "README.md"
        source.parent.mkdir()
        source.write_text(README, encoding="utf-8")
        output = self.run("import_readme", str(source), "--list", "awesome-tea")
        assert "Entries: 5" in output
        assert 'Created "awesome-tea": 3 sections, 5 entries, 2 extra links.' in output
        self.run("export_readme", "awesome-tea", "--output", str(tmp_path / "out"))
        assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
            "README.md",
            "contributing.md",
        ]
        stdout_readme = self.run("export_readme", "awesome-tea")
        assert stdout_readme == (tmp_path / "out" / "README.md").read_text(encoding="utf-8")

    def test_import_from_standard_input_with_a_title(self):
        self.run(
            "import_readme", "-", "--list", "tea", "--title", "Tea Things", stdin=README.encode()
        )
        assert CuratedList.objects.get(slug="tea").title == "Tea Things"

    def test_dry_run_reports_and_writes_nothing(self, tmp_path):
        source = tmp_path / "README.md"
        source.write_text(README, encoding="utf-8")
        output = self.run("import_readme", str(source), "--list", "awesome-tea", "--dry-run")
        assert "Entries: 5" in output
        assert "Dry run" in output
        assert not CuratedList.objects.exists()
        assert not Entry.objects.exists()

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "No README at"),
            (b"\x00\x01\x02binary", "looks binary"),
            (b"   \n", "the file is empty"),
            (b"# Nothing\n\nNo list here.\n", "No list items with links"),
            (b"x" * (20 * 1024 * 1024), "at most 5 MB"),
            (b"# T\n\n- [A](https://a.example) \xff\xfe\n", "not valid UTF-8"),
        ],
    )
    def test_bad_input_exits_non_zero_and_leaves_the_database_alone(
        self, tmp_path, content, message
    ):
        import_readme(slug="existing")
        before = Entry.objects.count()
        source = tmp_path / "README.md"
        if content is not None:
            source.write_bytes(content)
        with pytest.raises(CommandError, match=message):
            self.run("import_readme", str(source), "--list", "existing", "--replace")
        assert Entry.objects.count() == before

    def test_refusal_to_overwrite_is_a_command_error(self, tmp_path):
        import_readme()
        source = tmp_path / "README.md"
        source.write_text(README, encoding="utf-8")
        with pytest.raises(CommandError, match="--replace"):
            self.run("import_readme", str(source), "--list", "awesome-tea")

    def test_export_of_an_unknown_list(self):
        with pytest.raises(CommandError, match='No list "nope"'):
            self.run("export_readme", "nope")


CLOSING_NOTE = """\
# Awesome Teapots

> Teapots and what to brew in them.

## Clay

Unglazed pots; for others see the [glass pots](#glass).

- [Yixing Pot](https://yixing.example/) - Purple clay from Jiangsu.

Use one pot per kind of tea.

## Glass

- [Clear Pot](https://clear.example/) - Watch the leaves open.
"""


def test_section_text_after_the_entries_is_stored_and_exported_after_them():
    """Issue 12: the closing note under a list is kept in ``Section.outro`` and the database
    export writes it after the entries, byte for byte as the pure renderer; the cross-link in
    the text before the entries stays a link to the exported heading."""
    doc, outcome = import_readme(CLOSING_NOTE, slug="awesome-teapots")
    clay = Section.objects.get(curated_list=outcome.curated_list, title="Clay")
    glass = Section.objects.get(curated_list=outcome.curated_list, title="Glass")
    # Stored by the section it names (catalog.section_links), exported as its anchor.
    assert clay.description == (
        f"Unglazed pots; for others see the [glass pots](#section-{glass.pk})."
    )
    assert clay.outro == "Use one pot per kind of tea."
    files = export_files(outcome.curated_list)
    assert files == render_files(doc)
    assert list_document(outcome.curated_list) == doc
    assert (
        "- [Yixing Pot](https://yixing.example/) - Purple clay from Jiangsu.\n\n"
        "Use one pot per kind of tea.\n\n## Glass"
    ) in files["README.md"]
    assert (
        "see the [glass pots][section-glass].\n\n[section-glass]: #glass\n" in (files["README.md"])
    )


BETWEEN_LISTS = """\
# Awesome Teapots

> Teapots and what to brew in them.

## Clay

Unglazed pots.

- [Yixing Pot](https://yixing.example/) - Purple clay from Jiangsu.

The ones below need a stove, see [glass](#glass):

- [Iron Pot](https://iron.example/) - Cast in Morioka.

## Glass

- [Clear Pot](https://clear.example/) - Watch the leaves open.

Also found under clay:

- [Iron Pot](https://iron.example/) - Cast in Morioka.
"""


def test_text_between_two_lists_is_stored_with_the_entry_it_precedes_and_exported_there():
    """Issue 12: the text between two lists is ``Entry.lead_in`` of the entry after it (in
    its own section) or ``EntryPlacement.lead_in`` (where it is placed); the database export is
    byte for byte the pure render, and the document the one parsed."""
    doc, outcome = import_readme(BETWEEN_LISTS, slug="awesome-teapots")
    iron = Entry.objects.get(curated_list=outcome.curated_list, title="Iron Pot")
    glass = Section.objects.get(title="Glass")
    assert iron.lead_in == f"The ones below need a stove, see [glass](#section-{glass.pk}):"
    assert iron.section.title == "Clay"
    placement = iron.placements.get()
    assert (placement.section.title, placement.lead_in) == ("Glass", "Also found under clay:")
    assert Entry.objects.get(title="Yixing Pot").lead_in == ""
    assert Section.objects.get(title="Clay").description == "Unglazed pots."
    files = export_files(outcome.curated_list)
    assert files == render_files(doc)
    assert list_document(outcome.curated_list) == doc
    assert (
        "- [Yixing Pot](https://yixing.example/) - Purple clay from Jiangsu.\n\n"
        "The ones below need a stove, see [glass][section-glass]:\n\n"
        "[section-glass]: #glass\n\n"
        "- [Iron Pot](https://iron.example/) - Cast in Morioka.\n\n## Glass"
    ) in files["README.md"]
    assert "Also found under clay:\n\n- [Iron Pot][placement-1]" in files["README.md"]


def test_the_text_before_an_entry_moves_with_it_and_hides_with_it():
    _, outcome = import_readme(BETWEEN_LISTS, slug="awesome-teapots")
    iron = Entry.objects.get(title="Iron Pot")
    yixing = Entry.objects.get(title="Yixing Pot")
    Entry.objects.filter(pk=yixing.pk).update(position=5)  # after the Iron Pot now
    readme = export_files(outcome.curated_list)["README.md"]
    # First in its section now: the text follows the description, before the whole list.
    assert (
        "Unglazed pots.\n\nThe ones below need a stove, see [glass][section-glass]:\n\n"
        "[section-glass]: #glass\n\n- [Iron Pot](https://iron.example/)"
    ) in readme
    Entry.objects.filter(pk=iron.pk).update(status=Entry.Status.ARCHIVED)
    readme = export_files(outcome.curated_list)["README.md"]
    assert "need a stove" not in readme
    assert "Also found under clay" not in readme
    iron.refresh_from_db()
    assert iron.lead_in.startswith("The ones below")  # kept on the archived entry


def test_a_stored_cross_link_follows_its_section_when_it_is_renamed():
    """Issue 12: an in-page link is stored by the section it names (``#section-<pk>``), so the
    export points it at the anchor the section has now, after a rename, and the document is
    the one a reader of that README would import."""
    _, outcome = import_readme(BETWEEN_LISTS, slug="awesome-teapots")
    glass = Section.objects.get(curated_list=outcome.curated_list, title="Glass")
    glass.title = "Glassware"
    glass.save()
    readme = export_files(outcome.curated_list)["README.md"]
    assert "see [glass][section-glassware]:\n\n[section-glassware]: #glassware\n" in readme
    assert "#glass\n" not in readme
    assert "## Glassware\n" in readme
    again, _ = read_readme(readme.encode())
    assert render_files(again)["README.md"] == readme  # the link still lands, read back
