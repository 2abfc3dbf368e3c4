"""A worker: `python -m training.jobs [--workers N]` (`make worker`; `make run` starts one).

It builds the app from the environment, as the web processes do, and runs Huey's consumer
on the queue named by JOBS_URL until it is stopped (Ctrl-C or SIGINT finishes the jobs
running first). Queued and scheduled jobs stay in the queue's storage across restarts."""
import argparse
import logging

from huey.consumer import Consumer

import training.jobs as jobs
from training import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="jobs run at the same time (threads)")
    options = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app()
    jobs._worker_app = app
    queue = app.extensions["jobs"]
    if queue.immediate:
        raise SystemExit("JOBS_IMMEDIATE is on: jobs run in the web process, so there is nothing for a worker to do.")
    logging.getLogger("training.jobs").info("worker on %s", app.config["JOBS_URL"].split("@")[-1])
    Consumer(queue, workers=options.workers, worker_type="thread").run()


if __name__ == "__main__":
    main()
