"""Course content in the database: courses, modules, lessons and their versions.

Files under COURSES_DIR are the source; `courses sync` imports them. Every published
change to a lesson is a new LessonVersion holding the exact file text and the HTML
rendered from it once, so pages never re-render Markdown per request. Nothing is ever
deleted: a lesson removed from the files is retired, so progress keeps pointing at what
the trainee read.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class ContentFile(db.Model):
    """A shared content file (framework.yml, tracks/*.yml, documents/*.md), kept verbatim
    so that export writes it back unchanged and later features can read it."""

    __tablename__ = "content_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(300), unique=True)
    source: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ContentRevision(db.Model):
    """One number (one row) changed in the same transaction as any change to what readers see:
    courses, modules, lessons and their versions, quizzes and their questions, labs and the shared
    files (training/courses/revision.py). Caches of rendered content are kept per revision."""

    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text)          # course.yml, exactly as exported
    files_hash: Mapped[str] = mapped_column(String(64))  # course.yml hash at the last sync
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    modules: Mapped[list[Module]] = relationship(back_populates="course", order_by="Module.position")


class Module(db.Model):
    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    # Parsed module.yml fields: objectives, estimated_minutes, contact_hours (by domain),
    # competencies, prerequisites (module slugs), references.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(Text)          # module.yml, exactly as exported
    files_hash: Mapped[str] = mapped_column(String(64))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")
    lessons: Mapped[list[Lesson]] = relationship(back_populates="module", order_by="Lesson.position")

    @property
    def prerequisites(self) -> list[str]:
        return list(self.details.get("prerequisites", []))


class Lesson(db.Model):
    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("module_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"), index=True)
    slug: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The published version; use_alter breaks the lessons <-> lesson_versions cycle.
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("lesson_versions.id", use_alter=True, name="fk_lessons_current_version_id"))
    files_hash: Mapped[str | None] = mapped_column(String(64))  # file hash at the last sync
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    module: Mapped[Module] = relationship(back_populates="lessons")
    current_version: Mapped[LessonVersion | None] = relationship(foreign_keys=[current_version_id])


class LessonVersion(db.Model):
    __tablename__ = "lesson_versions"
    __table_args__ = (UniqueConstraint("lesson_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    content_note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)          # the whole lesson file, front matter included
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    html: Mapped[str] = mapped_column(Text)            # rendered and sanitised once, here
    toc: Mapped[list] = mapped_column(JSON, default=list)
    origin: Mapped[str] = mapped_column(String(20))    # files, editor or restore
    note: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    lesson: Mapped[Lesson] = relationship(foreign_keys=[lesson_id])
    created_by = relationship("User")


class LessonDraft(db.Model):
    """An unpublished edit, one per lesson and author; trainees never see it."""

    __tablename__ = "lesson_drafts"
    __table_args__ = (UniqueConstraint("lesson_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    base_version_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_versions.id"))
    source: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class LessonProgress(db.Model):
    """What one trainee did with one lesson: when they last opened it, and when they
    completed it and which version they had read then (later edits never undo that)."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("trainee_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Lookups by trainee use the unique constraint's leading column; no index of its own.
    trainee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id"), index=True)
    last_viewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_version_id: Mapped[int | None] = mapped_column(ForeignKey("lesson_versions.id"))
