"""What the Python peers of the confsnap throughput benchmark share: the job on stdin, the check
that a device's whole output arrived, and the one JSON line of results on stdout.
"""

import json
import sys
import time


def load_job():
    """The device list, user name and password from stdin, and the concurrency from argv[1]."""
    job = json.load(sys.stdin)
    if isinstance(job, list):
        job = {"devices": job}
    concurrency = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    return job["devices"], job.get("username", "admin"), job.get("password", "admin"), concurrency


def check_size(device, data):
    """The output's length; an error when it is shorter than the device's configuration."""
    expected = device.get("configBytes")
    if expected and len(data) < expected:
        raise RuntimeError(f"short output: {len(data)} of at least {expected} bytes")
    return len(data)


class Timed:
    """Wall time and this process's CPU time (all threads) over a `with` block."""

    def __enter__(self):
        self._cpu = time.process_time()
        self._started = time.perf_counter()
        return self

    def __exit__(self, *_):
        self.seconds = time.perf_counter() - self._started
        self.client_cpu_ms = (time.process_time() - self._cpu) * 1000


def report(contender, version, concurrency, devices, results, timed):
    """Prints the results line: `results` holds a byte count or an exception per device."""
    errors = {}
    received = 0
    done = 0
    for result in results:
        if isinstance(result, BaseException):
            text = f"{type(result).__name__}: {result}"[:160]
            errors[text] = errors.get(text, 0) + 1
        else:
            done += 1
            received += result
    print(
        json.dumps(
            {
                "contender": contender,
                "version": version,
                "concurrency": concurrency,
                "done": done,
                "failed": len(devices) - done,
                "seconds": timed.seconds,
                "client_cpu_ms": timed.client_cpu_ms,
                "bytes": received,
                "errors": errors,
            }
        )
    )
