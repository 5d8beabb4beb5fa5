"""Case files: many tiny modules in one file, each carrying its expected findings inline.

    # case: <name>                  starts a case; names are kebab-case and unique per file
    # config: key=a,b; key2=c       optional first line of a case: the Config to analyse with
    code  # DUR101 DUR102@4         findings expected on this line (optionally with the column)

A line with no such comment must produce nothing.  Each case is analysed on its own: the lines
of every other case are blanked rather than removed, so the line numbers in a failure are the
case file's own and can be opened directly.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from pathlib import Path

from lint_rules.config import Config, split_names

_CASE = re.compile(r"^# case: (?P<name>.*?)\s*$")
_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_CONFIG = re.compile(r"^\s*# config:(?P<body>.*)$")
_EXPECTATION = re.compile(r"^#\s*(?:DUR\d{3}(?:@\d+)?\s*)+$")
_TOKEN = re.compile(r"(?P<code>DUR\d{3})(?:@(?P<col>\d+))?")
# A comment that mentions a code but is not an expectation is almost certainly a typo'd
# expectation; refusing it keeps a case from silently asserting less than it says.
_MENTIONS_CODE = re.compile(r"DUR\d", re.IGNORECASE)

_CONFIG_KEYS = {
    "durable-file-sync-helpers": "file_sync_helpers",
    "durable-dir-sync-helpers": "dir_sync_helpers",
    "durable-rename-helpers": "rename_helpers",
    "durable-open-helpers": "open_helpers",
}


class CaseFileError(ValueError):
    """A case file that does not follow the format above."""


@dataclass(frozen=True)
class Expected:
    line: int
    code: str
    col: int | None = None


@dataclass(frozen=True)
class Case:
    file: str
    name: str
    first_line: int  # the `# case:` line
    last_line: int
    source: str = field(repr=False)  # the whole file with every other case blanked
    config: Config
    expected: tuple[Expected, ...]

    @property
    def id(self) -> str:
        return f"{self.file}:{self.name}"

    def numbered(self) -> str:
        """The case's own lines with their numbers, for failure messages."""
        lines = self.source.splitlines()[self.first_line - 1 : self.last_line]
        return "\n".join(f"{n:4} | {text}" for n, text in enumerate(lines, self.first_line))


def load_cases(path: Path) -> list[Case]:
    return parse_cases(path.read_text(encoding="utf-8"), path.name)


def parse_cases(text: str, file: str) -> list[Case]:
    lines = text.splitlines()
    starts = [n for n, line in enumerate(lines) if _CASE.match(line)]
    if not starts:
        raise CaseFileError(f"{file}: no '# case:' line")
    _check_header(lines[: starts[0]], file)
    cases = []
    for start, end in zip(starts, [*starts[1:], len(lines)]):
        name = _CASE.match(lines[start]).group("name")
        if not _NAME.match(name):
            raise CaseFileError(f"{file}:{start + 1}: case name {name!r} is not kebab-case")
        kept = ["" if not start <= n < end else line for n, line in enumerate(lines)]
        source = "\n".join(kept) + "\n"
        cases.append(
            Case(
                file=file,
                name=name,
                first_line=start + 1,
                last_line=_last_code_line(lines, start, end),
                source=source,
                config=_parse_config(lines[start + 1 : end], file, start + 2),
                expected=_parse_expectations(source, file),
            )
        )
    names = [case.name for case in cases]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CaseFileError(f"{file}: duplicate case names {duplicates}")
    return cases


def _last_code_line(lines: list[str], start: int, end: int) -> int:
    """1-based number of the case's last non-blank line."""
    return max(n + 1 for n in range(start, end) if lines[n].strip())


def _check_header(lines: list[str], file: str) -> None:
    """Before the first case only comments may stand: code there would belong to no case."""
    for n, line in enumerate(lines, 1):
        if line.strip() and not line.lstrip().startswith("#"):
            raise CaseFileError(f"{file}:{n}: code before the first '# case:' line")


def _parse_config(body: list[str], file: str, first_line: int) -> Config:
    for offset, line in enumerate(body):
        if not line.strip():
            continue
        match = _CONFIG.match(line)
        if match is None:
            return Config()
        return _config_from(match.group("body"), f"{file}:{first_line + offset}")
    return Config()


def _config_from(body: str, where: str) -> Config:
    options: dict[str, tuple[str, ...]] = {}
    for item in body.split(";"):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or key not in _CONFIG_KEYS:
            raise CaseFileError(f"{where}: unknown config item {item.strip()!r}")
        options[_CONFIG_KEYS[key]] = split_names(value)
    return Config(**options)


def _parse_expectations(source: str, file: str) -> tuple[Expected, ...]:
    expected = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.COMMENT:
            continue
        line = token.start[0]
        if _EXPECTATION.match(token.string):
            for match in _TOKEN.finditer(token.string):
                col = None if match.group("col") is None else int(match.group("col"))
                expected.append(Expected(line, match.group("code"), col))
        elif _MENTIONS_CODE.search(token.string):
            raise CaseFileError(f"{file}:{line}: malformed expectation {token.string!r}")
    return tuple(expected)
