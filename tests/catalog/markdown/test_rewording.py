"""No rewording that reads worse (issue 12): awesome-lint forbids a description opening with the
item's name; where a lint-clean form keeps the author's words, the import uses it instead of
prefixing "The"."""

from __future__ import annotations

from catalog.markdown import style
from tests.catalog.markdown.shapes import entry, imported

REWORDING = """\
# Awesome Graphs

> Libraries for graphs.

## Libraries

- [PyG](https://pyg.example/) - PyG (PyTorch Geometric) is a library for graph networks.
- [Lightning](https://lightning.example/) - Lightning builds, tests and deploys models.
- [LiteRT](https://litert.example/) - LiteRT (formerly Tensor Lite) is a runtime for phones.
- [Plotter](https://plotter.example/) - Plotter library for drawing graphs.
- [Archive](https://archive.example/) - Archive notes.
"""


def test_the_long_form_goes_first_instead_of_the() -> None:
    doc, _, files = imported(REWORDING)
    # The author's words, in a form awesome-lint accepts.
    assert (
        entry(doc, "PyG").description == "PyTorch Geometric (PyG) is a library for graph networks."
    )
    # A verb followed by a comma is still a verb: "It", not "The Lightning builds".
    assert entry(doc, "Lightning").description == "It builds, tests and deploys models."
    # An aside in brackets (a former name) is not the long form: "The" stays the fallback.
    assert entry(doc, "LiteRT").description.startswith("The LiteRT (formerly Tensor Lite) is")
    assert entry(doc, "Plotter").description == "The Plotter library for drawing graphs."
    readme = files["README.md"]
    assert "The PyG" not in readme
    assert "The Lightning" not in readme
    # A plural noun ending the sentence is no verb.
    assert entry(doc, "Archive").description == "The Archive notes."


def test_the_long_form_rule_is_idempotent_and_keeps_the_authors_spelling() -> None:
    once = style.description("Feast (Feature Store) is a store", title="FEAST")
    assert once == "Feature Store (Feast) is a store."
    assert style.description(once, title="FEAST") == once
    # A long form that repeats the name is no way out.
    assert style.description("Foo (Foo Bar) is x", title="Foo").startswith("The Foo")
