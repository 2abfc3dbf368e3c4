"""The certification checklist: every requirement still to do links to where the trainee acts
on it (or says how it is done, for an exam taken elsewhere)."""
import re

from training.models import Role


def rows_to_do(page: str) -> list[str]:
    """The HTML of each checklist row not met yet (nested lists included)."""
    return [row.split('<li class="met">')[0] for row in page.split('<li class="to-do">')[1:]]


def test_every_requirement_still_to_do_links_to_where_it_is_done(client, login_as, track, make_user):
    login_as(make_user(Role.TRAINEE))
    page = client.get("/certification").get_data(as_text=True)
    rows = rows_to_do(page)
    assert len(rows) == 10 + 8  # the basic and the board track, nothing met yet
    for row in rows:
        label = re.search(r"<strong>(.*?)</strong>", row).group(1)
        assert 'href="' in row or "Send your score report to program staff" in row, label
    for href, label in [
        ("/courses/core", "Continue the course"),
        ("/labs/", "Book a practice lab"),
        ("/hours/#practice-heading", "Log practice hours"),
        ("/hours/#supervision-heading", "Log a supervision session"),
        ("/competencies/", "Ask for competency sign-offs"),
        ("/certification/sign/code-of-ethics", "Read and sign the code of ethics"),
        ("/certification/board/eligibility/education", "Read and confirm"),
        ("/certification/board/statement", "Write or revise your statement"),
        ("/courses/core/exam", "About the final exam"),
    ]:
        assert f'<a href="{href}">{label}<span class="visually-hidden">' in page, href
    # Each link names its requirement for screen readers, which list links out of context.
    assert '<span class="visually-hidden"> (Verified supervision hours)</span>' in page
