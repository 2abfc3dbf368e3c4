"""Drawing an attempt's questions and the order options are shown in, with seeded randomness."""
import random

import pytest

from training.quizzes.drawing import attempt_items, draw_questions, shown_order

SEEDS = range(200)


def single(question_id: str, *, options: int = 4, competencies=()) -> dict:
    return {"id": question_id, "type": "single", "prompt": f"{question_id}?", "competencies": list(competencies),
            "options": [{"text": f"option {index}", "correct": index == 0} for index in range(options)]}


def matching(question_id: str, pairs: int = 4) -> dict:
    return {"id": question_id, "type": "matching", "prompt": "Match them.",
            "pairs": [{"left": f"left {index}", "right": f"right {index}"} for index in range(pairs)]}


SCENARIO = {
    "id": "late-call", "type": "scenario", "vignette": "It is 11 pm. A participant calls your personal phone.",
    "questions": [
        single("first-step", competencies=["C02.1"]),
        {"id": "crisis-number", "type": "short", "prompt": "Which number?", "answers": ["988"]},
        {"id": "safe", "type": "true_false", "prompt": "Is it safe?", "answer": True},
    ],
}


def pool_of(*questions: dict) -> list[tuple[int, dict]]:
    return [(100 + index, data) for index, data in enumerate(questions)]


# Ten questions; only q3 and the scenario (through a part) are tagged C02.1.
POOL = pool_of(*[single(f"q{index}", competencies=["C02.1"] if index == 3 else ["C01.1"]) for index in range(9)],
               SCENARIO)
TAGGED = {103, 109}


def test_without_draw_every_question_comes_in_file_order():
    for seed in range(5):
        assert draw_questions(POOL, {"draw": None}, random.Random(seed)) == POOL
    assert draw_questions(POOL, {}, random.Random(0)) == POOL


def test_drawing_the_whole_pool_uses_every_question():
    drawn = draw_questions(POOL, {"draw": len(POOL)}, random.Random(1))
    assert sorted(drawn) == sorted(POOL)


@pytest.mark.parametrize("draw", [1, 4, 9])
def test_draw_n_gives_n_different_questions_of_the_pool(draw):
    orders = set()
    for seed in SEEDS:
        drawn = draw_questions(POOL, {"draw": draw}, random.Random(seed))
        ids = [question_id for question_id, _ in drawn]
        assert len(ids) == draw and len(set(ids)) == draw
        assert all(entry in POOL for entry in drawn)
        orders.add(tuple(ids))
    assert len(orders) > 1  # the draw depends on the seed


def test_draw_by_competency_guarantees_the_tagged_questions():
    settings = {"draw": 3, "draw_by_competency": {"C02.1": 2}}
    for seed in SEEDS:
        drawn = {question_id for question_id, _ in draw_questions(POOL, settings, random.Random(seed))}
        assert len(drawn) == 3
        assert TAGGED <= drawn, seed


def test_without_draw_by_competency_the_tagged_questions_are_often_missed():
    # The guarantee above is not luck: the same draw without it misses them most of the time.
    missed = sum(1 for seed in SEEDS
                 if not TAGGED <= {question_id for question_id, _ in
                                   draw_questions(POOL, {"draw": 3}, random.Random(seed))})
    assert missed > len(SEEDS) // 2


def test_draw_by_competency_serves_every_code():
    settings = {"draw": 2, "draw_by_competency": {"C02.1": 1, "C01.1": 1}}
    for seed in SEEDS:
        drawn = {question_id for question_id, _ in draw_questions(POOL, settings, random.Random(seed))}
        assert len(drawn) == 2
        assert len(drawn & TAGGED) == 1 and len(drawn - TAGGED) == 1, seed  # all untagged ones have C01.1


def test_a_scenario_counts_as_one_and_its_parts_become_consecutive_items():
    pool = pool_of(single("before"), SCENARIO, single("after"))
    items = attempt_items(pool, {"draw": None}, random.Random(3))
    assert [(item.question_id, item.part) for item in items] == [
        (100, None), (101, "first-step"), (101, "crisis-number"), (101, "safe"), (102, None)]
    parts = items[1:4]
    assert [item.data for item in parts] == SCENARIO["questions"]
    assert all(item.context == {"id": "late-call", "vignette": SCENARIO["vignette"]} for item in parts)
    assert items[0].context is None and items[-1].context is None


def test_a_drawn_scenario_keeps_its_parts_together():
    pool = pool_of(single("a"), single("b"), SCENARIO, single("c"))
    for seed in range(50):
        items = attempt_items(pool, {"draw": 2}, random.Random(seed))
        question_ids = [item.question_id for item in items]
        assert len(set(question_ids)) == 2
        if 102 in question_ids:
            start = question_ids.index(102)
            assert question_ids[start:start + 3] == [102, 102, 102]
            assert [item.part for item in items[start:start + 3]] == ["first-step", "crisis-number", "safe"]


@pytest.mark.parametrize("data, count", [(single("s", options=5), 5), ({**single("m"), "type": "multiple"}, 4),
                                         (matching("p", 6), 6)])
def test_shown_order_is_a_permutation_that_depends_on_the_seed(data, count):
    orders = {tuple(shown_order(data, True, random.Random(seed))) for seed in range(50)}
    assert all(sorted(order) == list(range(count)) for order in orders)
    assert len(orders) > 1


def test_matching_is_shuffled_even_when_options_are_not():
    orders = [shown_order(matching("p"), False, random.Random(seed)) for seed in range(50)]
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert any(order != [0, 1, 2, 3] for order in orders)


def test_without_shuffle_options_are_shown_in_file_order():
    for seed in range(50):
        assert shown_order(single("s", options=5), False, random.Random(seed)) == [0, 1, 2, 3, 4]
        assert shown_order({**single("m"), "type": "multiple"}, False, random.Random(seed)) == [0, 1, 2, 3]


@pytest.mark.parametrize("kind", ["true_false", "short", "numerical", "essay"])
def test_questions_without_options_have_no_shown_order(kind):
    assert shown_order({"type": kind}, True, random.Random(0)) == []


def test_attempt_items_follow_the_shuffle_options_setting():
    pool = pool_of(single("a", options=6), single("b", options=6))
    for seed in range(20):
        items = attempt_items(pool, {"draw": None, "shuffle_options": False}, random.Random(seed))
        assert all(item.shown_order == list(range(6)) for item in items)
    shuffled = [item.shown_order for seed in range(20)
                for item in attempt_items(pool, {"draw": None}, random.Random(seed))]
    assert any(order != list(range(6)) for order in shuffled)  # shuffle_options defaults to true
