"""The change set between two versions of a list (pure: ListDocs in, ChangeSet out)."""

from __future__ import annotations

from dataclasses import replace

from catalog.markdown.changes import EntryRef, compute_changes, format_changes
from catalog.markdown.document import EntryDoc, ExtraLinkDoc, FooterBlock, ListDoc, SectionDoc


def e(title: str, url: str = "", description: str = "", **kwargs) -> EntryDoc:
    return EntryDoc(title=title, url=url, description=description or f"{title} does it.", **kwargs)


GONGFU = e("Gongfu", "https://gongfu.example.org")
SCALE = e("Scale", "https://scale.example.org")
KETTLE = e("Kettle", "https://kettle.example.org")
JAR = e("Jar", "https://jar.example.org")
BOOK = e("The Book of Tea")
NOTES = e("Notes", "https://notes.example.net/tea")


def doc(*sections: SectionDoc, intro: str = "Teas.", footer=()) -> ListDoc:
    return ListDoc(title="Awesome Tea", intro=intro, sections=sections, footer=footer)


def s(title: str, *entries: EntryDoc, children=(), slug: str = "") -> SectionDoc:
    return SectionDoc(
        title=title,
        slug=slug or title.lower().replace(" ", "-"),
        entries=entries,
        children=children,
    )


OLD = doc(
    s("Brewing", GONGFU, SCALE, KETTLE, children=(s("Cold Brew", JAR),)),
    s("Reading", BOOK, NOTES),
)


def kinds(changes) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.kind, c.title, c.fields) for c in changes.entries]


def test_the_same_list_is_no_change():
    changes = compute_changes(OLD, OLD)
    assert changes.is_empty
    assert changes.summary() == "no changes"
    assert len(changes.entry_map) == 6


def test_added_removed_and_changed_field_by_field():
    new = doc(
        s(
            "Brewing",
            GONGFU,
            replace(SCALE, description="Weighs leaves.", tags=("MIT",)),
            e("Thermo", "https://thermo.example.org"),
            children=(
                s(
                    "Cold Brew",
                    replace(JAR, extra_links=(ExtraLinkDoc("Demo", "https://d.example.org"),)),
                ),
            ),
        ),
        s("Reading", BOOK, NOTES),
    )
    changes = compute_changes(OLD, new)
    assert kinds(changes) == [
        ("changed", "Scale", ("description", "tags")),
        ("added", "Thermo", ()),
        ("changed", "Jar", ("extra_links",)),
        ("removed", "Kettle", ()),
    ]
    assert changes.counts()["entries changed"] == 2
    assert changes.counts()["entries moved"] == 0
    assert not changes.sections


def test_a_url_that_changed_under_the_same_title_and_section_is_a_change():
    new = doc(OLD.sections[0], s("Reading", BOOK, replace(NOTES, url="https://notes.example.org/")))
    changes = compute_changes(OLD, new)
    assert kinds(changes) == [("changed", "Notes", ("url",))]


def test_a_url_and_a_title_changed_together_are_a_new_entry():
    other = e("Other Notes", "https://other.example.org")
    new = doc(OLD.sections[0], s("Reading", BOOK, other))
    assert kinds(compute_changes(OLD, new)) == [
        ("added", "Other Notes", ()),
        ("removed", "Notes", ()),
    ]


def test_matching_ignores_what_url_normalisation_ignores():
    new = doc(
        OLD.sections[0],
        s("Reading", BOOK, replace(NOTES, url="http://www.notes.example.net/tea/?utm_source=x")),
    )
    # The same link for duplicate detection: a change of the URL field, not an add and a remove.
    assert kinds(compute_changes(OLD, new)) == [("changed", "Notes", ("url",))]


def test_an_entry_without_url_is_matched_by_title_then_by_position():
    moved_book = doc(
        s("Brewing", GONGFU, SCALE, KETTLE, BOOK, children=OLD.sections[0].children),
        s("Reading", NOTES),
    )
    assert kinds(compute_changes(OLD, moved_book)) == [("changed", "The Book of Tea", ("section",))]
    retitled = doc(OLD.sections[0], s("Reading", e("The Book of Tea, 2nd ed."), NOTES))
    assert kinds(compute_changes(OLD, retitled)) == [
        ("changed", "The Book of Tea, 2nd ed.", ("title", "description"))
    ]


