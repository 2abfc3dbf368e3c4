"""The story workspace: a trainee's private drafts of their recovery story.

Private by default. A draft shared with the trainee's supervisors can be read by them,
and every such read is logged for the author to see. Deleting a draft deletes it for
good, with its feedback and its read log.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from training.extensions import db
from training.models.base import UTCDateTime, utcnow


class StoryDraft(db.Model):
    __tablename__ = "story_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")      # why share this part
    audience: Mapped[str] = mapped_column(Text, default="")     # who it serves
    leave_out: Mapped[str] = mapped_column(Text, default="")    # what stays private
    body: Mapped[str] = mapped_column(Text, default="")         # the story, or an ask-share-ask practice
    shared_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: private
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")
    feedback: Mapped[list[StoryFeedback]] = relationship(back_populates="draft", order_by="StoryFeedback.id",
                                                         cascade="all, delete-orphan")
    reads: Mapped[list[StoryRead]] = relationship(back_populates="draft", order_by="StoryRead.id",
                                                  cascade="all, delete-orphan")


class StoryFeedback(db.Model):
    __tablename__ = "story_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("story_drafts.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[StoryDraft] = relationship(back_populates="feedback")
    author = relationship("User")


class StoryRead(db.Model):
    """Someone other than the author opened a shared draft."""

    __tablename__ = "story_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("story_drafts.id"), index=True)
    reader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    draft: Mapped[StoryDraft] = relationship(back_populates="reads")
    reader = relationship("User")
