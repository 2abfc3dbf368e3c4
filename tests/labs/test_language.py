"""Lab pages in the reader's language: session times are written by Babel (on the session's own
clock), and counts agree with their number in English ("1 place", not "1 places")."""
from datetime import datetime, timezone

from flask_babel import force_locale

from training.extensions import db
from training.labs.views import session_when
from training.models import Role


def test_a_session_time_is_written_in_the_readers_language_on_the_sessions_clock(app, make_session):
    session = make_session(time_zone="America/New_York",
                           starts_at=datetime(2026, 12, 15, 23, 30, tzinfo=timezone.utc))
    with app.test_request_context():
        assert session_when(session) == "Tuesday, December 15, 2026, 6:30\u202fPM EST"
    with app.test_request_context(), force_locale("es"):
        spanish = session_when(session)
    assert spanish.startswith("martes, 15 de diciembre de 2026, 18:30") and spanish.endswith(" EST")


def test_one_place_and_one_minute_are_singular(client, login_as, lab, make_session):
    lab.minutes = 1
    db.session.commit()
    make_session(capacity=1, minutes=1)
    login_as(Role.TRAINEE)
    page = client.get(f"/labs/{lab.id}").get_data(as_text=True)
    assert "1 of 1 place left" in page and "places left" not in page
    assert "<dd>1 minute</dd>" in page and "1 minutes" not in page
