"""The demo list "Awesome Plain Text" and the demo accounts, as plain data.

Every sentence here is ours, written for this demo; the URLs point at the real projects (the
tests never fetch them). ``curation/demo/loader.py`` writes this into the database.

Times are not absolute: ``age_days`` counts back from the moment the demo list was first
loaded (its ``created_at``), so the published entries spread over the weeks before that, and
``publish_in_days`` of a scheduled entry counts forward (always into the future, see the loader).
"""

from __future__ import annotations

from dataclasses import dataclass

from catalog.choices import EntrySource, EntryStatus
from curation.models import Role, Verdict

# --- Accounts ---------------------------------------------------------------------------------
# Published on purpose: `make run` prints them and the README lists them. That is why
# `manage.py load_demo` refuses to run with DEBUG off unless told --force.

SUPERUSER = "superuser"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str  # a Role value, or SUPERUSER
    can: str  # what the account may do, in a few words, for the table `make run` prints
    section_path: tuple[str, ...] = ()  # slugs from the top: the role covers this subtree only

    @property
    def is_superuser(self) -> bool:
        return self.role == SUPERUSER


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin",
        "admin-demo-2026",
        SUPERUSER,
        "everything, on every list: accounts, memberships, settings",
    ),
    DemoAccount(
        "curator",
        "curator-demo-2026",
        Role.CURATOR,
        "review, publish, schedule, archive; edit sections and list settings",
    ),
    DemoAccount(
        "reviewer",
        "reviewer-demo-2026",
        Role.REVIEWER,
        "approve, request changes, reject or comment on submissions",
    ),
    DemoAccount(
        "reviewer2",
        "reviewer2-demo-2026",
        Role.REVIEWER,
        "the same; reviews what `reviewer` submitted (nobody approves their own)",
    ),
    DemoAccount(
        "contributor",
        "contributor-demo-2026",
        Role.CONTRIBUTOR,
        "submit entries and edits, answer change requests",
    ),
    DemoAccount(
        "section-editor",
        "markup-editor-demo-2026",
        Role.CURATOR,
        "curator of Markup and its subsections only (a category editor)",
        section_path=("markup",),
    ),
)


# --- The list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoMarker:
    symbol: str
    slug: str
    label: str


@dataclass(frozen=True)
class DemoFooter:
    title: str
    body: str


@dataclass(frozen=True)
class DemoReview:
    reviewer: str  # username of a demo account
    verdict: Verdict
    comment: str = ""


@dataclass(frozen=True)
class DemoEntry:
    title: str
    url: str
    description: str
    tags: tuple[str, ...] = ()
    markers: tuple[str, ...] = ()  # marker slugs
    extra_links: tuple[tuple[str, str], ...] = ()  # (label, url)
    status: EntryStatus = EntryStatus.PUBLISHED
    source: EntrySource = EntrySource.IMPORT
    submitted_by: str | None = None  # username of a demo account
    submitter_email: str = ""  # a visitor's address, for the public form
    age_days: int = 35  # 35: came with the README import
    publish_in_days: int | None = None  # scheduled entries only
    reviews: tuple[DemoReview, ...] = ()


@dataclass(frozen=True)
class DemoSection:
    title: str
    slug: str
    description: str = ""
    entries: tuple[DemoEntry, ...] = ()
    children: tuple[DemoSection, ...] = ()


@dataclass(frozen=True)
class DemoProposal:
    """A pending edit of a published entry: the live entry stays as it is meanwhile."""

    of_title: str
    description: str
    submitted_by: str
    source: EntrySource
    status: EntryStatus = EntryStatus.SUBMITTED
    age_days: int = 1


@dataclass(frozen=True)
class DemoList:
    slug: str
    title: str
    tagline: str
    intro: str
    license: str
    markers: tuple[DemoMarker, ...]
    footer_blocks: tuple[DemoFooter, ...]
    sections: tuple[DemoSection, ...]
    proposals: tuple[DemoProposal, ...]


PICK = "editors-pick"
PROPRIETARY = "proprietary-service"
UNMAINTAINED = "unmaintained"

