"""Flask extensions, created unbound; create_app binds them to an app."""
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import Integer, MetaData, any_, literal
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names make migrations reviewable and let SQLite's batch mode work.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
compress = Compress()


def among(column, ids):
    """`column IN ids` for a list of ids: on PostgreSQL as `= ANY(:array)`, one parameter however
    many ids (an IN list of thousands costs more to build, send and plan than the query itself);
    a subquery, or any other database, gets a plain IN."""
    if isinstance(ids, (list, tuple, set, frozenset)) and db.session.get_bind().dialect.name == "postgresql":
        return column == any_(literal(sorted(ids), type_=ARRAY(Integer)))
    return column.in_(ids)


class Kept:
    """A per-process cache of parts of pages that are the same for everyone (keys carry what
    the value depends on, such as the content revision); it starts afresh when it holds `most`."""

    def __init__(self, most: int):
        self.most = most
        self.items: dict = {}

    def get(self, key, build):
        """The value kept for `key`, or `build()` kept from now on."""
        try:
            return self.items[key]
        except KeyError:
            pass
        value = build()
        if len(self.items) >= self.most:
            self.items.clear()
        self.items[key] = value
        return value


def read_rows(statement, parameters=None):
    """Run a SELECT of plain columns on the session's connection, without the ORM's work per
    statement (a third of the cost of session.execute for the small reads every page makes).
    Pending changes are flushed first, as the ORM would."""
    session = db.session()
    if session.new or session.deleted or session.dirty:
        session.flush()
    return session.connection().execute(statement, parameters)


def upsert_insert(model, session=None):
    """INSERT for `model` that can take ON CONFLICT (on_conflict_do_update / _do_nothing), on
    PostgreSQL or SQLite, whichever the session is bound to."""
    from sqlalchemy.dialects import postgresql, sqlite
    bind = (session or db.session).get_bind()
    return (postgresql if bind.dialect.name == "postgresql" else sqlite).insert(model)


def commit_keeping_loaded() -> None:
    """Commit without expiring what the request has loaded already: for a page or download that
    writes on its way (stored standings, an audit event) and then goes on reading its objects."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
