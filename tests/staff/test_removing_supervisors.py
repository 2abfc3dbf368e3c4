"""Removing a supervisor from a trainee asks first, naming both and what waits for a supervisor."""
from datetime import date

from sqlalchemy import func, select

from training.extensions import db
from training.models import Role, SupervisorAssignment
from training.staff.cohorts import assign_supervisor, create_cohort, enrol_trainee
from training.supervision.hours import NewHours, log_hours


def test_staff_confirm_before_removing_a_supervisor_and_see_what_waits(client, login_as, make_user):
    login_as(Role.STAFF)
    trainee = make_user(Role.TRAINEE, display_name="Sam Rivera")
    supervisor = make_user(Role.SUPERVISOR, display_name="Pat Lee")
    cohort = create_cohort("Spring")
    enrol_trainee(cohort, trainee)
    assignment = assign_supervisor(trainee, supervisor, primary=True)
    log_hours(trainee, NewHours("practice", "individual-support", date.today(), 60, "Centre", False, "", "a"),
              date.today())
    db.session.commit()

    cohort_page = client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
    confirm_url = f"/staff/assignments/{assignment.id}/remove?cohort_id={cohort.id}"
    assert f'href="{confirm_url}"' in cohort_page  # a link to the question, not a button that removes
    page = client.get(confirm_url).get_data(as_text=True)
    assert "Remove Pat Lee as Sam Rivera’s supervisor?" in page and "<strong>primary</strong>" in page
    assert "1 hours entry to verify" in page and "Nobody else supervises Sam Rivera" in page
    assert f'name="cohort_id" value="{cohort.id}"' in page and "Keep Pat Lee" in page
    assert db.session.scalar(select(func.count(SupervisorAssignment.id))) == 1  # asking removes nothing

    second = make_user(Role.SUPERVISOR, display_name="Alex Kim")
    assign_supervisor(trainee, second, primary=False)
    db.session.commit()
    page = client.get(confirm_url).get_data(as_text=True)
    assert "these stay waiting for Alex Kim, who supervises Sam Rivera too" in page

    done = client.post(f"/staff/assignments/{assignment.id}/remove", {"cohort_id": str(cohort.id)})
    assert done.headers["Location"] == f"/staff/cohorts/{cohort.id}"
    assert "Pat Lee no longer supervises Sam Rivera." in client.get(done.headers["Location"]).get_data(as_text=True)
    assert [a.supervisor_id for a in db.session.scalars(select(SupervisorAssignment))] == [second.id]
    again = client.post(f"/staff/assignments/{assignment.id}/remove", {"cohort_id": str(cohort.id)})
    assert "already removed" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_removing_the_only_supervisor_says_to_assign_another(client, login_as, make_user):
    login_as(Role.STAFF)
    trainee, supervisor = make_user(Role.TRAINEE), make_user(Role.SUPERVISOR)
    assignment = assign_supervisor(trainee, supervisor, primary=False)
    db.session.commit()
    page = client.get(f"/staff/assignments/{assignment.id}/remove").get_data(as_text=True)
    assert "Nothing from" in page and f'href="/staff/people/{trainee.id}"' in page  # back to the trainee
    done = client.post(f"/staff/assignments/{assignment.id}/remove")
    assert done.headers["Location"] == f"/staff/people/{trainee.id}"
    assert "Please assign another supervisor" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(SupervisorAssignment.id))) == 0
