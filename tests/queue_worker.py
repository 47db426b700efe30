"""A terminal running the label print queue in its own process, for tests/test_label_queue.py.

    python -m tests.queue_worker DB_URL SETTINGS_JSON START_AT          run the queue until nothing is due
    python -m tests.queue_worker DB_URL SETTINGS_JSON 0 --claim-and-die  claim one label, then die (kill -9)
"""

import json
import os
import signal
import sys
import time

from kiosk import labelqueue
from kiosk.config import Settings
from kiosk.store import open_database


def main() -> None:
    url, settings = sys.argv[1], Settings(**json.loads(sys.argv[2]))
    open_database(url)
    if "--claim-and-die" in sys.argv:
        job = labelqueue.claim_next(settings, labelqueue.claimer_name(settings))
        print(job.tag.tag_number, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # as a terminal switched off mid-print
    time.sleep(max(0.0, float(sys.argv[3]) - time.time()))  # both terminals start at the same moment
    printed = []
    while results := labelqueue.process(settings):
        printed += [tag for tag, ok, _ in results if ok]
    print(json.dumps(printed), flush=True)


if __name__ == "__main__":
    main()
