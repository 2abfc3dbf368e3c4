"""How long rendering a certificate PDF takes, and how big the stored PDF is.

    .venv/bin/python bench/certificate_pdf.py [--repeat 30]

Builds a throwaway SQLite database with one trainee and one issued certificate, then renders
its PDF `--repeat` times in the same process. Prints the first render (which loads the fonts
and warms WeasyPrint's caches) apart from the rest, then the median and 95th percentile, and
the size of the PDF. A script, not a test: the numbers depend on the machine.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(DATABASE_URL=f"sqlite:///{tmp}/bench.sqlite3", INSTANCE_PATH=tmp,
                          TRAINING_ENV="development", RATELIMIT_ENABLED="false")
        from training import create_app
        from training.auth.accounts import create_account
        from training.certification.pdf import render_pdf
        from training.extensions import db
        from training.models import Certificate, Role

        app = create_app()
        with app.app_context():
            db.create_all()
            holder = create_account("bench@example.org", "Bench", [Role.TRAINEE],
                                    legal_name="Amélie Dubois-Nguyễn", password="bench-password-1")
            certificate = Certificate(
                number="PSS-2026-000123", code="K7Q2-9XPA-3MZD", holder=holder, track="pss",
                track_title="Certified Peer Support Specialist", issuer_name="Peer Support Certification Board",
                legal_name=holder.legal_name, cycle=2, edition=1,
                valid_from=date(2026, 11, 22), expires_on=date(2028, 11, 22),
                issued_at=datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc))
            db.session.add(certificate)
            db.session.commit()
            verify_url = f"https://certify.example.org/verify/{certificate.code}"
            timings = []
            for _ in range(options.repeat):
                started = time.perf_counter()
                pdf = render_pdf(certificate, verify_url)
                timings.append(time.perf_counter() - started)

    first, rest = timings[0], sorted(timings[1:]) or timings
    p95 = rest[int(0.95 * (len(rest) - 1))]
    print(f"{options.repeat} renders of one certificate (US Letter landscape, tagged PDF/UA-1)")
    print(f"first render (fonts, caches)  {first * 1000:7.1f} ms")
    print(f"later renders                 median {statistics.median(rest) * 1000:7.1f} ms   "
          f"p95 {p95 * 1000:7.1f} ms")
    print(f"PDF size                      {len(pdf) / 1024:7.1f} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
