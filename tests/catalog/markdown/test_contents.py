"""The generated Contents goes as deep as the sections do (issue 12, "the export"): H2 and H3
as awesome-lint's two list levels, deeper headings in parentheses after their H3."""

from __future__ import annotations

from pathlib import Path

from tests.catalog.markdown.samples import imported, lint

DEEP = """
    # Awesome Kettles

    > Kettles and what boils in them.

    ## Tools

    - [Alpha](https://alpha.example) - A tool.

    ### Kettles

    #### Electric

    - [Beta](https://beta.example) - A kettle with a plug.

    ##### Cordless

    - [Delta](https://delta.example) - A kettle without a cord.

    #### Stove

    - [Gamma](https://gamma.example) - A kettle for the stove.

    ## Reading

    - [Boiling Points](https://boil.example) - Water at altitude.
"""


def test_contents_reach_every_heading(tmp_path: Path) -> None:
    _, _, _, files = imported(DEEP)
    contents = files["README.md"].split("## Contents\n\n")[1].split("\n\n")[0]
    assert contents.splitlines() == [
        "- [Tools](#tools)",
        "  - [Kettles](#kettles) ([Electric](#electric), [Cordless](#cordless), [Stove](#stove))",
        "- [Reading](#reading)",
    ]
    lint({"deep": files}, tmp_path)
