"""LibCST sees only the top-level statements that get an edit, and the result is the same as
if it had seen the whole module."""
from __future__ import annotations

import pytest

from lint_rules.fixer import transform
from lint_rules.fixer.transform import fix_source

from .pairs import all_pairs

PAIRS = [pytest.param(pair, id=pair.name) for pair in all_pairs()]


def whole_module(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the fixer hand LibCST the whole module, as it did before it cut out chunks."""
    monkeypatch.setattr(transform, "_chunks", lambda tree, findings, support: [(1, 10**9)])


@pytest.mark.parametrize("pair", PAIRS)
def test_chunks_give_what_the_whole_module_gives(pair, monkeypatch) -> None:
    chunked = fix_source(pair.before, pair.name)
    whole_module(monkeypatch)
    assert chunked == fix_source(pair.before, pair.name)


FILLER = "def filler_{n}(x):\n    # a comment\n    return x + {n}\n\n\n"
WRITER = '''\
@decorated
def save_{n}(path, state):  # trailing comment
    with open(path + ".tmp", "w") as fh:
        fh.write(state)
    os.replace(path + ".tmp", path)


'''


def big_module(writers: tuple[int, ...], head: str = "import os\n\n\n") -> str:
    parts = [head]
    for n in range(300):
        parts.append(WRITER.format(n=n) if n in writers else FILLER.format(n=n))
    parts.append("x = 1; y = 2  # two statements on a line\n# the end\n")
    return "".join(parts)


def texts_parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = transform.cst.parse_module

    def spy(text, *args, **kwargs):
        seen.append(text)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(transform.cst, "parse_module", spy)
    return seen


def test_only_the_statements_with_edits_reach_libcst(monkeypatch: pytest.MonkeyPatch) -> None:
    source = big_module((40, 41, 200))
    seen = texts_parsed(monkeypatch)
    fixed = fix_source(source.encode(), "big.py").decode()
    # Two chunks: the adjacent writers 40 and 41 together, and 200; `os` is imported already.
    assert len(seen) == 2
    assert seen[0].startswith("\n\n@decorated\ndef save_40(") and "def save_41(" in seen[0]
    assert "def save_200(" in seen[1] and "filler" not in "".join(seen)
    assert sum(map(len, seen)) < len(source) / 20
    assert fixed.count("os.fsync(fh.fileno())") == 3
    assert fixed.count("def _fsync_parent_dir(") == 1
    assert fixed.index("def _fsync_parent_dir(") < fixed.index("def save_40(")
    assert fixed.endswith("x = 1; y = 2  # two statements on a line\n# the end\n")


def test_the_head_is_parsed_where_import_os_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    head = '"""Doc."""\nimport json\nfrom os import replace\n\n\n'
    source = big_module((150,), head=head).replace("os.replace(", "replace(")
    seen = texts_parsed(monkeypatch)
    fixed = fix_source(source.encode(), "big.py").decode()
    assert seen[0].startswith('"""Doc."""\nimport json\n') and "filler_1(" not in seen[0]
    assert fixed.startswith('"""Doc."""\nimport json\nfrom os import replace\nimport os\n')


def test_a_module_without_a_final_newline(monkeypatch: pytest.MonkeyPatch) -> None:
    source = big_module((299,)).rsplit("x = 1", 1)[0].rstrip("\n")
    fixed = fix_source(source.encode(), "big.py").decode()
    whole_module(monkeypatch)
    assert fixed == fix_source(source.encode(), "big.py").decode()


def test_a_cut_libcst_refuses_falls_back_to_the_whole_module(
        monkeypatch: pytest.MonkeyPatch) -> None:
    source = big_module((10, 250))
    expected = fix_source(source.encode(), "big.py")
    real = transform.cst.parse_module

    def refuse_chunks(text, *args, **kwargs):
        if len(text) < len(source):
            raise transform.cst.ParserSyntaxError("simulated", lines=[""], raw_line=1,
                                                  raw_column=0)
        return real(text, *args, **kwargs)

    monkeypatch.setattr(transform.cst, "parse_module", refuse_chunks)
    assert fix_source(source.encode(), "big.py") == expected
