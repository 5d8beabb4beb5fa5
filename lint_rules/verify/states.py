"""Crash states: which effects are on disk if power is lost after the first `point` operations.

At a crash point, the effects of the operations that had run are candidates; those an fsync
already made durable are certain; any other set of candidates can be on disk as long as it is
*dependency-closed* (an effect is there only with everything it needs).  We enumerate those sets
in program order, deciding each free effect in turn, so only closed sets are ever built.

Only effects that can change a watched file take part (`relevant`); a need that passes through
an effect that does not take part is followed to the relevant effects behind it.  Two crash
points with the same candidates, the same durable set and the same acknowledgements give the
same states; we visit the first of them, and a point whose next operation neither syncs nor
acknowledges has no state that the next point lacks, so only the last of such a run is
visited.  Past `bound` states, a crash point is sampled: random closed sets (seeded), plus its
smallest and its largest.

Two things keep large writes cheap (a 60 MB file is 15,000 page effects under posix):
- with a `Reach` for the watched path, the data effects of an inode the path cannot name at a
  crash point (the temp file before its rename) are left out there: whether they persisted
  changes nothing the path reads.  Needs through them are followed, so this is exact;
- a sampled point draws at most WORK // (its free effects) states (at least MIN_SAMPLES):
  each costs a decision per free effect, and then a replay of them.
"""
from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field
from typing import Iterator

from .models import Effect, Plan
from .ops import Ack, Op

DEFAULT_BOUND = 20000
WORK = 1 << 18  # effect decisions a sampled crash point may spend
MIN_SAMPLES = 16
MAX_WALK = 200  # free effects up to which the closed states are counted, not assumed many


@dataclass(frozen=True)
class Reach:
    """How one path reaches inodes: the inode it names before the run, the effects that link
    it to an inode (a create at it, a rename onto it), and the inode each data effect changes."""

    initial: int | None
    links: dict[int, int]  # effect index → the inode the path then names
    data: dict[int, int]  # effect index → the inode whose size or bytes it sets


@dataclass(frozen=True)
class CrashState:
    point: int  # operations that had run when the power was lost
    persisted: frozenset[int]  # indices into plan.effects
    # Effects that had run but could not change the file at this point (their inode was not
    # one its path could name): whether they persisted is not decided.
    ignored: frozenset[int] = frozenset()


@dataclass
class Enumeration:
    states: list[CrashState] = field(default_factory=list)
    points: int = 0  # distinct crash points visited
    sampled_points: int = 0  # of those, how many were sampled rather than enumerated
    bound: int = DEFAULT_BOUND

    @property
    def exhaustive(self) -> bool:
        return self.sampled_points == 0


