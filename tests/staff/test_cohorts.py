"""Cohorts, enrolment and supervisor assignment."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from training.extensions import db
from training.models import Enrolment, Role, SupervisorAssignment
from training.staff.cohorts import CohortError, assign_supervisor, create_cohort, enrol_trainee


def test_staff_create_a_cohort_enrol_and_assign(client, login_as, make_user):
    login_as(Role.STAFF)
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    response = client.post("/staff/cohorts", {"name": "Spring 2027", "starts_on": "2027-03-01",
                                              "ends_on": "2027-06-30"})
    assert response.status_code == 302
    cohort_url = response.headers["Location"]
    assert client.post(cohort_url, {"enrol-trainee": trainee.email.upper()}).status_code == 302
    response = client.post(cohort_url, {"assign-trainee_id": trainee.id,
                                        "assign-supervisor_id": supervisor.id, "assign-primary": "y"})
    assert response.status_code == 302
    page = client.get(cohort_url).get_data(as_text=True)
    assert trainee.display_name in page and f"{supervisor.display_name} (primary)" in page

    client.sign_in_as(supervisor)
    page = client.get("/supervision/trainees").get_data(as_text=True)
    assert trainee.display_name in page


@pytest.mark.parametrize("data,message", [
    ({"name": ""}, "Please give the cohort a name"),
    ({"name": "X", "starts_on": "2027-13-45"}, "Not a valid date"),
    ({"name": "X", "starts_on": "2027-06-01", "ends_on": "2027-01-01"}, "end date is before"),
])
def test_bad_cohorts_are_explained(client, login_as, data, message):
    login_as(Role.STAFF)
    response = client.post("/staff/cohorts", data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_duplicate_cohort_name_is_a_form_error(client, login_as):
    login_as(Role.STAFF)
    create_cohort("Same")
    db.session.commit()
    response = client.post("/staff/cohorts", {"name": "Same"})
    assert response.status_code == 400 and "already exists" in response.get_data(as_text=True)


def test_a_new_primary_replaces_the_old_who_stays_additional(db, make_user):
    trainee = make_user(Role.TRAINEE)
    first, second = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    assign_supervisor(trainee, first, primary=True)
    assign_supervisor(trainee, second, primary=True)
    db.session.commit()
    rows = {a.supervisor_id: a.is_primary for a in db.session.scalars(select(SupervisorAssignment))}
    assert rows == {first.id: False, second.id: True}


def test_the_database_allows_only_one_primary(db, make_user):
    trainee = make_user(Role.TRAINEE)
    first, second = make_user(Role.SUPERVISOR), make_user(Role.SUPERVISOR)
    db.session.add_all([SupervisorAssignment(trainee=trainee, supervisor=first, is_primary=True),
                        SupervisorAssignment(trainee=trainee, supervisor=second, is_primary=True)])
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_enrolling_twice_keeps_one_enrolment_and_only_trainees_enrol(db, make_user):
    cohort = create_cohort("Once")
    trainee = make_user(Role.TRAINEE)
    enrol_trainee(cohort, trainee)
    enrol_trainee(cohort, trainee)
    db.session.commit()
    assert len(db.session.scalars(select(Enrolment)).all()) == 1
    with pytest.raises(CohortError):
        enrol_trainee(cohort, make_user(Role.SUPERVISOR))


def test_nobody_supervises_themselves_and_only_supervisors_supervise(db, make_user):
    both = make_user(Role.TRAINEE, Role.SUPERVISOR)
    with pytest.raises(CohortError, match="themselves"):
        assign_supervisor(both, both, primary=True)
    with pytest.raises(CohortError, match="not a supervisor"):
        assign_supervisor(make_user(Role.TRAINEE), make_user(Role.STAFF), primary=True)


def test_staff_change_roles_but_never_their_own(client, login_as, make_user):
    me = login_as(Role.STAFF)
    other = make_user(Role.SUPERVISOR)
    response = client.post(f"/staff/people/{other.id}", {"supervisor": "y", "staff": "y"})
    assert response.status_code == 302
    db.session.refresh(other)
    assert other.roles == {Role.SUPERVISOR, Role.STAFF}
    for wanted in ({"supervisor": "y"}, {"staff": "y", "supervisor": "y"}, {"staff": "y", "trainee": "y"}):
        response = client.post(f"/staff/people/{me.id}", wanted)  # neither dropping nor adding one
        assert response.status_code == 400 and "cannot change your own roles" in response.get_data(as_text=True)
    db.session.refresh(me)
    assert me.roles == {Role.STAFF}
    assert "another staff member can change yours" in client.get(f"/staff/people/{me.id}").get_data(as_text=True)
    response = client.post(f"/staff/people/{other.id}", {})
    assert response.status_code == 400 and "at least one role" in response.get_data(as_text=True)


def test_nobody_assigns_themselves_or_removes_their_own_supervision(client, login_as, make_user):
    """A staff member who is also a supervisor could otherwise assign themselves to a trainee
    and read what the trainee shares; each change by someone else tells the trainee."""
    from training.models import Notification, SupervisorAssignment
    from training.staff.cohorts import create_cohort, enrol_trainee
    me = make_user(Role.STAFF, Role.SUPERVISOR)
    client.sign_in_as(me)
    trainee, colleague = make_user(Role.TRAINEE), make_user(Role.STAFF)
    cohort = create_cohort("Fall")
    enrol_trainee(cohort, trainee)
    db.session.commit()
    response = client.post(f"/staff/cohorts/{cohort.id}", {"assign-trainee_id": trainee.id,
                                                           "assign-supervisor_id": me.id, "assign-primary": "y"})
    assert response.status_code == 400 and "cannot change your own supervision" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(SupervisorAssignment.id))) == 0

    client.sign_in_as(colleague)
    assert client.post(f"/staff/cohorts/{cohort.id}", {"assign-trainee_id": trainee.id, "assign-supervisor_id": me.id,
                                                       "assign-primary": "y"}).status_code == 302
    told = db.session.scalars(db.select(Notification.text).where(Notification.user_id == trainee.id)).all()
    assert told == [f"{me.display_name} now supervises you (assigned by {colleague.display_name})"]

    assignment = db.session.scalar(db.select(SupervisorAssignment))
    client.sign_in_as(me)
    client.post(f"/staff/assignments/{assignment.id}/remove", {"cohort_id": cohort.id})
    assert db.session.get(SupervisorAssignment, assignment.id) is not None


def test_removing_an_assignment_ends_access(client, login_as, make_user):
    login_as(Role.STAFF)
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assignment = assign_supervisor(trainee, supervisor, primary=True)
    db.session.commit()
    assert client.post(f"/staff/assignments/{assignment.id}/remove").status_code == 302
    client.sign_in_as(supervisor)
    assert client.get(f"/supervision/trainees/{trainee.id}").status_code == 404


def test_a_cohort_with_every_trainee_enrolled_says_so_instead_of_an_empty_list(client, login_as, make_user):
    login_as(Role.STAFF)
    trainee = make_user(Role.TRAINEE)
    cohort = create_cohort("Everyone")
    db.session.commit()
    page = client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
    assert 'name="enrol-trainee"' in page and "Every trainee is already enrolled here." not in page

    enrol_trainee(cohort, trainee)
    db.session.commit()
    page = client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
    assert 'name="enrol-trainee"' not in page
    assert 'Every trainee is already enrolled here. <a href="/staff/people/invite">Invite a new trainee</a>.' in page


def test_staff_enrol_by_email_or_unique_name_and_a_vague_name_lists_who_matches(client, login_as, make_user):
    """The cohort page has a search field, not a list of every trainee; nothing is enrolled on a guess."""
    login_as(Role.STAFF)
    first = make_user(Role.TRAINEE, display_name="Robin Ash", email="robin.ash@example.org")
    second = make_user(Role.TRAINEE, display_name="Robin Birch", email="robin.birch@example.org")
    supervisor = make_user(Role.SUPERVISOR, display_name="Robin Supervising")
    cohort = create_cohort("Autumn")
    db.session.commit()
    url = f"/staff/cohorts/{cohort.id}"
    page = client.get(url).get_data(as_text=True)
    assert "<option" not in page.split('id="enrol-heading"')[1].split("</section>")[0]
    for text, message in [("robin", "Did you mean Robin Ash (robin.ash@example.org); Robin Birch"),
                          ("Nobody Here", "No trainee matches “Nobody Here”"),
                          (supervisor.email, "No trainee matches"), ("   ", "Please type the email address"),
                          ("x" * 300, "at most 254 characters")]:
        response = client.post(url, {"enrol-trainee": text})
        assert response.status_code == 400 and message in response.get_data(as_text=True), text
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0
    response = client.post(url, {"enrol-trainee": " robin birch "}, follow_redirects=True)
    assert "Robin Birch is enrolled in Autumn." in response.get_data(as_text=True)
    assert client.post(url, {"enrol-trainee": first.email}).status_code == 302
    enrolled = set(db.session.scalars(select(Enrolment.trainee_id)))
    assert enrolled == {first.id, second.id}


def test_two_trainees_with_one_name_are_told_apart_by_email(client, login_as, make_user):
    login_as(Role.STAFF)
    make_user(Role.TRAINEE, display_name="Sam Lee")
    make_user(Role.TRAINEE, display_name="Sam Lee")
    cohort = create_cohort("Winter")
    db.session.commit()
    response = client.post(f"/staff/cohorts/{cohort.id}", {"enrol-trainee": "sam lee"})
    assert response.status_code == 400 and "More than one trainee is called" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0
