"""Delivery: counting repeats, each person's email choice, the daily digest and renewal
reminders (once), and the pages: the list, the menu count, opening one, and what is gone."""
from datetime import timedelta

import pytest
from sqlalchemy import event, select

from tests.conftest import Client
from tests.notifications.conftest import log_practice, mailed, told
from training.extensions import db
from training.models import Certificate, EmailPreference, Notification, NotificationKind, StoryDraft, utcnow
from training.notifications.delivery import SUBJECTS, notify, recent_unread
from training.notifications.targets import NEXT


def choose(client, user, choice):
    client.sign_in_as(user)
    response = client.post("/notifications/email", {"notifications-notification_email": choice})
    assert response.status_code == 302 and response.headers["Location"] == "/account/#notification-email"


def test_the_choice_is_made_on_my_account_and_a_bad_one_is_refused_kindly(client, people):
    client.sign_in_as(people["trainee"])
    page = client.get("/account/").get_data(as_text=True)
    assert "Notification emails" in page and "<legend>Email me about notifications</legend>" in page
    assert 'checked id="notifications-notification_email-0"' in page  # each, by default
    refused = client.post("/notifications/email", {"notifications-notification_email": "hourly"})
    assert refused.status_code == 400 and "Not a valid choice" in refused.get_data(as_text=True)
    choose(client, people["trainee"], "digest")
    db.session.expire_all()
    assert people["trainee"].notification_email == EmailPreference.DIGEST
    assert 'checked id="notifications-notification_email-1"' in client.get("/account/").get_data(as_text=True)


def test_each_digest_or_off_is_respected_and_the_digest_is_sent_once(app, client, people):
    choose(client, people["supervisor"], "digest")
    choose(client, people["second"], "off")
    client.sign_in_as(people["trainee"])
    log_practice(client, hours="2")
    assert len(told(people["supervisor"])) == len(told(people["second"])) == 1  # both see it in the app
    assert mailed(people["supervisor"]) == mailed(people["second"]) == []
    runner = app.test_cli_runner()
    result = runner.invoke(args=["notifications", "send-digest"])
    assert result.exit_code == 0 and "Sent 1 digest." in result.output
    [digest] = mailed(people["supervisor"])
    assert digest.subject == "Your notifications: 1 new" and "- Sam Rivera logged 2 hours" in digest.body
    assert "/notifications/" in digest.body and told(people["supervisor"])[0].emailed_at is not None
    assert "Sent 0 digests." in runner.invoke(args=["notifications", "send-digest"]).output  # nothing new
    log_practice(client, hours="3")  # counted up on the unread one: the next digest lists it again, once
    runner.invoke(args=["notifications", "send-digest"])
    assert len(mailed(people["supervisor"])) == 2 and "logged 2 hours entries" in mailed(people["supervisor"])[1].body
    assert mailed(people["second"]) == []


def test_a_digest_leaves_out_what_was_read(app, client, people):
    choose(client, people["supervisor"], "digest")
    client.sign_in_as(people["trainee"])
    log_practice(client)
    client.sign_in_as(people["supervisor"])
    client.post("/notifications/read")
    result = app.test_cli_runner().invoke(args=["notifications", "send-digest"])
    assert "Sent 0 digests." in result.output and mailed(people["supervisor"]) == []


def test_a_new_notification_follows_a_read_one_and_is_emailed_again(client, people):
    client.sign_in_as(people["trainee"])
    log_practice(client, hours="1")
    log_practice(client, hours="2")
    client.sign_in_as(people["supervisor"])
    assert "Notifications (1 unread)" in client.get("/dashboard").get_data(as_text=True)
    client.get(f"/notifications/{told(people['supervisor'])[0].id}")
    assert ">Notifications</a>" in client.get("/dashboard").get_data(as_text=True)
    client.sign_in_as(people["trainee"])
    log_practice(client, hours="3")
    assert [n.count for n in told(people["supervisor"])] == [2, 1]
    assert len(mailed(people["supervisor"])) == 2


def test_every_kind_has_an_email_subject_and_a_place_to_go_instead():
    assert set(SUBJECTS) == set(NEXT) == set(NotificationKind)


def test_inactive_accounts_and_the_actor_themselves_get_no_email(people):
    people["supervisor"].is_active_account = False
    notify(people["supervisor"], NotificationKind.HOURS_LOGGED, "Someone logged hours")
    assert notify(people["trainee"], NotificationKind.HOURS_LOGGED, "You logged hours", actor=people["trainee"]) is None
    db.session.commit()
    assert len(told(people["supervisor"])) == 1 and mailed(people["supervisor"]) == []
    assert told(people["trainee"]) == []


def _certificate(holder, expires_on, number="BPC-2026-000001", **values):
    certificate = Certificate(number=number, code=number.lower(), holder_id=holder.id, track="basic",
                              track_title="Basic Peer Credential", issuer_name="Test", legal_name="Sam Rivera",
                              valid_from=expires_on - timedelta(days=730), expires_on=expires_on, **values)
    db.session.add(certificate)
    db.session.commit()
    return certificate