def test_one_insertion_does_not_move_the_entries_after_it():
    new = doc(
        s(
            "Brewing",
            e("First", "https://first.example.org"),
            GONGFU,
            SCALE,
            KETTLE,
            children=OLD.sections[0].children,
        ),
        OLD.sections[1],
    )
    assert kinds(compute_changes(OLD, new)) == [("added", "First", ())]


def test_a_reordered_entry_is_moved():
    new = doc(
        s("Brewing", GONGFU, KETTLE, SCALE, children=OLD.sections[0].children), OLD.sections[1]
    )
    changes = compute_changes(OLD, new)
    assert len(changes.entries) == 1
    assert changes.entries[0].fields == ("position",)
    assert changes.counts()["entries moved"] == 1


def test_an_entry_moved_to_another_section_keeps_its_identity():
    new = doc(
        s("Brewing", GONGFU, SCALE, children=OLD.sections[0].children),
        s("Reading", BOOK, NOTES, KETTLE),
    )
    changes = compute_changes(OLD, new)
    assert kinds(changes) == [("changed", "Kettle", ("section",))]
    assert changes.entry_map[EntryRef(("reading",), 2)] == EntryRef(("brewing",), 2)


def test_a_moved_section_keeps_its_entries_unmoved():
    new = doc(
        s("Brewing", GONGFU, SCALE, KETTLE),
        s("Reading", BOOK, NOTES, children=(s("Cold Brew", JAR),)),
    )
    changes = compute_changes(OLD, new)
    assert not changes.entries
    assert [(c.kind, c.old, c.new) for c in changes.sections] == [
        ("moved", ("brewing", "cold-brew"), ("reading", "cold-brew"))
    ]
    assert changes.section_map[("brewing", "cold-brew")] == ("reading", "cold-brew")


def test_a_renamed_section_is_matched_by_its_entries():
    new = doc(OLD.sections[0], s("Books and Notes", BOOK, NOTES))
    changes = compute_changes(OLD, new)
    assert not changes.entries
    assert [(c.kind, c.old_title, c.new_title) for c in changes.sections] == [
        ("renamed", "Reading", "Books and Notes")
    ]


def test_sections_added_removed_and_reordered():
    new = doc(s("Reading", BOOK, NOTES), s("Brewing", GONGFU, SCALE, KETTLE), s("Shops"))
    changes = compute_changes(OLD, new)
    assert sorted((c.kind, c.new_title or c.old_title) for c in changes.sections) == [
        ("added", "Shops"),
        ("moved", "Reading"),
        ("removed", "Cold Brew"),
    ]
    assert kinds(changes) == [("removed", "Jar", ())]


def test_intro_and_footer_changes_are_list_changes():
    new = replace(OLD, intro="Teas and tools.", footer=(FooterBlock("License", "CC0"),))
    changes = compute_changes(OLD, new)
    assert changes.list_fields == ("intro", "footer")
    assert not changes.entries


def test_the_readable_diff_has_counts_and_one_line_per_change():
    new = doc(
        s("Brewing", GONGFU, replace(SCALE, title="Leaf Scale"), children=OLD.sections[0].children),
        s("Reading", BOOK, NOTES, e("Thermo", "https://thermo.example.org")),
    )
    changes = compute_changes(OLD, new)
    text = format_changes(changes, old=OLD, new=new, lines={EntryRef(("reading",), 2): 42})
    assert text.splitlines()[0] == (
        "Change set: 1 entries added, 1 entries removed, 1 entries changed."
    )
    assert "  + Thermo <https://thermo.example.org> in Reading (line 42)" in text
    assert "  - Kettle <https://kettle.example.org> from Brewing" in text
    assert "      title: “Scale” → “Leaf Scale”" in text


# --- entries in several sections (placements) -----------------------------------------------

