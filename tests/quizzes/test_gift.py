"""GIFT import and export: Moodle-style files in, our questions out, and the round trip."""
import re
from html import unescape
from pathlib import Path

import pytest

from tests.conftest import content_library
from training.courses.content import MatchPair, NumberAnswer, Option, Question, ShortAnswer, is_slug
from training.quizzes.gift import GiftError, GiftProblem, parse_gift, write_gift
from training.rendering import render_markdown

ROOT = Path(__file__).resolve().parents[2]

# Moodle documentation examples, plus our metadata comments and a few of Moodle's own habits.
MOODLE_SAMPLE = r"""
// question: 101  name: a comment as Moodle's export writes it
$CATEGORY: $course$/Ethics

::Q1:: 1+1=2 {T}

// points: 2
// competencies: C01.1, C12.4
// tags: tombs, history
::Grant's tomb::Who's buried in Grant's tomb?{~Grant ~Jefferson =no one}

Grant is {~buried =entombed ~living} in Grant's tomb.

::Pi::What is the value of pi (to 3 decimal places)? {#3.14159:0.0005}.

::Capitals::Match the following countries with their corresponding capitals. {
    =Canada -> Ottawa
    =Italy  -> Rome
    =Japan  -> Tokyo
}

::Entombed::What two people are entombed in Grant's tomb? {
    ~%-100%No one
    ~%50%Grant#Yes, Ulysses S. Grant.
    ~%50%Grant's wife#Yes, Julia Grant.
    ~%-100%Grant's father
}

$CATEGORY: $system$/Boundaries/Gifts

::Three right::Pick the three primary colours.{~%33.33333%Red ~%33.33333%Blue ~%33.33333%Yellow ~%-100%Green}

::New York::Grant was buried in a tomb in New York City.{T#No, he was.#Yes, in Manhattan.}

::Sun::The sun rises in the west.{FALSE#No: it rises in the east.#Right, it rises in the east.}

// case_sensitive: true
::Four::Two plus two equals {=four =4}.

::Born::When was Ulysses S. Grant born?{#1822}

::Range::Give a number from one to five.{#1..5}

::Long form::When was Grant born? {#
    =1822:0 #Right: 27 April 1822.
}

// guidance: A few sentences.\nNo names, please.
// rubric: Names the tension between warmth and policy.
::Reflection::Describe a time a gift changed a working relationship.{}

::General feedback::Pick the warmest reply.{=Thank you so much! ~No. ####Warmth first, then the policy.}

::[html] question::[html]<p>Hello <b>world</b></p><p>Line one<br>line two &amp; <i>more</i></p>{T}

::Plain question::[plain]2 * 3 = 6, see <b>this</b> & [that](link){F}

::Escapes::What does \{a\} \= b\: c mean\\?{=A set \# with \~ items#Right\nnew line ~Nothing}
"""


def problems_in(text: str) -> list[GiftProblem]:
    with pytest.raises(GiftError) as raised:
        parse_gift(text)
    return raised.value.problems


def by_id(questions: list[Question]) -> dict[str, Question]:
    return {question.id: question for question in questions}


def shown_text(markdown_text: str) -> str:
    """What a reader sees once the Markdown is rendered: tags gone, entities resolved, spaces folded."""
    html_text = render_markdown(markdown_text).html
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html_text))).strip()


@pytest.fixture(scope="module")
def sample() -> dict[str, Question]:
    return by_id(parse_gift(MOODLE_SAMPLE))


# --- reading Moodle-style GIFT -----------------------------------------------------------


def test_true_false_with_a_title_and_the_category(sample):
    assert sample["q1"] == Question(id="q1", type="true_false", prompt="1+1=2", answer=True,
                                    tags=["category:Ethics"])


