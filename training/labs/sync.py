"""Labs from module.yml into the database (called by `courses sync` when a module file changed).

A lab removed from its file is retired, never deleted: its sessions and attendance stay,
and attended minutes keep counting.
"""
from __future__ import annotations

from sqlalchemy import select

from training.courses import content as files
from training.extensions import db
from training.models import Course, Lab, Module, utcnow
from training.rendering import render_markdown


def sync_labs(course: Course, module: Module, parsed: list[files.Lab], counts) -> None:
    existing = {lab.slug: lab for lab in db.session.scalars(select(Lab).where(Lab.course_id == course.id))}
    for position, lab in enumerate(parsed):
        row = existing.get(lab.slug)
        if row is None:
            row = Lab(course_id=course.id, slug=lab.slug)
            db.session.add(row)
            counts["labs added"] += 1
        values = dict(module_id=module.id, position=position, title=lab.title, minutes=lab.minutes,
                      domain=lab.domain, practice_html=render_markdown(lab.practice).html, required=lab.required,
                      retired_at=None)
        if row.id is not None and any(getattr(row, name) != value for name, value in values.items()):
            counts["labs updated"] += 1
        for name, value in values.items():
            setattr(row, name, value)
    wanted = {lab.slug for lab in parsed}
    for slug, row in existing.items():
        if row.module_id == module.id and slug not in wanted and row.retired_at is None:
            row.retired_at = utcnow()
            counts["labs retired"] += 1
    db.session.flush()