def test_renewal_reminders_are_sent_once_per_certificate(app, people):
    today = utcnow().date()
    due = _certificate(people["trainee"], today + timedelta(days=30))                      # window (90 days) open
    _certificate(people["other_trainee"], today + timedelta(days=200), "BPC-2026-000002")  # not yet
    _certificate(people["second"], today + timedelta(days=10), "BPC-2026-000003", revoked_at=utcnow())
    runner = app.test_cli_runner()
    first = runner.invoke(args=["notifications", "renewal-reminders"])
    assert first.exit_code == 0 and "Told 1 holder" in first.output
    assert "Told 0 holders" in runner.invoke(args=["notifications", "renewal-reminders"]).output
    [reminder] = told(people["trainee"])
    assert (reminder.kind, reminder.target_id) == (NotificationKind.RENEWAL_OPEN, due.id)
    assert due.number in reminder.text and len(mailed(people["trainee"])) == 1
    assert told(people["other_trainee"]) == [] and told(people["second"]) == []


def test_the_database_holds_one_renewal_reminder_per_certificate(people):
    due = _certificate(people["trainee"], utcnow().date() + timedelta(days=30))
    values = dict(user_id=people["trainee"].id, kind=NotificationKind.RENEWAL_OPEN, target_type="certificates",
                  target_id=due.id, text="Renew")
    db.session.add(Notification(**values))
    db.session.commit()
    db.session.add(Notification(**values))
    with pytest.raises(Exception, match="(?i)unique"):
        db.session.commit()
    db.session.rollback()
    # Other kinds may repeat about the same thing (a draft shared twice).
    for _ in range(2):
        db.session.add(Notification(**dict(values, kind=NotificationKind.STORY_SHARED)))
    db.session.commit()


def test_the_list_marks_unread_in_words_and_mark_all_read(client, people):
    for number in range(3):
        notify(people["trainee"], NotificationKind.HOURS_VERIFIED, f"Verified entry {number}")
    db.session.commit()
    client.sign_in_as(people["trainee"])
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Notifications (3 unread)" in page and page.count(">Unread</span>") == 3
    assert page.index("Verified entry 2") < page.index("Verified entry 0")  # newest first
    response = client.post("/notifications/read")
    assert response.headers["Location"] == "/notifications/"
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Unread</span>" not in page and "You have read everything" in page and "(3 unread)" not in page
    assert all(n.read_at is not None for n in told(people["trainee"]))


def test_the_list_is_paged_and_its_queries_do_not_grow(app, client, people):
    def queries(url):
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(url).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)
    client.sign_in_as(people["trainee"])
    notify(people["trainee"], NotificationKind.HOURS_VERIFIED, "The first one", actor=people["supervisor"])
    db.session.commit()
    few = queries("/notifications/")
    for number in range(40):
        notify(people["trainee"], NotificationKind.STORY_FEEDBACK, f"Feedback {number}",
               actor=people["second" if number % 2 else "supervisor"])
    db.session.commit()
    assert queries("/notifications/") == few <= 6
    first, second = (client.get(url).get_data(as_text=True) for url in ("/notifications/", "/notifications/?page=2"))
    assert "Older notifications" in first and "Feedback 39" in first and "The first one" not in first
    assert "The first one" in second and "Newer notifications" in second
    for page in ("0", "-1", "x", "99999999999999"):
        assert client.get(f"/notifications/?page={page}").status_code == 200


def test_opening_someone_elses_notification_is_not_found(client, people):
    mine = notify(people["trainee"], NotificationKind.HOURS_VERIFIED, "Verified")
    db.session.commit()
    client.sign_in_as(people["other_trainee"])
    assert client.get(f"/notifications/{mine.id}").status_code == 404
    assert client.get("/notifications/4294967296").status_code == 404
    assert told(people["trainee"])[0].read_at is None


def test_a_deleted_draft_or_a_withdrawn_request_says_so_kindly(app, client, people):
    client.sign_in_as(people["trainee"])
    client.post("/stories/new", {"title": "Private title", "body": "Private"})
    draft = db.session.scalar(select(StoryDraft))
    client.post(f"/stories/{draft.id}/share", {"share": "1"})
    client.post(f"/stories/{draft.id}/delete")
    reader = Client(app)
    reader.sign_in_as(people["supervisor"])
    [shared] = told(people["supervisor"])
    response = reader.get(f"/notifications/{shared.id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "This is no longer here" in page
    assert "story draft was deleted" in page and 'href="/supervision/queue"' in page
    assert told(people["supervisor"])[0].read_at is not None
    # A target gone without a trace (a request deleted by its author) is the same kind page.
    gone = notify(people["trainee"], NotificationKind.SIGNOFF_RETURNED, "Returned", actor=people["supervisor"])
    gone.target_type, gone.target_id = "signoff_requests", 999999
    db.session.commit()
    assert "Notifications (1 unread)" in client.get("/dashboard").get_data(as_text=True)
    page = client.get(f"/notifications/{gone.id}").get_data(as_text=True)
    assert "sign-off request was withdrawn" in page and 'href="/competencies/"' in page
    # The page that marked it read counts it as read: the count read with the person at the
    # start of the request is not used once the request has written.
    assert "unread)" not in page


def test_recent_unread_for_the_dashboard_is_one_query(app, people):
    for number in range(7):
        notify(people["trainee"], NotificationKind.HOURS_VERIFIED, f"Verified {number}")
    db.session.commit()
    db.session.refresh(people["trainee"])  # loaded, as the signed-in person is on a page
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    with app.test_request_context("/"):
        recent = recent_unread(people["trainee"])
    event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and [n.text for n, _ in recent] == [f"Verified {n}" for n in range(6, 1, -1)]
    assert recent[0][1] == f"/notifications/{recent[0][0].id}"
