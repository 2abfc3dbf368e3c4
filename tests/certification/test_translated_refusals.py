"""Refusals land on the right field whatever language their message is in."""
import io
from datetime import date

from training.certification import records
from training.certification.issuance import issue
from training.certification.standing import standing_for
from training.extensions import db
from training.models import utcnow


def test_a_refused_proof_file_is_reported_on_the_proof_field_in_any_language(client, login_as, track, people,
                                                                            eligible, monkeypatch):
    person = eligible()
    issue(person, track, standing_for(track, person.id).eligibility, by=people["staff"], now=utcnow())
    db.session.commit()
    login_as(person)
    # A translated refusal need not contain the English word "proof".
    monkeypatch.setattr(records, "_", lambda text, **values: "Ese archivo no sirve.")
    form = {"topic": "ethics", "title": "Ethics refresher", "provider": "State network",
            "completed_on": str(date.today()), "hours": "3"}
    response = client.post("/certificates/continuing-education", content_type="multipart/form-data",
                           data={**form, "proof": (io.BytesIO(b"MZ\x90\x00 an executable"), "proof.exe")})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert '<p class="error" id="proof-error"><span class="visually-hidden">Error:</span> Ese archivo no sirve.</p>' \
        in page
    assert 'id="completed_on-error"' not in page
