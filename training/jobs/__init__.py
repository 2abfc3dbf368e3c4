"""Background jobs on a real queue: Huey.

Huey is small, well kept, and has the two storages this platform needs: a SQLite file for a
single machine and development (nothing to install; `make run` starts a worker beside the
development server) and Redis for production, which already runs Redis for rate limits
(`make worker` starts one or more worker processes against it). RQ and Dramatiq need Redis
or RabbitMQ even in development, and Celery is far more than this needs.

Jobs are enqueued only once the transaction that asks for them commits (a worker must find
the rows it works on, and a rolled-back action must start nothing), and each job is
idempotent: it locks its row and does nothing if the work was done already, so a job run
twice sends one mail. Queued jobs live in the storage, so they survive a worker restart.

Configuration: JOBS_URL (`sqlite:///path` or `redis://...`), and JOBS_IMMEDIATE for tests
that run a job in the process, right after the commit, instead of in a worker.
"""
from __future__ import annotations

import functools
from pathlib import Path

from flask import Flask, current_app, has_app_context
from huey import Huey, RedisHuey, SqliteHuey
from sqlalchemy import event
from sqlalchemy.orm import Session

AFTER_COMMIT = "jobs_after_commit"
READY = "jobs_ready"
_worker_app: Flask | None = None


def make_queue(app: Flask) -> Huey:
    url, immediate = app.config["JOBS_URL"], app.config["JOBS_IMMEDIATE"]
    if url.startswith(("redis://", "rediss://")):
        queue = RedisHuey("training", url=url, immediate=immediate)
    else:
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        queue = SqliteHuey("training", filename=str(path), immediate=immediate)
    from training.jobs import tasks
    tasks.register(queue)
    return queue


def init_app(app: Flask) -> None:
    app.extensions["jobs"] = make_queue(app)


def queue() -> Huey:
    return current_app.extensions["jobs"]


def in_app(function):
    """Run a job inside an application context of its own (its own database session): the
    worker's app, or in immediate mode the app that enqueued it."""
    @functools.wraps(function)
    def run(*args, **kwargs):
        app = _worker_app or (current_app._get_current_object() if has_app_context() else None)
        with app.app_context():
            return function(*args, **kwargs)
    return run


def after_commit(task_name: str, *args, delay: int | None = None, session: Session | None = None,
                 once: bool = False) -> None:
    """Enqueue the job once the current transaction commits (nothing if it rolls back); with
    `once`, not again if the transaction already asks for the same job."""
    from training.extensions import db
    session = session or db.session()
    waiting = session.info.setdefault(AFTER_COMMIT, [])
    if once and any(name == task_name and given == args for _app, name, given, _delay in waiting):
        return
    waiting.append((current_app._get_current_object(), task_name, args, delay))


@event.listens_for(Session, "before_commit")
def _ready(session: Session) -> None:
    """The outermost commit is about to happen (not a savepoint's): its jobs go out after it."""
    if session.get_nested_transaction() is None:
        session.info[READY] = session.info.pop(AFTER_COMMIT, [])


@event.listens_for(Session, "after_commit")
def _enqueue(session: Session) -> None:
    """A commit happened. If it was the outermost one (`_ready` ran; a savepoint released also
    lands here), its jobs go out, including those asked for by the flush inside the commit
    itself, after `_ready` (the content revision asks that way)."""
    if READY not in session.info:
        return
    for app, task_name, args, delay in session.info.pop(READY) + session.info.pop(AFTER_COMMIT, []):
        task = app.extensions["jobs"].tasks_by_name[task_name]
        if delay:
            task.schedule(args=args, delay=delay)
        else:
            task(*args)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """The whole transaction ended (committed, so its jobs went out, or rolled back): nothing
    it asked for is left waiting. A savepoint ending changes nothing."""
    if transaction.parent is None:
        session.info.pop(AFTER_COMMIT, None)
        session.info.pop(READY, None)