P = EntryStatus
S = EntrySource
V = Verdict
VISITOR = "a.reader@example.org"

EDITORS = DemoSection(
    "Editors",
    "editors",
    "Programs for writing and changing text files.",
    children=(
        DemoSection(
            "Terminal Editors",
            "terminal",
            "Editors that run in a terminal, on your machine or over SSH.",
            children=(
                DemoSection(
                    "Modal Editors",
                    "modal",
                    "One mode for moving around and another for typing.",
                    entries=(
                        DemoEntry(
                            "Vim",
                            "https://www.vim.org",
                            "A modal editor found on almost every Unix-like system, with decades "
                            "of plugins and documentation behind it.",
                            tags=("C",),
                            markers=(PICK,),
                        ),
                        DemoEntry(
                            "Neovim",
                            "https://neovim.io",
                            "A fork of Vim configured and extended in Lua, with a built-in "
                            "language server client.",
                            tags=("Apache-2.0", "C", "Lua"),
                            markers=(PICK,),
                            extra_links=(("Source Code", "https://github.com/neovim/neovim"),),
                            source=S.API,
                            submitted_by="contributor",
                            age_days=20,
                            reviews=(DemoReview("reviewer", V.APPROVE),),
                        ),
                        DemoEntry(
                            "Helix",
                            "https://helix-editor.com",
                            "Select first, then act: a modal editor with tree-sitter and "
                            "language servers working without any configuration.",
                            tags=("MPL-2.0", "Rust"),
                            extra_links=(("Source Code", "https://github.com/helix-editor/helix"),),
                            source=S.ADMIN,
                            submitted_by="curator",
                            age_days=12,
                        ),
                        DemoEntry(
                            "Kakoune",
                            "https://kakoune.org",
                            "Edits through multiple selections and shows what a command will "
                            "touch before it runs.",
                            tags=("Unlicense", "C++"),
                            status=P.SUBMITTED,
                            source=S.ADMIN,
                            submitted_by="reviewer",
                            age_days=2,
                        ),
                    ),
                ),
                DemoSection(
                    "Modeless Editors",
                    "modeless",
                    "Type and the text appears; commands live on key chords and menus.",
                    entries=(
                        DemoEntry(
                            "GNU nano",
                            "https://www.nano-editor.org",
                            "A small editor that lists its main shortcuts at the bottom of the "
                            "screen, so there is nothing to memorise.",
                            tags=("GPL-3.0", "C"),
                        ),
                        DemoEntry(
                            "micro",
                            "https://micro-editor.github.io",
                            "A single-binary terminal editor with the shortcuts of desktop "
                            "programs and mouse support.",
                            tags=("MIT", "Go"),
                        ),
                        DemoEntry(
                            "GNU Emacs",
                            "https://www.gnu.org/software/emacs/",
                            "An extensible editor that is also a Lisp environment, in a "
                            "terminal or in a window of its own.",
                            tags=("GPL-3.0", "Emacs Lisp"),
                            markers=(PICK,),
                        ),
                    ),
                ),
            ),
        ),
        DemoSection(
            "Graphical Editors",
            "graphical",
            "Desktop editors with windows, tabs and menus.",
            entries=(
                DemoEntry(
                    "Visual Studio Code",
                    "https://code.visualstudio.com",
                    "A widely used editor with a huge extension catalogue; the marketplace and "
                    "the official builds are Microsoft services.",
                    tags=("MIT", "TypeScript"),
                    markers=(PROPRIETARY,),
                ),
                DemoEntry(
                    "Zed",
                    "https://zed.dev",
                    "An editor drawn on the GPU for speed, with collaborative editing built in.",
                    tags=("GPL-3.0", "Rust"),
                    status=P.DRAFT,
                    source=S.ADMIN,
                    submitted_by="contributor",
                    age_days=1,
                ),
                DemoEntry(
                    "Sublime Text",
                    "https://www.sublimetext.com",
                    "A fast closed-source editor that can be evaluated with no time limit.",
                    tags=("Proprietary",),
                    status=P.REJECTED,
                    source=S.PUBLIC_FORM,
                    submitter_email=VISITOR,
                    age_days=10,
                    reviews=(
                        DemoReview(
                            "reviewer",
                            V.REJECT,
                            "This section lists editors whose source is open; Sublime Text "
                            "is proprietary.",
                        ),
                    ),
                ),
                DemoEntry(
                    "Atom",
                    "https://github.com/atom/atom",
                    "GitHub's hackable desktop editor, discontinued and archived in 2022.",
                    tags=("MIT", "JavaScript"),
                    markers=(UNMAINTAINED,),
                    status=P.ARCHIVED,
                ),
            ),
        ),
    ),
)

