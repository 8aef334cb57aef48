"""Shape 6 of issue 12: full-width punctuation. ``：`` ``，`` ``。`` separate an item's link from
its description; ``。`` ``！`` ``？`` end a sentence, and no ASCII period is glued after them.
awesome-lint reads only ASCII sentence ends, so the README writes ``。`` as ``.`` while the
stored description (and the list page) keeps the author's ``。``."""

from __future__ import annotations

from pathlib import Path

from catalog.markdown import punctuation, style
from catalog.markdown.document import EntryDoc
from catalog.markdown.render import entry_line
from tests.catalog.markdown.samples import entries_of, imported, lint

CJK = """
    # Awesome Tea Tools

    > 茶具与软件。

    ## 工具

    - [茶时](https://chashi.example)：记录每一泡的时间。
    - [叶秤](https://yecheng.example)，精确到零点一克
    - [茶谱](https://chapu.example) - 收集茶谱的网站（开源）
    - [旧版](https://jiuban.example) - 上一版的说明。.
    - [茶会](https://chahui.example) - 一起喝茶吧！
    - 茶经：一本古书，陆羽著
"""


def test_full_width_separators_and_endings(tmp_path: Path) -> None:
    _, doc, _, files = imported(CJK)
    tools = entries_of(doc, "工具")
    assert [(entry.title, entry.url, entry.description) for entry in tools] == [
        ("茶时", "https://chashi.example", "记录每一泡的时间。"),
        ("叶秤", "https://yecheng.example", "精确到零点一克。"),
        ("茶谱", "https://chapu.example", "收集茶谱的网站（开源）。"),
        ("旧版", "https://jiuban.example", "上一版的说明。"),
        ("茶会", "https://chahui.example", "一起喝茶吧！"),
        ("茶经", "", "一本古书，陆羽著。"),
    ]
    readme = files["README.md"]
    assert "- [茶时](https://chashi.example) - 记录每一泡的时间.\n" in readme
    assert "- [茶会](https://chahui.example) - 一起喝茶吧!\n" in readme
    assert "。." not in readme
    assert "。" not in readme.split("## 工具")[1].split("##")[0]
    lint({"cjk": files}, tmp_path)


def test_latin_text_keeps_its_ascii_period() -> None:
    assert style.description("a tool for tea", title="T") == "A tool for tea."
    assert style.description("工具，for tea", title="T") == "工具，for tea."
    assert style.description("茶具", title="T") == "茶具。"
    assert style.description("茶具.", title="T") == "茶具。"  # as the README writes it
    assert style.description("茶具。.", title="T") == "茶具。"


def test_stored_ending_is_written_for_awesome_lint() -> None:
    entry = EntryDoc("茶", "https://cha.example", "好茶。")
    assert entry_line(entry) == "- [茶](https://cha.example) - 好茶."
    assert punctuation.to_ascii_end("好茶？") == "好茶?"
    assert punctuation.from_ascii_end("好茶?") == "好茶？"
    assert punctuation.from_ascii_end("good tea.") == "good tea."
    # After Latin text the README's "." cannot say it was "。": the stored form is "." too.
    assert style.description("喝 oolong。", title="T") == "喝 oolong."
