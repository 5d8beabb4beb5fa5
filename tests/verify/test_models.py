"""The persistence models on hand-built operation lists: the exact crash states at a point.

A state is written as the set of effect labels on disk: `#1 size` is the size part of
operation #1, `#1 data` its data, `#1 growth` (ext4) data and size together, `#0` an operation
that is a single effect.
"""
from __future__ import annotations

import pytest

from lint_rules.verify.models import MODELS
from lint_rules.verify.ops import Ack, Create, Fsync, Rename, SyncAll, Truncate, Unlink, Write
from lint_rules.verify.states import crash_states, states_at


def S(*labels: str) -> frozenset[str]:
    return frozenset(labels)


def at(model: str, ops, point: int, relevant=None) -> set[frozenset[str]]:
    plan = MODELS[model](ops)
    return {frozenset(plan.effects[e].label for e in state)
            for state in states_at(plan, ops, point, relevant)}


GROW = [Create("/d/f", 1), Write(1, "/d/f", 0, b"abc", 0)]


# -- posix ---------------------------------------------------------------------------------------
def test_posix_without_a_sync_any_subset_persists():
    assert at("posix", GROW, 2) == {
        S(), S("#0"), S("#1 size"), S("#1 data"), S("#0", "#1 size"), S("#0", "#1 data"),
        S("#1 size", "#1 data"), S("#0", "#1 size", "#1 data")}


def test_posix_crash_points_see_only_what_had_run():
    assert at("posix", GROW, 0) == {S()}
    assert at("posix", GROW, 1) == {S(), S("#0")}


def test_posix_file_fsync_makes_data_and_size_durable_but_not_the_entry():
    ops = [*GROW, Fsync("/d/f", 1)]
    assert at("posix", ops, 3) == {S("#1 size", "#1 data"), S("#0", "#1 size", "#1 data")}


def test_posix_directory_fsync_makes_the_entry_durable_but_not_the_data():
    ops = [*GROW, Fsync("/d", None)]
    assert at("posix", ops, 3) == {
        S("#0"), S("#0", "#1 size"), S("#0", "#1 data"), S("#0", "#1 size", "#1 data")}


def test_posix_an_fsync_before_a_write_does_not_cover_it():
    ops = [Create("/d/f", 1), Fsync("/d/f", 1), Write(1, "/d/f", 0, b"abc", 0)]
    assert S("#0") in at("posix", ops, 3)
    assert S() in at("posix", ops, 3)


def test_posix_rename_across_directories_needs_both_directories_synced():
    ops = [Rename("/a/x", "/b/x", 1, None), Fsync("/b", None), Fsync("/a", None)]
    assert at("posix", ops, 2) == {S(), S("#0")}
    assert at("posix", ops, 3) == {S("#0")}


def test_posix_sync_makes_everything_durable():
    assert at("posix", [*GROW, SyncAll()], 3) == {S("#0", "#1 size", "#1 data")}


def test_posix_data_persists_page_by_page_and_an_overwrite_has_no_size():
    overwrite = [Write(1, "/d/f", 4000, b"x" * 200, 4200)]
    assert at("posix", overwrite, 1) == {
        S(), S("#0 data[4000:4096]"), S("#0 data[4096:4200]"),
        S("#0 data[4000:4096]", "#0 data[4096:4200]")}
    growth = [Write(1, "/d/f", 4090, b"y" * 10, 4090)]
    plan = MODELS["posix"](growth)
    assert [e.label for e in plan.effects] == [
        "#0 size", "#0 data[4090:4096]", "#0 data[4096:4100]"]


# -- ext4 ----------------------------------------------------------------------------------------
def test_ext4_metadata_persists_as_a_prefix_in_program_order():
    ops = [Create("/d/a", 1), Create("/d/b", 2), Unlink("/d/a", 1)]
    assert at("ext4", ops, 3) == {S(), S("#0"), S("#0", "#1"), S("#0", "#1", "#2")}


def test_ext4_growth_is_atomic_with_its_size_and_follows_the_metadata_before_it():
    assert at("ext4", GROW, 2) == {S(), S("#0"), S("#0", "#1 growth")}


