"""Each eligibility rule on its own, as a pure function of the track and the facts."""
import pytest

from training.certification.eligibility import Facts, Names, evaluate, evaluate_renewal

TRACK = {
    "slug": "cpss",
    "training": {"course": "core", "modules": ["orientation", "ethics"],
                 "hours_by_domain": {"advocacy": 10, "ethical-responsibility": 16}},
    "practice": {"total_hours": 500, "by_activity": {"individual-support": 150, "group-facilitation": 100}},
    "supervision": {"hours": 25, "formats": ["individual", "group"]},
    "competencies": {"minimum_level": "meets", "required": ["C01.1", "C12.4"]},
    "attestations": [{"document": "code-of-ethics"}],
    "renewal": {"ce_hours": 20, "topic_minimums": {"ethics": 6}},
}
VERSIONS = {"code-of-ethics": "2026.1"}
EVERYTHING = Facts(
    modules_passed=frozenset({"orientation", "ethics"}),
    module_hours={"advocacy": 6, "ethical-responsibility": 16}, external_hours={"advocacy": 4},
    practice_hours={"individual-support": 300, "group-facilitation": 150, "peer-led-workshop": 50},
    supervision_hours={"individual": 20, "group": 5}, competencies_met=frozenset({"C01.1", "C12.4", "C02.1"}),
    signed={"code-of-ethics": frozenset({"2026.1"})})


def check(result, label_start):
    return next(c for c in result.checks if c.label.startswith(label_start))


def with_(**changes):
    return Facts(**{**EVERYTHING.__dict__, **changes})


def test_everything_met_is_eligible():
    result = evaluate(TRACK, EVERYTHING, VERSIONS)
    assert result.eligible
    assert result.met_count == len(result.checks) == 9


def test_nothing_done_lists_every_requirement_unmet():
    result = evaluate(TRACK, Facts(), VERSIONS)
    assert not result.eligible
    assert result.met_count == 0
    assert [c.group for c in result.checks] == ["training", "training", "training", "practice", "practice",
                                                "practice", "supervision", "competencies", "attestation"]


def test_a_module_not_passed_is_named():
    result = evaluate(TRACK, with_(modules_passed=frozenset({"orientation"})), VERSIONS,
                      Names(modules={"ethics": "Ethics in peer support"}))
    modules = check(result, "Modules passed")
    assert (modules.have, modules.need, modules.met) == (1, 2, False)
    assert modules.missing == ("Ethics in peer support",)
    assert not result.eligible


def test_training_hours_add_module_and_external_hours_per_domain():
    result = evaluate(TRACK, with_(external_hours={}), VERSIONS, Names(domains={"advocacy": "Advocacy"}))
    advocacy = check(result, "Training hours: Advocacy")
    assert (advocacy.have, advocacy.need, advocacy.met, advocacy.remaining) == (6, 10, False, 4)
    assert check(evaluate(TRACK, EVERYTHING, VERSIONS), "Training hours: advocacy").met


def test_hours_in_one_domain_do_not_count_for_another():
    facts = with_(module_hours={"ethical-responsibility": 40}, external_hours={})
    assert not check(evaluate(TRACK, facts, VERSIONS), "Training hours: advocacy").met


def test_practice_total_and_each_activity_minimum():
    facts = with_(practice_hours={"individual-support": 400, "group-facilitation": 99})
    result = evaluate(TRACK, facts, VERSIONS)
    assert not check(result, "Verified practice hours in total").met  # 499 of 500
    assert check(result, "Verified practice: individual-support").met
    group = check(result, "Verified practice: group-facilitation")
    assert not group.met and group.remaining == pytest.approx(1)


def test_minutes_that_add_up_exactly_meet_the_requirement():
    facts = with_(practice_hours={"individual-support": 150 + 1 / 3 - 1 / 3, "group-facilitation": 350})
    assert check(evaluate(TRACK, facts, VERSIONS), "Verified practice: individual-support").met


def test_supervision_counts_only_the_tracks_formats():
    track = {**TRACK, "supervision": {"hours": 25, "formats": ["individual"]}}
    supervision = check(evaluate(track, EVERYTHING, VERSIONS), "Verified supervision")
    assert (supervision.have, supervision.met) == (20, False)
    assert check(evaluate(TRACK, EVERYTHING, VERSIONS), "Verified supervision").met


def test_competencies_name_what_is_not_yet_met():
    result = evaluate(TRACK, with_(competencies_met=frozenset({"C01.1"})), VERSIONS,
                      Names(competencies={"C12.4": "practises ethically"}))
    competencies = check(result, "Competencies")
    assert (competencies.have, competencies.need) == (1, 2)
    assert competencies.missing == ("C12.4 practises ethically",)


def test_unsigned_code_of_ethics_is_not_met():
    attestation = check(evaluate(TRACK, with_(signed={}), VERSIONS), "code-of-ethics signed")
    assert not attestation.met
    assert attestation.missing == ("Read and sign version 2026.1.",)


def test_a_new_version_of_the_code_asks_for_a_new_signature():
    attestation = check(evaluate(TRACK, EVERYTHING, {"code-of-ethics": "2027.1"}), "code-of-ethics signed")
    assert not attestation.met
    assert "new since you signed" in attestation.missing[0]


def test_a_track_without_a_section_has_no_such_requirement():
    result = evaluate({"slug": "short", "supervision": {"hours": 2}}, with_(), VERSIONS)
    assert [c.group for c in result.checks] == ["supervision"]
    assert result.eligible


def test_summary_is_plain_data_for_the_certificate():
    summary = evaluate(TRACK, EVERYTHING, VERSIONS).summary()
    assert summary[0] == {"group": "training", "label": "Modules passed (lessons read, quiz passed, required labs attended)",
                          "have": 2, "need": 2, "unit": "modules"}


def test_renewal_needs_ce_hours_and_the_topic_minimum():
    result = evaluate_renewal(TRACK, {"ethics": 5, "peer-practice": 15}, EVERYTHING, VERSIONS)
    assert check(result, "Continuing-education hours").met
    ethics = check(result, "Of which ethics")
    assert (ethics.have, ethics.need, ethics.met) == (5, 6, False)
    assert not result.eligible
    assert evaluate_renewal(TRACK, {"ethics": 6, "peer-practice": 14}, EVERYTHING, VERSIONS).eligible


def test_renewal_asks_for_the_current_code_of_ethics():
    result = evaluate_renewal(TRACK, {"ethics": 20}, EVERYTHING, {"code-of-ethics": "2028.1"})
    assert not result.eligible
    assert not check(result, "code-of-ethics signed").met


def test_percent_is_capped_and_a_zero_need_is_complete():
    result = evaluate(TRACK, EVERYTHING, VERSIONS)
    assert check(result, "Verified practice: individual-support").percent == 100
    assert check(evaluate(TRACK, Facts(), VERSIONS), "Verified practice hours in total").percent == 0
