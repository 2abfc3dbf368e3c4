"""Moodle's GIFT text format to and from our questions (training.courses.content.Question).

`parse_gift(text)` returns the questions of a GIFT file or raises `GiftError` listing every
problem in it at once (nothing is half-imported); `read_gift(text)` returns the good questions
and the problems of the others (for an import that skips what it cannot take); `write_gift(questions)` writes GIFT that
Moodle imports and that `parse_gift` reads back to equal questions.

What GIFT lacks, and how we carry it:

- Moodle's own `// [id:BND-07] [tag:money]` comment above a question: each tag is a tag, the
  idnumber the tag `idnumber:BND-07` (and the id of a question without a title); tags are
  written back in that form.
- Metadata comments right above a question (Moodle ignores comments; a blank line in between
  breaks the link): `// points: 2`, `// competencies: C01.1, C12.4`, `// tags: gifts, money`
  (still read; written as `[tag:…]`),
  `// case_sensitive: true` (short), `// guidance: …` and `// rubric: …` (essay), and
  `// prompt: …`, `// explanation: …` for a scenario. Values are one line: a newline is written
  `\\n` and a backslash `\\\\`. Other `// key: value` comments are plain comments.
- Scenarios: a description (text with no answer block) titled `::case::` followed straight away
  by questions titled `::case/part::` is a scenario with id `case`, the description as vignette
  and sub-questions with ids `part`. Any other description is a question of type description,
  shown in place and never scored (Moodle's description item). Anywhere else a "/" is
  part of an ordinary title (Moodle's examples have `::True/false question::`).
- `$CATEGORY: $course$/Ethics/Gifts` becomes the tag `category:Ethics/Gifts` (listed first) on
  the top-level questions after it; `$CATEGORY: $course$` alone ends the category.
- A multiple question without weights is written with the weights Moodle needs to grade it
  the way we do (each right answer earns 100/n, each wrong one chosen costs 100/n, for n right
  answers) and `// weights: none`, which drops them again on import.
- Titles become ids: a slug title as is, any other title slugified. A question without a title
  gets `untitled-` and a hash of its text, so the same question keeps its id and an untitled
  question of another file can never replace it (its place in the file would).

Choices made where GIFT and our model differ:

- An answer without `#feedback` gets feedback "" (the caller decides what to do about it); a
  true/false feedback that is absent is None.
- Feedback on the single answer of a numerical question becomes the explanation when there is
  no general feedback (`####`); with both, it is a problem rather than a silent loss.
- Texts are written with `[markdown]` and newlines as `\\n`, so each question is one block.
  `[html]` becomes Markdown that shows the same (links, lists, code blocks, emphasis, headings;
  other tags are dropped and no raw HTML gets through); `[plain]` and Moodle's own format (no
  marker) show their characters as written (a backslash or an asterisk is not Markdown),
  except the HTML Moodle's format may hold. Short answers and the right side of a pair are
  kept as plain text, not Markdown.
- Partial credit: a single-answer question's `~%50%…` answer earns that share; an answer block
  whose `=` answers carry weights (`=%100%…`, as Moodle exports short answers) is a short answer,
  where `~text#feedback` (or `=%0%`) is an expected wrong answer with its feedback; a numerical
  question's answers after the first full-credit one are `other_answers` and `~#…` its
  `wrong_feedback`. `= -> extra` in matching is a distractor.
- Reported as a problem: a negative weight in a single-answer question, several `=` answers next
  to `~` answers without weights, no answer worth every point, numbers too large, NUL bytes.
- A left side of a pair containing "->" is written "-\\>", which Markdown shows as "->".
"""
from training.quizzes.giftread import GiftError, GiftProblem, parse_gift, read_gift
from training.quizzes.giftwrite import write_gift

__all__ = ["GiftError", "GiftProblem", "parse_gift", "read_gift", "write_gift"]