def test_single_choice_with_metadata_comments(sample):
    question = sample["grant-s-tomb"]
    assert question.type == "single"
    assert question.prompt == "Who's buried in Grant's tomb?"
    assert question.options == [
        Option(text="Grant", correct=False, feedback="", weight=None),
        Option(text="Jefferson", correct=False, feedback="", weight=None),
        Option(text="no one", correct=True, feedback="", weight=None),
    ]
    assert (question.points, question.competencies) == (2, ["C01.1", "C12.4"])
    assert question.tags == ["category:Ethics", "tombs", "history"]


def test_missing_word_without_a_title_gets_an_id_from_its_text():
    questions = parse_gift(MOODLE_SAMPLE)
    question = questions[2]
    assert question.id.startswith("untitled-") and question.id == parse_gift(MOODLE_SAMPLE)[2].id
    assert question.prompt == "Grant is _____ in Grant's tomb."
    assert [option.text for option in question.options if option.correct] == ["entombed"]


def test_numerical_answer_tolerance_range_and_long_form(sample):
    pi = sample["pi"]
    assert (pi.type, pi.answer, pi.tolerance) == ("numerical", 3.14159, 0.0005)
    assert pi.prompt == "What is the value of pi (to 3 decimal places)? _____."
    assert (sample["born"].answer, sample["born"].tolerance) == (1822, None)
    assert (sample["range"].minimum, sample["range"].maximum, sample["range"].answer) == (1, 5, None)
    long_form = sample["long-form"]
    assert (long_form.answer, long_form.tolerance) == (1822, 0)
    assert long_form.explanation == "Right: 27 April 1822."  # the answer's feedback, kept


def test_matching_pairs(sample):
    assert sample["capitals"].type == "matching"
    assert sample["capitals"].pairs == [MatchPair(left="Canada", right="Ottawa"),
                                        MatchPair(left="Italy", right="Rome"),
                                        MatchPair(left="Japan", right="Tokyo")]


def test_percentage_weights_make_a_multiple_question(sample):
    question = sample["entombed"]
    assert question.type == "multiple"
    assert [(option.weight, option.correct) for option in question.options] == [
        (-100, False), (50, True), (50, True), (-100, False)]
    assert question.options[1].feedback == "Yes, Ulysses S. Grant."


def test_weights_are_rounded_to_add_up_to_100(sample):
    assert [option.weight for option in sample["three-right"].options] == [33, 33, 34, -100]


def test_category_path_drops_the_course_or_system_prefix(sample):
    assert sample["three-right"].tags == ["category:Boundaries/Gifts"]


def test_true_false_feedback_follows_moodles_wrong_then_right_order(sample):
    answered_true = sample["new-york"]
    assert answered_true.answer is True
    assert answered_true.feedback_true == "Yes, in Manhattan."  # right for whoever answers True
    assert answered_true.feedback_false == "No, he was."
    answered_false = sample["sun"]
    assert answered_false.answer is False
    assert answered_false.feedback_true == "No: it rises in the east."
    assert answered_false.feedback_false == "Right, it rises in the east."


def test_short_answer_with_case_sensitive_comment(sample):
    question = sample["four"]
    assert (question.type, question.answers, question.case_sensitive) == ("short", ["four", "4"], True)
    assert question.prompt == "Two plus two equals _____."


def test_essay_with_guidance_and_rubric_comments(sample):
    question = sample["reflection"]
    assert question.type == "essay"
    assert question.guidance == "A few sentences.\nNo names, please."
    assert question.rubric == "Names the tension between warmth and policy."


def test_general_feedback_is_the_explanation(sample):
    question = sample["general-feedback"]
    assert question.explanation == "Warmth first, then the policy."
    assert [option.text for option in question.options] == ["Thank you so much!", "No."]


def test_html_becomes_markdown_that_shows_the_same(sample):
    prompt = sample["html-question"].prompt
    assert "<" not in prompt
    assert prompt.split("\n\n")[0] == "Hello **world**"
    assert shown_text(prompt) == "Hello world Line one line two & more"


