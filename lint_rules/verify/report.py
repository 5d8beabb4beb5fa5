"""A verification in words: what ran, what was checked, and each violating crash state as
"power lost after ...; these operations persisted, these were lost; the file then held ..."."""
from __future__ import annotations

import shlex
from collections import Counter

from .check import (FileResult, FileState, ModelResult, StateVerdict, Verification,
                    size_in_words)
from .models import Plan
from .ops import Ack, describe

MAX_OPS_LISTED = 60
MAX_OPS_PER_STATE = 12
MAX_PAGES_LISTED = 4


def render(verification: Verification, limit: int = 10) -> str:
    short = verification.short
    lines = [f"durable-writes verify: {_command(verification.command)}"]
    lines += _watched(verification, short)
    lines += _operations(verification, short)
    for note in verification.gaps:
        lines.append(f"unverifiable: {note}")
    for note in verification.warnings:
        lines.append(f"warning: {note}")
    for result in verification.results.values():
        lines.append("")
        lines += _model(verification, result, short, limit)
    lines.append("")
    lines.append(_verdict(verification))
    return "\n".join(lines) + "\n"


def _command(argv: list[str]) -> str:
    """The command as a shell would take it, a multi-line argument (`-c` source) cut short."""
    if not argv:
        return "(recorded trace)"
    shown = [arg.strip().splitlines()[0] + " ..." if "\n" in arg.strip() else arg for arg in argv]
    return shlex.join(shown)


def _watched(verification: Verification, short) -> list[str]:
    if not verification.watched:
        return ["watched files: none of the watched paths was written, renamed or removed"]
    lines = ["watched files:"]
    for path in verification.watched:
        lines.append(f"  {short(path)}: old {size_in_words(verification.old[path])}, "
                     f"new {size_in_words(verification.new[path])}")
    return lines


def _operations(verification: Verification, short) -> list[str]:
    listed = _ops_that_matter(verification)
    acks = sum(isinstance(op, Ack) for op in verification.ops)
    lines = [f"trace: {len(verification.ops)} operations ({acks} acknowledgements), "
             f"exit status {verification.returncode}; those that matter:"]
    for index in listed[:MAX_OPS_LISTED]:
        lines.append(f"  #{index} {describe(verification.ops[index], short)}")
    if len(listed) > MAX_OPS_LISTED:
        lines.append(f"  ... and {len(listed) - MAX_OPS_LISTED} more")
    return lines


def _ops_that_matter(verification: Verification) -> list[int]:
    """Operations behind effects on watched files, syncs, and acknowledgements."""
    indices = {i for i, op in enumerate(verification.ops) if isinstance(op, Ack)}
    for result in verification.results.values():
        indices |= set(result.plan.syncs)
        for file in result.files.values():
            indices |= {result.plan.effects[e].op for e in file.relevant}
    return sorted(indices)


def _model(verification: Verification, result: ModelResult, short, limit: int) -> list[str]:
    lines = [f"model {result.model}:"]
    for file in result.files.values():
        lines += _file(verification, result, file, short, limit)
    return lines


def _file(verification: Verification, result: ModelResult, file: FileResult, short,
          limit: int) -> list[str]:
    enumeration = file.enumeration
    if enumeration.exhaustive:
        how = "every dependency-closed state"
    else:
        how = (f"sampled at {enumeration.sampled_points} of them, where the states exceeded "
               f"their share of --max-states ({enumeration.bound}): its smallest and largest "
               "closed states and others drawn at random, fewer where it has more effects")
    lines = [f"  {short(file.path)}: {len(file.verdicts)} distinct crash states at "
             f"{enumeration.points} crash points ({how})"]
    tally = Counter((f.kind, f.acknowledged is not None)
                    for verdict in file.verdicts for f in verdict.files)
    for acknowledged, when in ((False, "before the acknowledgement"),
                               (True, "after the acknowledgement")):
        kinds = [f"{kind} in {n}" for (kind, after), n in sorted(tally.items())
                 if after == acknowledged]
        if kinds:
            lines.append(f"    {when}: {', '.join(kinds)}")
    violating = [v for v in file.verdicts if v.violations]
    if not violating:
        lines.append("    no violating state")
        return lines
    shown = _diverse(violating)[:limit]
    first = f"; the first {len(shown)}:" if len(shown) < len(violating) else ":"
    lines.append(f"    {_count(len(violating), 'violating state')}{first}")
    for number, verdict in enumerate(shown, start=1):
        lines += _state(number, verdict, verification, result.plan, file, short)
    return lines


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _diverse(violating: list[StateVerdict]) -> list[StateVerdict]:
    """One state per distinct kind of violation first, then the rest in order."""
    first, rest, seen = [], [], set()
    for verdict in violating:
        signature = frozenset((f.path, f.kind, f.acknowledged is not None)
                              for f in verdict.violations)
        (rest if signature in seen else first).append(verdict)
        seen.add(signature)
    return first + rest