def crash_states(plan: Plan, ops: list[Op], relevant: set[int] | None = None,
                 bound: int = DEFAULT_BOUND, seed: int = 0,
                 reach: Reach | None = None) -> Enumeration:
    relevant = set(range(len(plan.effects))) if relevant is None else set(relevant)
    needs = _relevant_needs(plan, relevant)
    points = list(_distinct_points(_reachable(_points(plan, ops, relevant, needs), reach,
                                              needs)))
    result = Enumeration(points=len(points), bound=bound)
    per_point = max(64, bound // max(1, len(points)))
    rng = random.Random(seed)
    seen: set[tuple[frozenset[int], int]] = set()
    for point, executed, durable, acks, ignored, point_needs in points:
        free = [e for e in executed if e not in durable]
        sets = _at_most(free, durable, point_needs, per_point)
        if sets is None:
            result.sampled_points += 1
            count = min(per_point, max(MIN_SAMPLES, WORK // len(free)))
            sets = _sampled_sets(free, durable, point_needs, count, rng)
        for persisted in sets:
            if (persisted, acks) not in seen:
                seen.add((persisted, acks))
                result.states.append(CrashState(point, persisted, ignored))
    return result


def _at_most(free: list[int], durable: frozenset[int], needs,
             count: int) -> list[frozenset[int]] | None:
    """Every closed state of the point if there are at most `count`, else None.  Needs prune
    most subsets (ext4 orders a file's growth: 15 writes are 16 states, not 2^15), so the
    walk is tried where it is short enough to stop early; it recurses once per free effect."""
    if 2 ** min(len(free), 64) <= count:
        return list(_closed_sets(free, durable, needs))
    if len(free) > MAX_WALK:
        return None
    found = list(itertools.islice(_closed_sets(free, durable, needs), count + 1))
    return found if len(found) <= count else None


def _reachable(points: Iterator[Point], reach: Reach | None,
               needs: list[frozenset[int]]) -> Iterator[tuple]:
    """Each point without the data effects of inodes the path cannot name there, with the
    needs looked through them; unchanged without a `reach`."""
    for point, executed, durable, acks in points:
        if reach is None:
            yield point, executed, durable, acks, frozenset(), needs
            continue
        named = {reach.initial} | {reach.links[e] for e in executed if e in reach.links}
        ignored = frozenset(e for e in executed if e in reach.data and reach.data[e] not in named)
        if not ignored:
            yield point, executed, durable, acks, ignored, needs
            continue
        point_needs = _NeedsThrough(needs, ignored)
        yield (point, [e for e in executed if e not in ignored], durable - ignored, acks,
               ignored, point_needs)


class _NeedsThrough:
    """`needs`, with each need on an ignored effect replaced by what that effect needs."""

    def __init__(self, needs: list[frozenset[int]], ignored: frozenset[int]) -> None:
        self.needs, self.ignored, self.cache = needs, ignored, {}

    def __getitem__(self, effect: int) -> frozenset[int]:
        found = self.cache.get(effect)
        if found is None:
            # A loop, not recursion: a temp file's ext4 growth is a chain as long as its writes.
            reached: set[int] = set()
            todo, visited = list(self.needs[effect]), set()
            while todo:
                need = todo.pop()
                if need in visited:
                    continue
                visited.add(need)
                if need in self.ignored:
                    todo.extend(self.needs[need])
                else:
                    reached.add(need)
            found = self.cache[effect] = frozenset(reached)
        return found


def _relevant_needs(plan: Plan, relevant: set[int]) -> list[frozenset[int]]:
    """Per effect, the relevant effects it needs, looking through irrelevant ones."""
    through: list[frozenset[int]] = []
    for needs in plan.needs:
        reached: set[int] = set()
        for need in needs:
            reached |= {need} if need in relevant else through[need]
        through.append(frozenset(reached))
    return through


def states_at(plan: Plan, ops: list[Op], point: int,
              relevant: set[int] | None = None) -> set[frozenset[int]]:
    """Every dependency-closed state at one crash point (no bound, no deduplication)."""
    relevant = set(range(len(plan.effects))) if relevant is None else set(relevant)
    needs = _relevant_needs(plan, relevant)
    for at, executed, durable, _ in _points(plan, ops, relevant, needs, every=True):
        if at == point:
            return set(_closed_sets([e for e in executed if e not in durable], durable, needs))
    raise ValueError(f"no crash point {point}: there are {len(ops)} operations")


Point = tuple[int, list[int], frozenset[int], int]  # point, executed, durable, acks


def _distinct_points(points: Iterator[tuple]) -> Iterator[tuple]:
    previous = None
    for point in points:
        signature = (tuple(point[1]), point[2], point[3])
        if signature != previous:
            previous = signature
            yield point


def _points(plan: Plan, ops: list[Op], relevant: set[int], needs: list[frozenset[int]],
            every: bool = False) -> Iterator[Point]:
    by_op: dict[int, list[int]] = {}
    for index, effect in enumerate(plan.effects):
        if index in relevant:
            by_op.setdefault(effect.op, []).append(index)
    executed: list[int] = []
    last_sync: dict[object, int] = {}  # key → index of the latest op that synced it
    sync_all = -1
    acks = 0
    durable: frozenset[int] = frozenset()
    for point in range(len(ops) + 1):
        if point > 0:
            op_index = point - 1
            executed.extend(by_op.get(op_index, ()))
            if op_index in plan.syncs:
                keys = plan.syncs[op_index]
                if keys is None:
                    sync_all = op_index
                else:
                    for key in keys:
                        last_sync[key] = op_index
                # Only a sync makes effects durable: the set is recomputed there alone.
                durable = _close({e for e in executed
                                  if _synced(plan.effects[e], last_sync, sync_all)}, needs)
            if isinstance(ops[op_index], Ack):
                acks += 1
        if every or not _dominated(point, plan, ops):
            yield point, list(executed), durable, acks


def _dominated(point: int, plan: Plan, ops: list[Op]) -> bool:
    """Whether the next point has every state of this one: the next operation neither
    acknowledges nor syncs, so the same effects stay durable, the same acknowledgements have
    run, and a closed set now is still one after it.  Only the last point of such a run is
    visited (where the report shows what was lost), which keeps many writes cheap."""
    return point < len(ops) and not isinstance(ops[point], Ack) and point not in plan.syncs


def _synced(effect: Effect, last_sync: dict[object, int], sync_all: int) -> bool:
    """Every key of the effect was synced by an operation after it."""
    if sync_all > effect.op:
        return True
    return all(last_sync.get(key, -1) > effect.op for key in effect.keys)


def _close(effects: set[int], needs: list[frozenset[int]]) -> frozenset[int]:
    closed = set(effects)
    todo = list(effects)
    while todo:
        for need in needs[todo.pop()]:
            if need not in closed:
                closed.add(need)
                todo.append(need)
    return frozenset(closed)


def _closed_sets(free: list[int], durable: frozenset[int],
                 needs: list[frozenset[int]]) -> Iterator[frozenset[int]]:
    """Every dependency-closed superset of `durable` within `durable ∪ free`."""
    def walk(position: int, chosen: frozenset[int]) -> Iterator[frozenset[int]]:
        if position == len(free):
            yield chosen
            return
        effect = free[position]
        yield from walk(position + 1, chosen)
        if needs[effect] <= chosen:
            yield from walk(position + 1, chosen | {effect})

    return walk(0, durable)


def _sampled_sets(free: list[int], durable: frozenset[int], needs: list[frozenset[int]],
                  count: int, rng: random.Random) -> Iterator[frozenset[int]]:
    yield durable
    yield _close(set(durable) | set(free), needs)
    for _ in range(count - 2):
        chosen = set(durable)
        for effect in free:
            if needs[effect] <= chosen and rng.random() < 0.5:
                chosen.add(effect)
        yield frozenset(chosen)