def test_html_that_hides_markup_in_entities_stays_text():
    prompt = parse_gift("[html]<script>alert(1)</script>&lt;img src=x onerror=alert(1)&gt; *hi*{T}")[0].prompt
    assert "<" not in prompt
    assert "<img" not in render_markdown(prompt).html
    assert shown_text(prompt) == "<img src=x onerror=alert(1)> *hi*"


def test_plain_text_shows_literally(sample):
    prompt = sample["plain-question"].prompt
    assert shown_text(prompt) == "2 * 3 = 6, see <b>this</b> & [that](link)"


def test_escapes_and_newlines(sample):
    question = sample["escapes"]
    # Moodle's own format (no [markdown] marker) shows its text as written: the backslash stays.
    assert question.prompt == "What does {a} = b: c mean\\\\?"
    assert question.options[0] == Option(text="A set # with ~ items", correct=True,
                                         feedback="Right  \nnew line", weight=None)  # a line break


def test_titles_become_slugs():
    text = ("::already-a-slug::A {T}\n\n::Café Olé: les Crêpes!::B {T}\n\n"
            "::" + " ".join(["boundary"] * 12) + "::C {T}")
    ids = [question.id for question in parse_gift(text)]
    assert ids[:2] == ["already-a-slug", "cafe-ole-les-crepes"]
    assert is_slug(ids[2]) and ids[2].endswith("boundary") and len(ids[2]) <= 60


def test_plain_comments_and_a_blank_line_break_the_metadata_link():
    questions = parse_gift("// points: 3\n\n// just a note\n::a::A {T}\n\n// tags: x\n// more notes\n::b::B {T}")
    assert questions[0].points == 1
    assert questions[1].tags == ["x"]


def test_a_windows_file_reads_the_same():
    windows = "\ufeff" + MOODLE_SAMPLE.replace("\n", "\r\n")
    assert parse_gift(windows) == parse_gift(MOODLE_SAMPLE)


def test_category_top_ends_the_category():
    questions = parse_gift("$CATEGORY: $course$/Ethics\n\n::a::A {T}\n\n$CATEGORY: $course$\n\n::b::B {T}")
    assert [question.tags for question in questions] == [["category:Ethics"], []]


def test_description_and_its_parts_form_a_scenario():
    text = """
// tags: crisis
// explanation: Safety first.
::late-call::It is 11 pm. A participant calls your **personal** phone.

::late-call/first-step::What is your first step?{=Check safety ~Hang up}

// points: 2
::Late call/Afterwards::Who do you tell afterwards?{=Your supervisor =supervisor}
"""
    [scenario] = parse_gift(text)
    assert (scenario.id, scenario.type, scenario.prompt) == ("late-call", "scenario", None)
    assert scenario.vignette == "It is 11 pm. A participant calls your \\*\\*personal\\*\\* phone."  # Moodle format: as written
    assert (scenario.tags, scenario.explanation) == (["crisis"], "Safety first.")
    assert [(part.id, part.type, part.points) for part in scenario.questions] == [
        ("first-step", "single", 1), ("afterwards", "short", 2)]


# --- problems -----------------------------------------------------------------------------


