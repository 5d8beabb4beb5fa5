"""The README's rule section and `explain` speak from the one catalog."""
from __future__ import annotations

import re
from pathlib import Path

from lint_rules.cli import main
from lint_rules.docs import with_rules
from lint_rules.engine.catalog import RULES

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_section_is_the_generated_one() -> None:
    text = README.read_text(encoding="utf-8")
    assert with_rules(text) == text, "run: python -m lint_rules.docs README.md"


def test_every_rule_has_the_four_doc_sections() -> None:
    for rule in RULES.values():
        headings = re.findall(r"^## (.+)$", rule.docs, flags=re.M)
        assert headings == ["What it does", "Why is this bad?", "Example", "Fix safety"], rule.code


def test_explain_prints_the_rule_docs(capsys) -> None:
    assert main(["explain", "DUR103"]) == 0
    out = capsys.readouterr().out
    assert RULES["DUR103"].docs.strip() in out


def test_quick_start_has_exactly_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```console\n(.+?)\n```", section, flags=re.S)
    assert commands == [
        "pip install -e . && durable-writes check examples/",
        "pip install -e '.[dev]' && python3 -m pytest -q",
    ]