VIM = e("Vim", "https://vim.example/", "An editor.")
NANO = e("Nano", "https://nano.example/", "Small.")
TMUX = e("Tmux", "https://tmux.example/", "Multiplexer.")
PLACED = doc(s("Editors", VIM, NANO), s("Terminal", VIM, TMUX))


def placements(changes) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(p.kind, p.title, p.section) for p in changes.placements]


def test_an_unchanged_list_with_placements_is_no_change():
    changes = compute_changes(PLACED, PLACED)
    assert changes.is_empty
    assert changes.placements == ()


def test_a_url_listed_in_another_section_too_is_a_placement_added_not_a_move():
    new = doc(s("Editors", VIM, NANO, TMUX), s("Terminal", VIM, TMUX))
    changes = compute_changes(PLACED, new)
    assert kinds(changes) == []  # Tmux is neither moved nor added
    assert placements(changes) == [("added", "Tmux", ("editors",))]
    assert changes.counts()["placements added"] == 1
    text = format_changes(changes, old=PLACED, new=new)
    assert "Tmux now also shown in Editors" in text
    assert "moved" not in text
    assert "+ Tmux <" not in text


def test_a_placement_gone_from_the_readme_is_a_placement_removed_not_an_entry_removed():
    new = doc(s("Editors", VIM, NANO), s("Terminal", TMUX))
    changes = compute_changes(PLACED, new)
    assert kinds(changes) == []
    assert placements(changes) == [("removed", "Vim", ("terminal",))]
    assert "Vim no longer shown in Terminal" in format_changes(changes, old=PLACED, new=new)


def test_listed_first_in_its_other_section_keeps_its_own_section():
    # Terminal now comes first, but Editors still lists Vim: Vim stays an Editors entry.
    new = doc(s("Terminal", VIM, TMUX), s("Editors", VIM, NANO))
    changes = compute_changes(PLACED, new)
    assert placements(changes) == []
    assert kinds(changes) == []
    assert {c.kind for c in changes.sections} == {"moved"}  # only the section order changed
    assert changes.entry_map[EntryRef(("editors",), 0)] == EntryRef(("editors",), 0)
    assert EntryRef(("terminal",), 0) not in changes.entry_map  # a placement, not the entry


def test_a_new_entry_in_two_sections_is_one_addition_and_a_placement():
    tree = e("Tree", "https://tree.example/", "Lists.")
    new = doc(s("Editors", VIM, NANO, tree), s("Terminal", VIM, TMUX, tree))
    changes = compute_changes(PLACED, new)
    assert kinds(changes) == [("added", "Tree", ())]
    assert placements(changes) == [("added", "Tree", ("terminal",))]


def test_dropping_its_first_appearance_moves_it_and_drops_nothing_else():
    new = doc(s("Editors", NANO), s("Terminal", VIM, TMUX))
    changes = compute_changes(PLACED, new)
    assert [(c.kind, c.title, c.fields) for c in changes.entries] == [
        ("changed", "Vim", ("section",))
    ]
    # Editors was its own section, not a placement: the move says it all.
    assert placements(changes) == []
    assert changes.of_kind("removed") == []


def test_old_own_names_the_entry_when_its_own_section_comes_later():
    # Tmux belongs to Terminal and is placed in Editors (an earlier section).
    old = doc(s("Editors", VIM, NANO, TMUX), s("Terminal", VIM, TMUX))
    new = doc(s("Editors", VIM, NANO, TMUX), s("Terminal", VIM))
    own = frozenset({EntryRef(("editors",), 0), EntryRef(("editors",), 1)}) | {
        EntryRef(("terminal",), 1)
    }
    changes = compute_changes(old, new, old_own=frozenset(own))
    # Its own section no longer lists it: it moves to Editors, where it was placed.
    assert kinds(changes) == [("changed", "Tmux", ("section",))]
    assert placements(changes) == []
    # Without knowing, the first appearance is taken for the entry: a placement removed.
    assert placements(compute_changes(old, new)) == [("removed", "Tmux", ("terminal",))]