@pytest.mark.parametrize(("gift", "reason"), [
    ("Who? {=a ~b", "never closed"),
    ("Who? =a ~b}", "no { before it"),
    ("Who? {=a {~b}", "a { inside the answer block"),
    ("::a::A {T}\n::b::B {F}", "more than one answer block"),
    ("::abc Who? {T}", "title is not closed"),
    ("Capital of France? {Paris}", "not GIFT answer syntax"),
    ("Is it? {true}", "capitals"),
    ("Name it: {=}", "accepted answer 1 is empty"),
    ("Pick: {~}", "at least two answers"),
    ("How many? {#}", "no number"),
    ("How many? {#many}", "not a number"),
    ("Pick: {=a ~%-50%b ~c}", "never less than nothing"),
    ("Pick: {=a ~%100%b ~c}", "never less than nothing"),
    ("Pick: {=a =b ~c}", "2 answers are marked ="),
    ("Pick: {~%50%a ~%20%b ~c}", "add up to 70"),
    ("Pick: {~a ~b}", "no answer is right"),
    ("Pick: {~%150%a ~%-50%b}", "from %-100% to %100%"),
    ("Name it: {=%50%four =%0%4}", "no answer earns every point"),
    ("Name it: {=%100%four ~%50%for}", "starts with ~, a wrong answer"),
    ("Name it: {=%150%four}", "from %0% to %100%"),
    ("Match: {=a -> b =c -> d = -> }", "nothing after ->"),
    ("Match: {=a -> b =c d}", "has no ->"),
    ("How many? {#=%50%2}", "no answer earns every point"),
    ("How many? {#=2 =%150%3}", "from %0% to %100%"),
    ("How many? {#=2 ~3#Count again.}", "~ is only Moodle's feedback for any other number"),
    ("How many? {#1e999}", "too large"),
    ("How many? {#=2 =%50%1:1e400}", "too large"),
    ("How many? {#nan}", "not a number"),
    ("Pick\x00 one {=a ~b}", "NUL byte"),
    ("How many? {#sNaN}", "not a number"),
    ("How many? {#-inf..inf}", "not a number"),
    ("How many? {#5..1}", "smaller number first"),
    ("How many? {#2:-1}", "tolerance"),
    ("How many? {#=2#Yes. ####Two.}", "merge them"),
    ("{T}", "no text before its answer block"),
    ("// points: two\nHow many? {#2}", "whole number"),
    ("// guidance: Be brief.\nTrue? {T}", "only for essay questions"),
    ("// case_sensitive: yes\nName it: {=four}", "true or false"),
])
def test_each_malformed_or_unsupported_question_is_a_problem(gift, reason):
    problems = problems_in("::fine::This one is fine. {T}\n\n" + gift)
    comment_lines = len(re.findall("^//", gift, re.MULTILINE))
    assert {(problem.number, problem.line) for problem in problems} == {(2, 3 + comment_lines)}
    assert any(reason in problem.message for problem in problems), problems


@pytest.mark.parametrize(("gift", "number", "reason"), [
    ("// explanation: Why.\n::intro::A description on its own.", 1, "only for a description that opens a scenario"),
    ("::case::A case.\n\n::case/part::A part without answers.", 2, "needs an answer block"),
    ("::case::A case.\n\n::case/::Part? {T}", 2, "names no question after the '/'"),
])
def test_scenario_conventions_are_checked(gift, number, reason):
    problems = problems_in(gift)
    assert any(problem.number == number and reason in problem.message for problem in problems), problems


def test_html_keeps_links_lists_code_blocks_and_emphasis():
    html = ('[html]<p>Call <a href="https://988lifeline.org">the <em>988</em> Lifeline</a>:</p>'
            '<ul><li>by <strong>phone</strong></li><li>by text</li></ul>'
            '<pre>line one\n    indented line</pre><p><a href="javascript:alert(1)">bad</a> 2*3</p>{T}')
    prompt = parse_gift(html)[0].prompt
    assert "[the *988* Lifeline](https://988lifeline.org)" in prompt
    assert "- by **phone**\n- by text" in prompt
    assert "```\nline one\nindented line\n```" in prompt  # its line breaks (GIFT lines are trimmed)
    assert "javascript" not in prompt and "2\\*3" in prompt
    rendered = render_markdown(prompt).html
    assert '<a href="https://988lifeline.org"' in rendered and "<li>by <strong>phone</strong></li>" in rendered


def test_moodle_format_text_shows_as_written():
    """Text without a format marker is Moodle's own format: its characters are not Markdown."""
    prompt = parse_gift(r"Is C:\\temp\\new a *path* or a_b_c? {T}")[0].prompt
    assert shown_text(prompt) == r"Is C:\temp\new a *path* or a_b_c?"
    assert parse_gift("[markdown]A *real* emphasis {T}")[0].prompt == "A *real* emphasis"


