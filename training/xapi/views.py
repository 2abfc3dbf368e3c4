"""Staff: the xAPI statements of a period, as JSON (what was, or will be, sent to the store)."""
from __future__ import annotations

import json
from datetime import datetime, time, timedelta, timezone

from flask import Blueprint, Response, jsonify, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms.validators import InputRequired

from training import audit
from training.access import role_required
from training.extensions import db
from training.inputs import BoundedDateField
from training.localization import lazy_gettext as _l
from training.models import Role, XapiStatement

bp = Blueprint("xapi", __name__)
MOST = 100_000  # statements in one download


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET download that changes nothing

    since = BoundedDateField(_l("From"), validators=[InputRequired()])
    until = BoundedDateField(_l("To"), validators=[InputRequired()])


@bp.route("/staff/xapi/statements.json")
@role_required(Role.STAFF)
def statements():
    """Staff: every xAPI statement made from `since` to `until` (whole days, UTC), oldest first,
    as one JSON array; a period given wrongly gets a 400 that says what to fix."""
    form = PeriodForm(request.args)
    if not form.validate() or form.since.data > form.until.data:
        problems = {name: errors for name, errors in form.errors.items()}
        if not problems:
            problems = {"until": [_("The end of the period comes before its start.")]}
        return jsonify(error=_("Give the period as since=YYYY-MM-DD and until=YYYY-MM-DD."), fields=problems), 400
    start = datetime.combine(form.since.data, time.min, tzinfo=timezone.utc)
    end = datetime.combine(form.until.data + timedelta(days=1), time.min, tzinfo=timezone.utc)
    found = db.session.scalars(select(XapiStatement.statement)
                               .where(XapiStatement.created_at >= start, XapiStatement.created_at < end)
                               .order_by(XapiStatement.id).limit(MOST + 1)).all()
    if len(found) > MOST:
        return jsonify(error=_("That period has more than %(most)d statements: choose a shorter one.", most=MOST),
                       fields={}), 400
    audit.record("xapi.exported", object_type="xapi_statements",
                 details={"since": form.since.data.isoformat(), "until": form.until.data.isoformat(),
                          "statements": len(found)})
    db.session.commit()
    filename = f"xapi-{form.since.data.isoformat()}-{form.until.data.isoformat()}.json"
    return Response(json.dumps(found, separators=(",", ":")) + "\n", mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
