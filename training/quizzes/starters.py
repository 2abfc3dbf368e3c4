"""A starting point for each question type when staff add a question in the browser."""

QUESTION_STARTERS = {
    "single": """id: new-question
type: single
competencies: []
prompt: |
  Describe the situation, then ask: what would you do next?
options:
  - text: The best response.
    correct: true
    feedback: Why this is the best response.
  - text: A response that is close but not quite right.
    feedback: What it misses.
  - text: A response that would cause harm or cross a boundary.
    feedback: Why it is not the way to go.
explanation: |
  The principle behind the answer, in a sentence or two.
""",
    "multiple": """id: new-question
type: multiple
prompt: Which of these ... ? Choose every answer that applies.
options:
  - {text: A right answer, correct: true, feedback: Why it is right.}
  - {text: Another right answer, correct: true, feedback: Why it is right.}
  - {text: A wrong answer, feedback: Why it is wrong.}
""",
    "true_false": """id: new-question
type: true_false
prompt: A statement that is either true or false.
answer: false
feedback_true: Shown to someone who answered "true".
feedback_false: Shown to someone who answered "false".
""",
    "short": """id: new-question
type: short
prompt: A question with a short written answer.
answers: [first accepted answer, another accepted answer]
""",
    "matching": """id: new-question
type: matching
prompt: Match each item to its description.
pairs:
  - {left: First item, right: Its description}
  - {left: Second item, right: Its description}
""",
    "numerical": """id: new-question
type: numerical
prompt: A question whose answer is a number.
answer: 25
tolerance: 0
""",
    "essay": """id: new-question
type: essay
prompt: A question answered in a few sentences; a supervisor marks it.
guidance: What a good answer covers, shown to the trainee.
rubric: What the marker looks for.
""",
    "scenario": """id: new-scenario
type: scenario
vignette: |
  The situation, in a short paragraph.
questions:
  - id: new-scenario-first
    type: single
    prompt: What is your first step?
    options:
      - {text: The best first step, correct: true, feedback: Why.}
      - {text: A weaker first step, feedback: Why not.}
""",
}