def test_each_problem_names_the_answer_at_fault_once():
    problems = problems_in("Name it: {=four#Nice. ~%50%fore ~%20%for =%150%five}")
    messages = [problem.message for problem in problems]
    assert len(messages) == len(set(messages)) == 3
    assert any("'fore' starts with ~" in message for message in messages)
    assert any("'for' starts with ~" in message for message in messages)
    assert any("'five' has the weight 150%" in message for message in messages)
    assert any("answer 2 has no text after its ~" in problem.message for problem in problems_in("Pick {=a ~ ~c}"))


def test_moodle_idnumbers_and_tags_are_kept_and_written_back_as_moodle_reads_them():
    """Moodle writes `// [id:…] [tag:…]` above a question; they were dropped."""
    text = ("// question: 42  name: Gifts\n// [id:BND-07] [tag:boundaries] [tag:money\\]s]\n"
            "::Gifts::Is a small gift always fine? {F}\n\n"
            "// [id:BND-08]\nWho decides? {=The team ~You alone}\n")
    gifts, untitled = parse_gift(text)
    assert gifts.tags == ["idnumber:BND-07", "boundaries", "money]s"]
    assert untitled.id == "bnd-08" and untitled.tags == ["idnumber:BND-08"]  # no title: the idnumber names it
    written = write_gift([gifts, untitled])
    assert "// [id:BND-07] [tag:boundaries] [tag:money\\]s]\n::gifts::" in written
    assert [(q.id, q.tags) for q in parse_gift(written)] == [(q.id, q.tags) for q in (gifts, untitled)]
    assert parse_gift("// tags: older, form\n::t::Old export {T}")[0].tags == ["older", "form"]  # still read


def test_a_slash_in_an_ordinary_title_is_part_of_the_title():
    """Moodle's own examples title questions "True/false question": only right after a
    description titled "case" does "case/part" make a scenario's part."""
    questions = parse_gift("::True/false question::Grant was buried in a tomb. {T}\n\n"
                           "::case::A case.\n\n::case/first::Part one? {T}\n\n::Either/or::Pick one {=a ~b}")
    assert [question.id for question in questions] == ["true-false-question", "case", "either-or"]
    assert [part.id for part in questions[1].questions] == ["first"]


def test_untitled_questions_of_two_files_never_share_an_id():
    """Ids from a question's place in the file made the second file's first untitled question
    replace the first file's."""
    first = parse_gift("What is a warm line for? {=Peer support by phone ~Emergencies}")
    second = parse_gift("Who may read a shared story draft? {=Your supervisor ~Anyone in the cohort}")
    assert first[0].id != second[0].id
    assert parse_gift("What is a warm line for?  {=Peer support by phone ~Emergencies}")[0].id == first[0].id

def test_every_problem_in_the_file_is_reported_at_once():
    text = "::one::Fine {T}\n\n::two::Broken {=a ~%-50%b ~c}\n\n::three::Fine {F}\n\n\n::four::Broken {#many}\n"
    error = GiftError(problems_in(text))
    assert [(problem.number, problem.title, problem.line) for problem in error.problems] == [
        (2, "two", 3), (4, "four", 8)]
    assert str(error).splitlines()[0].startswith("question 2 (line 3, 'two'): a wrong answer")
    assert len(str(error).splitlines()) == 2


def test_descriptions_count_in_the_numbering():
    text = "::case::A case.\n\n::case/a::Part {T}\n\nBroken {#many}"
    [problem] = problems_in(text)
    assert (problem.number, problem.title, str(problem)[:22]) == (3, None, "question 3 (line 5): '")


def test_duplicate_ids_name_both_questions():
    [problem] = problems_in("::Gift card::A {T}\n\n::other::B {T}\n\n::gift-card::C {F}")
    assert (problem.number, problem.title) == (3, "gift-card")
    assert "also the id of question 1" in problem.message


# --- writing ------------------------------------------------------------------------------