MARKUP = DemoSection(
    "Markup",
    "markup",
    "Conventions that give plain text a structure programs can render.",
    children=(
        DemoSection(
            "Markdown",
            "markdown",
            "The most common lightweight markup, and the tools that read and check it.",
            entries=(
                DemoEntry(
                    "CommonMark",
                    "https://commonmark.org",
                    "A precise specification of Markdown with a test suite that parsers in "
                    "every language run.",
                    tags=("CC-BY-SA-4.0",),
                    markers=(PICK,),
                    extra_links=(("Demo", "https://spec.commonmark.org/dingus/"),),
                ),
            ),
            children=(
                DemoSection(
                    "Parsers",
                    "parsers",
                    "Libraries that turn Markdown into a tree or into HTML.",
                    entries=(
                        DemoEntry(
                            "markdown-it",
                            "https://github.com/markdown-it/markdown-it",
                            "A fast CommonMark parser for JavaScript whose syntax grows "
                            "through plugins.",
                            tags=("MIT", "JavaScript"),
                            extra_links=(("Demo", "https://markdown-it.github.io/"),),
                        ),
                        DemoEntry(
                            "markdown-it-py",
                            "https://github.com/executablebooks/markdown-it-py",
                            "A Python port of markdown-it that keeps its plugin model and "
                            "passes the CommonMark tests.",
                            tags=("MIT", "Python"),
                            source=S.ADMIN,
                            submitted_by="curator",
                            age_days=18,
                        ),
                        DemoEntry(
                            "cmark",
                            "https://github.com/commonmark/cmark",
                            "The reference CommonMark implementation: a C library and a "
                            "command-line converter.",
                            tags=("BSD-2-Clause", "C"),
                        ),
                        DemoEntry(
                            "goldmark",
                            "https://github.com/yuin/goldmark",
                            "A CommonMark parser for Go built to be extended; the Hugo site "
                            "generator uses it.",
                            tags=("MIT", "Go"),
                            status=P.SUBMITTED,
                            source=S.API,
                            submitted_by="contributor",
                            age_days=3,
                        ),
                    ),
                ),
                DemoSection(
                    "Linters and Formatters",
                    "linters",
                    "Tools that check Markdown or rewrite it into one style.",
                    entries=(
                        DemoEntry(
                            "markdownlint",
                            "https://github.com/DavidAnson/markdownlint",
                            "A Node.js library of Markdown style rules, each of which can be "
                            "configured or switched off.",
                            tags=("MIT", "JavaScript"),
                        ),
                        DemoEntry(
                            "mdformat",
                            "https://github.com/hukkin/mdformat",
                            "Like Black, but for Markdown.",
                            tags=("MIT", "Python"),
                            status=P.CHANGES_REQUESTED,
                            source=S.ADMIN,
                            submitted_by="contributor",
                            age_days=4,
                            reviews=(
                                DemoReview(
                                    "section-editor",
                                    V.REQUEST_CHANGES,
                                    "Please say what it does to a file (lists, emphasis, line "
                                    "wrapping) instead of comparing it with another tool.",
                                ),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        DemoSection(
            "Other Markup Formats",
            "other-formats",
            "When Markdown is not enough: books, manuals, outlines and typesetting.",
            entries=(
                DemoEntry(
                    "Asciidoctor",
                    "https://asciidoctor.org",
                    "A processor for AsciiDoc, a markup with the includes, cross-references "
                    "and admonitions that books and manuals need.",
                    tags=("MIT", "Ruby"),
                ),
                DemoEntry(
                    "Docutils",
                    "https://docutils.sourceforge.io",
                    "The reference implementation of reStructuredText, the markup of most "
                    "Python documentation.",
                    tags=("Python",),
                    status=P.DRAFT,
                    source=S.ADMIN,
                    submitted_by="curator",
                    age_days=1,
                ),
                DemoEntry(
                    "Org Mode",
                    "https://orgmode.org",
                    "Outlines, task lists, tables and runnable code blocks in plain text files, "
                    "edited in Emacs.",
                    tags=("GPL-3.0", "Emacs Lisp"),
                    markers=(PICK,),
                    source=S.COMMAND,
                    age_days=25,
                ),
                DemoEntry(
                    "Typst",
                    "https://typst.app",
                    "A typesetting system with a markup of its own that compiles documents to "
                    "PDF in well under a second.",
                    tags=("Apache-2.0", "Rust"),
                    extra_links=(("Source Code", "https://github.com/typst/typst"),),
                    status=P.APPROVED,
                    source=S.ADMIN,
                    submitted_by="reviewer2",
                    age_days=2,
                    reviews=(DemoReview("reviewer", V.APPROVE),),
                ),
                DemoEntry(
                    "Pandoc",
                    "https://pandoc.org",
                    "Converts documents between dozens of formats, from Markdown and "
                    "reStructuredText to DOCX, EPUB and LaTeX.",
                    tags=("GPL-2.0", "Haskell"),
                    markers=(PICK,),
                    extra_links=(("Demo", "https://pandoc.org/try/"),),
                ),
            ),
        ),
    ),
)

NOTES = DemoSection(
    "Note-Taking",
    "note-taking",
    "Notes kept in files that stay readable without the program that wrote them.",
    entries=(
        DemoEntry(
            "Joplin",
            "https://joplinapp.org",
            "Notes and to-do lists in Markdown, synced end-to-end encrypted through a server "
            "of your choice.",
            tags=("AGPL-3.0", "TypeScript"),
            source=S.ADMIN,
            submitted_by="curator",
            age_days=9,
        ),
        DemoEntry(
            "Logseq",
            "https://logseq.com",
            "An outliner for linked notes that keeps every page as a Markdown or Org file on disk.",
            tags=("AGPL-3.0", "Clojure"),
            status=P.SUBMITTED,
            source=S.PUBLIC_FORM,
            submitter_email=VISITOR,
            age_days=1,
            reviews=(
                DemoReview(
                    "reviewer2",
                    V.COMMENT,
                    "Checking that the pages stay readable outside the app before I approve.",
                ),
            ),
        ),
        DemoEntry(
            "Simplenote",
            "https://simplenote.com",
            "Plain notes synced between devices through the vendor's hosted service.",
            tags=("GPL-2.0",),
            markers=(PROPRIETARY,),
            status=P.REJECTED,
            source=S.PUBLIC_FORM,
            submitter_email="notes.fan@example.org",
            age_days=8,
            reviews=(
                DemoReview(
                    "reviewer2",
                    V.REJECT,
                    "Notes only live on a hosted service you cannot run yourself; this section "
                    "prefers tools that keep files on your disk.",
                ),
            ),
        ),
        DemoEntry(
            "todo.txt",
            "http://todotxt.org",
            "A convention for a task list in one text file, one task per line, with "
            "priorities and contexts any tool can parse.",
            tags=("GPL-3.0", "Shell"),
        ),
    ),
)

DATA_FORMATS = DemoSection(
    "Data Formats",
    "data-formats",
    "Structured data that stays easy to diff and to grep.",
    children=(
        DemoSection(
            "CSV",
            "csv",
            "Tables as lines of comma-separated values.",
            entries=(
                DemoEntry(
                    "Miller",
                    "https://miller.readthedocs.io",
                    "Does what awk, sed, cut and sort do, on records with named fields in CSV, "
                    "TSV or JSON.",
                    tags=("BSD-2-Clause", "Go"),
                    markers=(PICK,),
                ),
                DemoEntry(
                    "csvkit",
                    "https://csvkit.readthedocs.io",
                    "Useful CSV tools.",
                    tags=("MIT", "Python"),
                    status=P.CHANGES_REQUESTED,
                    source=S.PUBLIC_FORM,
                    submitter_email="data.wrangler@example.org",
                    age_days=5,
                    reviews=(
                        DemoReview(
                            "reviewer",
                            V.REQUEST_CHANGES,
                            "The description repeats the section title; please say what the "
                            "tools do (convert, inspect, query, clean).",
                        ),
                    ),
                ),
                DemoEntry(
                    "xsv",
                    "https://github.com/BurntSushi/xsv",
                    "A fast command-line toolkit for indexing, slicing, joining and summarising "
                    "CSV files.",
                    tags=("MIT", "Unlicense", "Rust"),
                    markers=(UNMAINTAINED,),
                    status=P.ARCHIVED,
                ),
            ),
        ),
        DemoSection(
            "JSON",
            "json",
            "Nested data in the syntax of JavaScript literals.",
            entries=(
                DemoEntry(
                    "jq",
                    "https://jqlang.github.io/jq/",
                    "A small functional language for filtering and reshaping JSON on the "
                    "command line.",
                    tags=("MIT", "C"),
                    markers=(PICK,),
                ),
                DemoEntry(
                    "JSON Schema",
                    "https://json-schema.org",
                    "A vocabulary for describing the shape of JSON documents, with validators "
                    "in most languages.",
                    tags=("Specification",),
                    source=S.ADMIN,
                    submitted_by="curator",
                    age_days=22,
                ),
            ),
        ),
        DemoSection(
            "YAML and TOML",
            "yaml-toml",
            "Configuration formats meant to be written by hand.",
            entries=(
                DemoEntry(
                    "yq",
                    "https://github.com/mikefarah/yq",
                    "A single-binary processor for YAML, JSON, XML and TOML with jq-like "
                    "expressions.",
                    tags=("MIT", "Go"),
                    source=S.API,
                    submitted_by="contributor",
                    age_days=15,
                    reviews=(DemoReview("reviewer2", V.APPROVE),),
                ),
                DemoEntry(
                    "yamllint",
                    "https://github.com/adrienverge/yamllint",
                    "Checks YAML files for syntax errors, duplicate keys, indentation and "
                    "other style problems.",
                    tags=("GPL-3.0", "Python"),
                ),
                DemoEntry(
                    "TOML",
                    "https://toml.io",
                    "A configuration format with obvious semantics that maps unambiguously to "
                    "a hash table.",
                    tags=("MIT", "Specification"),
                ),
            ),
        ),
    ),
)

DIFF_VCS = DemoSection(
    "Diffing and Version Control",
    "diff-vcs",
    "Seeing what changed, and keeping every version.",
    entries=(
        DemoEntry(
            "Git",
            "https://git-scm.com",
            "The distributed version control system most plain text projects live in.",
            tags=("GPL-2.0", "C"),
            markers=(PICK,),
        ),
        DemoEntry(
            "difftastic",
            "https://difftastic.wilfred.me.uk",
            "A structural diff that compares syntax trees, so re-indented code shows only the "
            "real changes.",
            tags=("MIT", "Rust"),
            status=P.APPROVED,
            source=S.API,
            submitted_by="contributor",
            age_days=3,
            reviews=(DemoReview("reviewer", V.APPROVE),),
        ),
        DemoEntry(
            "delta",
            "https://github.com/dandavison/delta",
            "A pager for git, diff and grep output with syntax highlighting, line numbers and "
            "a side-by-side view.",
            tags=("MIT", "Rust"),
            status=P.SCHEDULED,
            source=S.ADMIN,
            submitted_by="contributor",
            age_days=4,
            publish_in_days=5,
            reviews=(DemoReview("reviewer2", V.APPROVE),),
        ),
        DemoEntry(
            "GitHub Gist",
            "https://gist.github.com",
            "Share single files and snippets with their full revision history; needs a GitHub "
            "account.",
            tags=("Proprietary",),
            markers=(PROPRIETARY,),
            source=S.ADMIN,
            submitted_by="curator",
            age_days=7,
        ),
    ),
)

TYPOGRAPHY = DemoSection(
    "Typography",
    "typography",
    "Type for people who read fixed-width text all day.",
    entries=(
        DemoEntry(
            "Practical Typography",
            "https://practicaltypography.com",
            "A free online book about typography for everyday writing, from line length to "
            "quotation marks.",
            tags=("Book",),
        ),
    ),
    children=(
        DemoSection(
            "Fonts for Code",
            "fonts-for-code",
            "Monospaced typefaces designed for source code and terminals.",
            entries=(
                DemoEntry(
                    "JetBrains Mono",
                    "https://www.jetbrains.com/lp/mono/",
                    "A monospaced typeface with tall lowercase letters and optional ligatures "
                    "for code.",
                    tags=("OFL-1.1",),
                ),
                DemoEntry(
                    "Iosevka",
                    "https://typeof.net/Iosevka/",
                    "A narrow monospaced family that can be custom-built from a configuration "
                    "file.",
                    tags=("OFL-1.1",),
                    status=P.SCHEDULED,
                    source=S.ADMIN,
                    submitted_by="contributor",
                    age_days=3,
                    publish_in_days=12,
                    reviews=(DemoReview("reviewer", V.APPROVE),),
                ),
            ),
        ),
    ),
)

BOOKS = DemoSection(
    "Books and Reading",
    "books",
    "Longer reads on why plain text lasts.",
    entries=(
        DemoEntry(
            "The Unix Programming Environment",
            "",
            "Kernighan and Pike's 1984 book (in print, not online): its chapters on filters "
            "and pipes show why small tools over text combine so well.",
            tags=("Book",),
            markers=(PICK,),
        ),
        DemoEntry(
            "The Plain Text Project",
            "https://plaintextproject.online",
            "Articles and tool reviews about getting work done in plain text.",
            tags=("Blog",),
            source=S.COMMAND,
            age_days=28,
        ),
    ),
)

DEMO_LIST = DemoList(
    slug="awesome-plain-text",
    title="Awesome Plain Text",
    tagline="Tools, formats and reading for people who keep their work in plain text.",
    intro=(
        "Plain text is the file format every program can open and every future program will "
        "still read. This list gathers editors, markup languages, note-taking tools, data "
        "formats, diff tools, fonts and books for working with it.\n\n"
        "Entries marked ⭐ are the editors' picks; the legend explains the other markers."
    ),
    license="CC0-1.0",
    markers=(
        DemoMarker("⭐", PICK, "Editor's pick"),
        DemoMarker("⚠", PROPRIETARY, "Depends on a proprietary service"),
        DemoMarker("💤", UNMAINTAINED, "Unmaintained"),
    ),
    footer_blocks=(
        DemoFooter(
            "Contributing",
            "Suggestions are welcome: use the form on the list's page, or ask for a "
            "contributor account. Describe the tool in one sentence that says what it does, "
            "not how good it is. A reviewer reads every suggestion before it is published.",
        ),
        DemoFooter(
            "License",
            "The text of this list is dedicated to the public domain under "
            "[CC0 1.0](https://creativecommons.org/publicdomain/zero/1.0/): copy, adapt and "
            "republish it without asking.",
        ),
    ),
    sections=(EDITORS, MARKUP, NOTES, DATA_FORMATS, DIFF_VCS, TYPOGRAPHY, BOOKS),
    proposals=(
        DemoProposal(
            of_title="jq",
            description=(
                "A small functional language for filtering, transforming and building JSON, "
                "shipped as one binary with no dependencies."
            ),
            submitted_by="contributor",
            source=S.API,
        ),
    ),
)
