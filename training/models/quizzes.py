"""Quizzes in the database: the question bank, attempts with their drawn questions, and
accommodations.

A module's quiz.yml is synced into a Quiz (its settings) and one QuizQuestion per
top-level question of the pool. Staff may then edit questions in the browser; `source`
holds the quiz file as it should be exported.

An attempt copies every drawn question into its AttemptItems at start, with the order
in which options are shown. Grading and review read only that copy, so a question edited
or retired later never changes an attempt already taken. A scenario is drawn whole and
stored as one item per question about its vignette, so every item has one answer and
one mark.
"""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class QuizKind:
    MODULE = "module"  # a module's quiz
    EXAM = "exam"      # a course's proctored final exam


class Quiz(db.Model):
    __tablename__ = "quizzes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default=QuizKind.MODULE)
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id"), unique=True)  # a module's quiz
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"), unique=True)  # a course's exam
    path: Mapped[str] = mapped_column(String(300))  # quiz.yml, relative to the content root
    # pass_mark, attempts, cooldown_minutes, draw, draw_by_competency, shuffle_options,
    # time_limit_minutes, review, counts: as in the file, defaults filled in.
    settings: Mapped[dict] = mapped_column(JSON)
    # quiz.yml as it should be exported; deferred: pages never need the whole file
    source: Mapped[str] = mapped_column(Text, deferred=True)
    files_hash: Mapped[str] = mapped_column(String(64))  # the file's hash at the last sync
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    module = relationship("Module")
    course = relationship("Course")
    questions: Mapped[list[QuizQuestion]] = relationship(back_populates="quiz", order_by="QuizQuestion.position")

    @property
    def is_exam(self) -> bool:
        return self.kind == QuizKind.EXAM

    @property
    def title(self) -> str:
        """What pages call it: the module's title, or "Final exam" for a course's exam."""
        return _("Final exam") if self.is_exam else self.module.title

    @property
    def home_course(self):
        """The course the quiz belongs to (through its module, or directly for an exam)."""
        return self.course if self.is_exam else self.module.course

    @property
    def slug(self) -> str:
        """A name for files (GIFT exports): course-module, or course-final-exam."""
        return f"{self.home_course.slug}-{'final-exam' if self.is_exam else self.module.slug}"


class QuizQuestion(db.Model):
    """One top-level question of a quiz's pool (a scenario with its questions counts as one)."""

    __tablename__ = "quiz_questions"
    __table_args__ = (UniqueConstraint("quiz_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))  # the id in the file
    position: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict] = mapped_column(JSON)  # the question's fields exactly as in quiz.yml
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    quiz: Mapped[Quiz] = relationship(back_populates="questions")


class AttemptStatus:
    IN_PROGRESS = "in_progress"
    AWAITING_REVIEW = "awaiting_review"  # submitted; an essay waits for a person to mark it
    GRADED = "graded"


class QuizAttempt(db.Model):
    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("quiz_id", "user_id", "number"),
        # One attempt in progress per person and quiz, whatever the timing of two requests.
        Index("uq_quiz_attempts_one_open", "quiz_id", "user_id", unique=True,
              sqlite_where=text("status = 'in_progress'"), postgresql_where=text("status = 'in_progress'")),
        # Attempts waiting for a person's mark, for the supervisor's queue count in the menu.
        Index("ix_quiz_attempts_awaiting_review", "user_id", sqlite_where=text("status = 'awaiting_review'"),
              postgresql_where=text("status = 'awaiting_review'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1 for this person's first attempt at this quiz
    status: Mapped[str] = mapped_column(String(20), default=AttemptStatus.IN_PROGRESS)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # only with a time limit
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    graded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    saved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rules the attempt was started under, so later edits of quiz.yml do not change it.
    pass_mark: Mapped[int] = mapped_column(Integer)
    review: Mapped[str] = mapped_column(String(30))
    score: Mapped[float | None] = mapped_column(Float)  # points, once every item is marked
    max_score: Mapped[float] = mapped_column(Float, default=0)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    # An exam attempt: the proctor (staff or the trainee's supervisor) who opened it in person.
    proctor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    quiz: Mapped[Quiz] = relationship()
    user = relationship("User", foreign_keys=[user_id])
    proctor = relationship("User", foreign_keys=[proctor_id])
    items: Mapped[list[AttemptItem]] = relationship(back_populates="attempt", order_by="AttemptItem.position",
                                                    cascade="all, delete-orphan")


class AttemptItem(db.Model):
    """One question of one attempt: a copy of the question, the order its options were
    shown in, the trainee's answer, and its mark."""

    __tablename__ = "attempt_items"
    __table_args__ = (UniqueConstraint("attempt_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id"))
    position: Mapped[int] = mapped_column(Integer)  # 1, 2, ... as numbered on the page
    question_id: Mapped[int] = mapped_column(ForeignKey("quiz_questions.id"), index=True)
    part: Mapped[str | None] = mapped_column(String(60))  # a scenario question's id; None otherwise
    question: Mapped[dict] = mapped_column(JSON)  # the question's fields as in quiz.yml
    context: Mapped[dict | None] = mapped_column(JSON)  # a scenario's {"id", "vignette"}
    # single/multiple: option indices in the order shown; matching: pair indices of the
    # right-hand choices in the order shown; empty for other types.
    shown_order: Mapped[list] = mapped_column(JSON, default=list)
    answer: Mapped[object | None] = mapped_column(JSON)  # in terms of the file's indices
    points: Mapped[float | None] = mapped_column(Float)  # None until marked
    max_points: Mapped[float] = mapped_column(Float)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    marked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    marker_comment: Mapped[str | None] = mapped_column(Text)

    attempt: Mapped[QuizAttempt] = relationship(back_populates="items")
    marked_by = relationship("User", foreign_keys=[marked_by_id])


class QuizAccommodation(db.Model):
    """Extra attempts, extra time or no cool-down for one trainee on one quiz. A new grant
    replaces the previous one for what comes next; every grant stays on record."""

    __tablename__ = "quiz_accommodations"

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)
    extra_minutes: Mapped[int] = mapped_column(Integer, default=0)
    waive_cooldown: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    granted_by = relationship("User", foreign_keys=[granted_by_id])


Index("ix_quiz_accommodations_quiz_user", QuizAccommodation.quiz_id, QuizAccommodation.user_id)