HAND_MADE = [
    Question(
        id="gift-card", type="single", competencies=["C01.2"], tags=["category:Boundaries/Gifts", "gifts"],
        prompt="Maria offers you a **$20** gift card:\nwhat do you do? {policy} ~ = # \\ \\n -> 100%",
        explanation="Most codes:\n\n- forbid gifts\n- of *value*",
        options=[
            Option(text="Thank her #1: warmly", correct=True, feedback="Warmth = safety.", weight=None),
            Option(text="[Accept](https://example.org) it", correct=False, feedback="", weight=None),
            Option(text="%50% of it", correct=False, feedback="#Half {still} a gift", weight=None),
        ]),
    Question(
        id="peer-roles", type="multiple", tags=["category:Boundaries/Gifts"], points=3,
        prompt="Which are part of the peer role?",
        options=[
            Option(text="Sharing lived experience", correct=True, feedback="Yes.", weight=50),
            Option(text="Advocacy", correct=True, feedback="Yes.", weight=50),
            Option(text="Adjusting medication", correct=False, feedback="No: clinical.", weight=-100),
            Option(text="Filing", correct=False, feedback="", weight=0),
        ]),
    Question(
        id="no-weights", type="multiple", prompt="Which one is true?", tags=["category:Ethics"],
        options=[Option(text="A", correct=True, feedback="a", weight=None),
                 Option(text="B", correct=False, feedback="b", weight=None),
                 Option(text="C", correct=False, feedback="c", weight=None)]),
    Question(id="clinical", type="true_false", prompt="Peer support is clinical treatment.", answer=False,
             feedback_true="No: it is *not* treatment.", feedback_false="Right.", explanation="See lesson 1."),
    Question(id="only-true-feedback", type="true_false", prompt="Yes?", answer=True, feedback_true="Yes!"),
    Question(id="only-false-feedback", type="true_false", prompt="Yes?", answer=True, feedback_false="Think."),
    Question(
        id="scenario-late-call", type="scenario", prompt=None, tags=["crisis"], competencies=["C08.1"],
        vignette="It is 11 pm.\n\nA participant calls your *personal* phone: {help}.",
        explanation="Safety first.",
        questions=[
            Question(id="late-call-first-step", type="single", prompt="First step?", tags=["category:Inner"],
                     options=[Option(text="Check safety", correct=True, feedback="Yes", weight=None),
                              Option(text="Hang up", correct=False, feedback="No", weight=None)]),
            Question(id="late-call-number", type="short", prompt="Which number?", answers=["988"]),
        ]),
    Question(id="crisis-word", type="short", prompt="Say it:", answers=["Warm Line", "a=b", "[x]", "%1"],
             case_sensitive=True, explanation="Capitals matter."),
    Question(id="match-lines", type="matching", prompt="Match:",
             pairs=[MatchPair(left="Warm line: before", right="Support #1 -> calm"),
                    MatchPair(left="x = y", right="Help {now}")]),
    Question(id="tolerance", type="numerical", prompt="Pi?", answer=3.5, tolerance=0.5),
    Question(id="exact", type="numerical", prompt="Hours?", answer=25.0, tolerance=0.0),
    Question(id="tiny", type="numerical", prompt="Small?", answer=1e-07),
    Question(id="range", type="numerical", prompt="Range?", minimum=-5.0, maximum=2.5, explanation="Any."),
    Question(id="reflection", type="essay", prompt="Describe a time.", guidance="A few lines.\nNo names \\o/",
             rubric="Names the *tension*.", explanation="Thanks."),
    Question(id="bare-essay", type="essay", prompt="Why?"),
    Question(id="nearly-right", type="single", prompt="First words?",
             options=[Option(text="Thank you", correct=True, feedback="Warm.", weight=None),
                      Option(text="The policy says no", correct=False, feedback="Thanks first.", weight=50),
                      Option(text="Nothing", correct=False, feedback="", weight=None)]),
    Question(id="graded-short", type="short", prompt="Which line?", case_sensitive=True,
             answers=["988", ShortAnswer(text="911", weight=50, feedback="Emergencies #only."),
                      ShortAnswer(text="%1", weight=0, feedback="No.")]),
    Question(id="graded-number", type="numerical", prompt="Hours a week?", answer=2.5, tolerance=0.05,
             other_answers=[NumberAnswer(answer=2.0, tolerance=0.5, weight=50, feedback="Close."),
                            NumberAnswer(minimum=-1.0, maximum=1.0, weight=0, feedback="Too few.")],
             wrong_feedback="Divide 25 by 10.", explanation="Two and a half."),
    Question(id="catch-all-only", type="numerical", prompt="How many?", answer=3.0, wrong_feedback="Count again."),
    Question(id="match-extra", type="matching", prompt="Match:", distractors=["Family", "A -> B"],
             pairs=[MatchPair(left="Overdose", right="911"), MatchPair(left="Thoughts of dying", right="988")]),
    Question(id="intro", type="description", prompt="The next questions are about *gifts*.", tags=["x"]),
]