def test_ext4_growth_of_one_file_persists_in_order():
    ops = [Write(1, "/d/f", 0, b"a", 0), Write(1, "/d/f", 1, b"b", 1)]
    assert at("ext4", ops, 2) == {S(), S("#0 growth"), S("#0 growth", "#1 growth")}


def test_ext4_truncate_is_metadata_and_a_later_growth_waits_for_it():
    ops = [Truncate(1, "/d/f", 0, 9), Write(1, "/d/f", 0, b"new", 0)]
    assert at("ext4", ops, 2) == {S(), S("#0"), S("#0", "#1 growth")}


def test_ext4_overwrites_are_unordered():
    ops = [Create("/d/g", 2), Write(1, "/d/f", 0, b"ab", 10)]
    assert at("ext4", ops, 2) == {S(), S("#0"), S("#1 data"), S("#0", "#1 data")}


def test_ext4_rename_over_an_existing_name_waits_for_the_renamed_files_growth():
    replacing = [Create("/d/t", 1), Write(1, "/d/t", 0, b"new", 0),
                 Rename("/d/t", "/d/x", 1, replaced=2)]
    chain = {S(), S("#0"), S("#0", "#1 growth"), S("#0", "#1 growth", "#2")}
    assert at("ext4", replacing, 3) == chain
    fresh = [*replacing[:2], Rename("/d/t", "/d/x", 1, replaced=None)]
    assert at("ext4", fresh, 3) == chain | {S("#0", "#2")}


def test_ext4_fsync_commits_the_journal_and_the_synced_files_data_only():
    ops = [Create("/d/a", 1), Write(1, "/d/a", 0, b"A", 0),
           Create("/d/b", 2), Write(2, "/d/b", 0, b"B", 0), Fsync("/d/a", 1)]
    assert at("ext4", ops, 5) == {
        S("#0", "#1 growth", "#2"), S("#0", "#1 growth", "#2", "#3 growth")}


def test_ext4_directory_fsync_commits_the_journal_but_not_delayed_data():
    ops = [*GROW, Fsync("/d", None)]
    assert at("ext4", ops, 3) == {S("#0"), S("#0", "#1 growth")}


# -- enumeration ---------------------------------------------------------------------------------
def test_a_need_through_an_effect_that_does_not_take_part_is_followed():
    ops = [Create("/d/a", 1), Create("/d/tmp", 2), Rename("/d/b", "/d/c", 3, None)]
    # ext4's chain: #2 needs #1 needs #0.  Without #1 taking part, #2 still needs #0.
    assert at("ext4", ops, 3, relevant={0, 2}) == {S(), S("#0"), S("#0", "#2")}


def test_crash_states_visit_each_distinct_point_once_and_say_they_are_exhaustive():
    ops = [*GROW, Ack("saved"), Fsync("/d/f", 1)]
    plan = MODELS["ext4"](ops)
    result = crash_states(plan, ops)
    assert result.exhaustive
    # Before the ack, after it, after the fsync: points 0 and 1 have no state that point 2
    # (their next operations neither sync nor acknowledge) lacks.
    assert result.points == 3
    labelled = [(s.point, frozenset(plan.effects[e].label for e in s.persisted))
                for s in result.states]
    assert labelled == [
        (2, S()), (2, S("#0")), (2, S("#0", "#1 growth")),
        (3, S()), (3, S("#0")), (3, S("#0", "#1 growth"))]  # the same sets, now acknowledged


def test_past_the_bound_a_point_is_sampled_with_closed_states():
    ops = [op for i in range(1, 11)
           for op in (Create(f"/d/f{i}", i), Write(i, f"/d/f{i}", 0, b"x", 0))]
    plan = MODELS["ext4"](ops)
    result = crash_states(plan, ops, bound=64, seed=1)
    assert not result.exhaustive and result.sampled_points > 0
    for state in result.states:
        for effect in state.persisted:
            assert plan.needs[effect] <= state.persisted
    assert frozenset(range(len(plan.effects))) in {s.persisted for s in result.states}
    assert crash_states(plan, ops, bound=10 ** 9).exhaustive


def test_sampling_is_repeatable_with_the_same_seed():
    ops = [Create(f"/d/f{i}", i) for i in range(12)]
    plan = MODELS["posix"](ops)
    first = crash_states(plan, ops, bound=64, seed=7).states
    assert first == crash_states(plan, ops, bound=64, seed=7).states