def _state(number: int, verdict: StateVerdict, verification: Verification, plan: Plan,
           file: FileResult, short) -> list[str]:
    ops, state = verification.ops, verdict.state
    last = state.point - 1
    where = (f"after #{last} {describe(ops[last], short)}" if last >= 0
             else "before the first operation")
    lines = [f"    {number}. power lost {where}:"]
    for f in verdict.violations:
        promise = (f", promised by #{f.acknowledged} {describe(ops[f.acknowledged], short)}"
                   if f.acknowledged is not None else "")
        lines.append(f"       {short(f.path)} is {f.violation}{promise}: {_held(f)}")
    executed = {e for e in file.relevant
                if plan.effects[e].op < state.point and e not in state.ignored}
    lines.append("       persisted: " + _effects(sorted(state.persisted), plan, ops, short))
    lost = sorted(executed - state.persisted)
    lines.append("       lost:      " + _effects(lost, plan, ops, short))
    return lines


def _effects(indices: list[int], plan: Plan, ops, short) -> str:
    """Effects grouped by operation: `#2 write 8 bytes ... [size]`; a long list (a large file
    is thousands of pages, in hundreds of writes) is cut short with a count."""
    if not indices:
        return "nothing"
    per_op = Counter(effect.op for effect in plan.effects)
    pages = Counter(effect.op for effect in plan.effects if effect.part.startswith("data["))
    by_op: dict[int, list[str]] = {}
    for index in indices:
        effect = plan.effects[index]
        by_op.setdefault(effect.op, []).append(effect.part)
    items = []
    for op, parts in list(by_op.items())[:MAX_OPS_PER_STATE]:
        suffix = f" [{_parts(parts, pages[op])}]" if any(parts) and per_op[op] > 1 else ""
        items.append(f"#{op} {describe(ops[op], short)}{suffix}")
    if len(by_op) > MAX_OPS_PER_STATE:
        items.append(f"... and {len(by_op) - MAX_OPS_PER_STATE} more operations")
    return "; ".join(items)


def _parts(parts: list[str], pages_of_op: int) -> str:
    pages = [p for p in parts if p.startswith("data[")]
    if len(pages) <= MAX_PAGES_LISTED:
        return ", ".join(p for p in parts if p)
    others = [p for p in parts if p and not p.startswith("data[")]
    return ", ".join([*others, f"{len(pages)} of its {pages_of_op} data pages"])


def _held(file: FileState) -> str:
    if file.size is None:
        return "the file does not exist"
    more = "..." if file.size > len(file.preview) else ""
    return f"it holds {file.size} bytes {file.preview!r}{more}"


def _verdict(verification: Verification) -> str:
    parts = []
    for name, result in verification.results.items():
        count = len(result.violating)
        parts.append(f"NOT DURABLE under {name} ({_count(count, 'violating state')})" if count
                     else f"durable under {name}")
    if not parts:
        return "verdict: no model was checked"
    if verification.unverifiable:
        return ("verdict: UNVERIFIABLE: the trace does not show all that changed the watched "
                f"files ({_count(len(verification.gaps), 'reason')} above); the traced "
                "operations alone give: " + "; ".join(parts))
    return "verdict: " + "; ".join(parts)
