"""Staff search (people, certificates, mail) and the paginated, filtered people list."""
from datetime import date

from sqlalchemy import event, select

from training.extensions import db
from training.mailer import send_mail
from training.models import Certificate, Role, User
from training.staff.search import search


def test_search_finds_people_certificates_and_mail_case_insensitively(client, login_as, make_user):
    staff = login_as(Role.STAFF)
    ana = make_user(Role.TRAINEE, email="ana.ruiz@example.org", display_name="Ana Ruiz")
    make_user(Role.TRAINEE, email="bo@example.org", display_name="Bo Chen")
    send_mail("ana.ruiz@example.org", "Welcome, Ana", "Hello")
    send_mail("bo@example.org", "Your hours were verified", "Hello")
    db.session.commit()
    page = client.get("/staff/search", query_string={"q": "RUIZ"}).get_data(as_text=True)
    assert "Ana Ruiz" in page and "Bo Chen" not in page
    assert "Welcome, Ana" in page and "Your hours were verified" not in page
    assert "No certificates match." in page
    assert staff.display_name not in page.split("<h1>")[1]

    page = client.get("/staff/search", query_string={"q": "VERIFIED"}).get_data(as_text=True)
    assert "Your hours were verified" in page and "No people match." in page
    assert client.get(f"/staff/people/{ana.id}").status_code == 200


def test_search_treats_wildcards_as_text_and_caps_each_group(db, make_user):
    make_user(Role.TRAINEE, email="plain@example.org", display_name="Plain name")
    make_user(Role.TRAINEE, email="under_score@example.org", display_name="Under score")
    for number in range(4):
        make_user(Role.TRAINEE, email=f"many{number}@example.org", display_name=f"Many {number}")
    assert [u.email for u in search("_").people.items] == ["under_score@example.org"]
    assert search("%").people.items == []
    capped = search("many", limit=3)
    assert len(capped.people.items) == 3 and capped.people.more
    assert not search("many", limit=4).people.more


def test_search_finds_a_certificate_by_number_code_or_holder(client, login_as, make_user):
    login_as(Role.STAFF)
    holder = make_user(Role.TRAINEE, display_name="Kim Holder")
    db.session.add(Certificate(number="CPSS-2026-0042", code="c" * 40, short_code="ABCD2345", holder_id=holder.id,
                               track="cpss", track_title="Certified Peer Support Specialist", issuer_name="Program",
                               legal_name="Kim Holder", valid_from=date.today()))
    db.session.commit()
    for q in ("cpss-2026-0042", "abcd2345", "kim hol"):
        page = client.get("/staff/search", query_string={"q": q}).get_data(as_text=True)
        assert "CPSS-2026-0042" in page, q


def test_hostile_searches_get_a_clear_answer(client, login_as):
    login_as(Role.STAFF)
    response = client.get("/staff/search", query_string={"q": "x" * 5000})
    assert response.status_code == 400 and "at most 200 characters" in response.get_data(as_text=True)
    assert client.get("/staff/search", query_string={"q": "a\x00b"}).status_code == 400
    response = client.get("/staff/people", query_string={"q": "y" * 5000})
    assert response.status_code == 400 and "at most 200 characters" in response.get_data(as_text=True)
    page = client.get("/staff/search", query_string={"q": "   "}).get_data(as_text=True)
    assert "Type something to search for" in page


def test_the_people_list_pages_filters_by_role_and_searches(client, login_as, make_user):
    login_as(Role.STAFF)
    for number in range(55):
        make_user(Role.TRAINEE, email=f"t{number:02d}@example.org", display_name=f"Trainee {number:02d}")
    make_user(Role.SUPERVISOR, email="pat@example.org", display_name="Pat Supervisor")
    first = client.get("/staff/people").get_data(as_text=True)
    assert "57 people" in first and "Page 1 of 2" in first and "Trainee 00" in first and "Trainee 54" not in first
    second = client.get("/staff/people", query_string={"page": 2}).get_data(as_text=True)
    assert "Trainee 54" in second and "Trainee 00" not in second
    supervisors = client.get("/staff/people", query_string={"role": "supervisor"}).get_data(as_text=True)
    assert "Pat Supervisor" in supervisors and "Trainee 00" not in supervisors and "1 person" in supervisors
    found = client.get("/staff/people", query_string={"q": "T07@EXAMPLE"}).get_data(as_text=True)
    assert "Trainee 07" in found and "Trainee 08" not in found
    nobody = client.get("/staff/people", query_string={"q": "nobody", "role": "bogus"})
    assert nobody.status_code == 200 and "Nobody matches" in nobody.get_data(as_text=True)
    assert client.get("/staff/people", query_string={"page": "99999999999"}).status_code == 200


def test_the_people_list_runs_the_same_queries_however_many_people(client, login_as, make_user, app):
    login_as(Role.STAFF)
    counts = []
    for batch in (5, 60):
        for number in range(batch):
            make_user(Role.TRAINEE)
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/staff/people").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        counts.append(len(seen))
    assert counts[0] == counts[1], counts
    assert db.session.scalar(select(User).limit(1)) is not None
