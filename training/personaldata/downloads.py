"""Asking for one's data and the job that prepares it. A person has at most one download
being prepared at a time (the database's partial unique index holds under parallel
requests); finished ones are kept for KEPT_DAYS."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from training import audit
from training.extensions import db
from training.jobs.files import build_file
from training.models import NotificationKind, PersonalDataExport, User, utcnow
from training.personaldata.archive import archive

KEPT_DAYS = 7


def request_download(person: User) -> tuple[PersonalDataExport, bool]:
    """Queue a download of the person's data and commit; (the download, whether it is new).
    One already being prepared is returned instead of a second."""
    from training.jobs import after_commit
    db.session.execute(delete(PersonalDataExport).where(
        PersonalDataExport.user_id == person.id, PersonalDataExport.created_at < utcnow() - timedelta(days=KEPT_DAYS)))
    download = PersonalDataExport(user_id=person.id)
    try:
        with db.session.begin_nested():
            db.session.add(download)
    except IntegrityError:
        waiting = db.session.scalar(select(PersonalDataExport).where(PersonalDataExport.user_id == person.id,
                                                                     PersonalDataExport.status == "queued"))
        db.session.commit()
        return waiting, False
    audit.record("personal_data.requested", object_type="personal_data_export", object_id=download.id,
                 subject_id=person.id)
    after_commit("build_personal_data", download.id)
    db.session.commit()
    return download, True


def downloads_of(person: User) -> list[PersonalDataExport]:
    return db.session.scalars(select(PersonalDataExport).where(PersonalDataExport.user_id == person.id)
                              .order_by(PersonalDataExport.id.desc()).limit(20)).all()


def build(download_id: int) -> str:
    """The job: prepare the file once (nothing if it is prepared already)."""
    return build_file(PersonalDataExport, download_id, _prepare, owner="user_id",
                      ready=NotificationKind.PERSONAL_DATA_READY, kept_days=KEPT_DAYS)


def _prepare(download: PersonalDataExport) -> tuple[bytes, str]:
    now = utcnow()
    content = archive(db.session.get(User, download.user_id), now)
    download.size = len(content)
    return content, f"my-data-{now:%Y-%m-%d}.zip"