def test_hand_made_questions_of_every_type_round_trip():
    assert {question.type for question in HAND_MADE} | {"scenario"} == {
        "single", "multiple", "true_false", "scenario", "short", "matching", "numerical", "essay", "description"}
    assert parse_gift(write_gift(HAND_MADE)) == HAND_MADE


def test_writing_uses_categories_comments_and_minimal_numbers():
    text = write_gift(HAND_MADE)
    assert text.count("$CATEGORY: $course$/Boundaries/Gifts\n\n") == 1
    assert "$CATEGORY: $course$\n\n::clinical::" in text  # the next question has no category
    assert "// [tag:gifts]\n::gift-card::[markdown]" in text  # tags in the form Moodle reads
    assert "// weights: none\n::no-weights::" in text
    assert "// guidance: A few lines.\\nNo names \\\\o/" in text
    assert "{#3.5:0.5}" in text and "{#25:0}" in text and "{#1e-07}" in text
    assert "{#-5..2.5####Any.}" in text
    assert "::scenario-late-call/late-call-number::" in text
    # Moodle's order: feedback for the wrong answer (True) first, then for the right one.
    assert "{FALSE#No\\: it is *not* treatment.#Right.####See lesson 1.}" in text


def test_an_arrow_in_a_left_side_is_written_as_markdown_that_shows_the_same():
    question = Question(id="arrows", type="matching", prompt="Match:",
                        pairs=[MatchPair(left="x -> y", right="a -> b"), MatchPair(left="z", right="c")])
    [back] = parse_gift(write_gift([question]))
    assert back.pairs == [MatchPair(left="x -\\> y", right="a -> b"), MatchPair(left="z", right="c")]
    assert shown_text(back.pairs[0].left) == "x -> y"


def test_unweighted_multiple_is_written_with_weights_moodle_can_grade():
    assert "~%100%A#a\n\t~%-100%B#b" in write_gift([HAND_MADE[2]])
    three_right = Question(id="three", type="multiple", prompt="Which?", options=[
        Option(text=text, correct=text != "d", feedback="", weight=None) for text in "abcd"])
    text = write_gift([three_right])
    assert "~%33.33333%a\n\t~%33.33333%b\n\t~%33.33333%c\n\t~%-33.33333%d\n" in text
    assert parse_gift(text) == [three_right]


def test_import_export_import_gives_equal_questions():
    imported = parse_gift(MOODLE_SAMPLE)
    assert parse_gift(write_gift(imported)) == imported


def quiz_modules():
    library = content_library(ROOT / "courses")
    return [pytest.param(module.quiz.questions, id=f"{course.slug}/{module.slug}")
            for course in library.courses.values() for module in course.modules if module.quiz]


@pytest.mark.parametrize("questions", quiz_modules())
def test_every_question_of_the_real_quizzes_round_trips(questions):
    assert parse_gift(write_gift(questions)) == questions