def test_an_unknown_crash_point_is_an_error():
    with pytest.raises(ValueError):
        states_at(MODELS["posix"](GROW), GROW, 3)


# -- per-point reach and the sampling budget -----------------------------------------------------
# A three-page temp file renamed over an existing one (inode 1), with a print in between.
REPLACE = [Create("/d/f.tmp", 2), Write(2, "/d/f.tmp", 0, b"n" * 3 * 4096 + b"!", 0),
           Ack("half"), Rename("/d/f.tmp", "/d/f", 2, replaced=1), Ack("saved")]
OLD_F = b"old"


def contents_by_acknowledgements_of(ops, model: str, with_reach: bool = True):
    """What /d/f (inode 1, "old") can hold in a crash, by how many acknowledgements had run
    (states repeated at a later point are visited once, so points alone do not compare)."""
    from lint_rules.verify.check import _relevant
    from lint_rules.verify.lower import Lowered
    from lint_rules.verify.replay import read_path

    plan = MODELS[model](ops)
    lowered = Lowered(ops, {"/d/f": 1}, {1: OLD_F}, {}, [])
    relevant, reach = _relevant(plan, ops, lowered, "/d/f")
    enumeration = crash_states(plan, ops, relevant, reach=reach if with_reach else None)
    seen = set()
    for state in enumeration.states:
        held = read_path("/d/f", {"/d/f": 1}, {1: OLD_F},
                         [plan.effects[e].change for e in sorted(state.persisted)])
        acks = sum(isinstance(op, Ack) for op in ops[:state.point])
        seen.add((acks, None if held is None else bytes(held)))  # a copy: the buffer is reused
    return seen, enumeration


def contents_by_acknowledgements(model: str, with_reach: bool):
    return contents_by_acknowledgements_of(REPLACE, model, with_reach)


@pytest.mark.parametrize("model", ["posix", "ext4"])
def test_leaving_out_an_inode_the_path_cannot_name_changes_no_content(model):
    exact, all_states = contents_by_acknowledgements(model, with_reach=False)
    reduced, fewer = contents_by_acknowledgements(model, with_reach=True)
    assert reduced == exact
    # Before the rename the temp file's pages do not count: the old file, nothing persisted.
    assert len(fewer.states) < len(all_states.states)
    assert {s.persisted for s in fewer.states if s.point <= 3} == {frozenset()}


def test_a_point_with_many_free_effects_draws_fewer_samples():
    from lint_rules.verify import states

    big = [Create("/d/f", 1), Write(1, "/d/f", 0, b"x" * 4096 * 40_000, 0)]
    plan = MODELS["posix"](big)
    result = crash_states(plan, big, bound=20_000)
    last = [s for s in result.states if s.point == 2]
    assert result.sampled_points == 1
    assert len(last) <= max(states.MIN_SAMPLES, states.WORK // 40_002)
    # The largest closed state is always among them (the smallest, nothing, was seen before).
    assert frozenset(range(len(plan.effects))) in {s.persisted for s in last}


def test_ordered_effects_are_counted_not_sampled():
    # ext4 orders a file's growth: 40 appends are 42 closed states at the last point (nothing,
    # the create, each prefix of the appends), far fewer than 2^40: each one is visited even
    # with a small bound.
    appends = [Create("/d/f", 1)] + [Write(1, "/d/f", 4096 * i, b"a" * 4096, 4096 * i)
                                     for i in range(40)]
    plan = MODELS["ext4"](appends)
    result = crash_states(plan, appends, bound=64)
    assert result.exhaustive and result.points == 1
    assert len(result.states) == 42


def test_a_long_chain_through_left_out_effects_is_followed_without_recursion():
    # 3,000 appends to a temp file (an ext4 growth chain), then its rename over the target.
    ops = [Create("/d/f.tmp", 2)] + [Write(2, "/d/f.tmp", i, b"a", i) for i in range(3000)]
    ops += [Rename("/d/f.tmp", "/d/f", 2, replaced=1), Ack("saved")]
    seen, _ = contents_by_acknowledgements_of(ops, "ext4")
    assert seen == {(0, b"old"), (0, b"a" * 3000), (1, b"old"), (1, b"a" * 3000)}
