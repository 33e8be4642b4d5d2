"""paramiko peer of the confsnap throughput benchmark.

Reads the device list as JSON on stdin ({"devices": [{"host", "port", ...}], "username",
"password"}, or a bare list, admin/admin by default), collects `/export` from every device over an
exec channel with password auth in a thread pool as large as the concurrency given as the first
argument, reading the whole output, and prints {"done", "failed", "seconds", "client_cpu_ms",
"bytes", "errors"} (client_cpu_ms: CPU time of this process over the run, all threads).
This is the client that Netmiko- and rosbackup-style tools are built on.
"""

import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import paramiko


def load_job():
    job = json.load(sys.stdin)
    if isinstance(job, list):
        job = {"devices": job}
    return job["devices"], job.get("username", "admin"), job.get("password", "admin")


def main():
    devices, username, password = load_job()
    concurrency = int(sys.argv[1]) if len(sys.argv) > 1 else 50

    def collect(device):
        client = paramiko.SSHClient()
        # Trust on first use, in memory: the same as the other contenders.
        client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
        try:
            client.connect(
                device["host"],
                port=device["port"],
                username=username,
                password=password,
                look_for_keys=False,
                allow_agent=False,
                timeout=20,
                banner_timeout=20,
                auth_timeout=20,
            )
            _stdin, stdout, stderr = client.exec_command("/export")
            data = stdout.read()
            stderr.read()
            stdout.channel.recv_exit_status()
            expected = device.get("configBytes")
            if expected and len(data) < expected:
                raise RuntimeError(f"short output: {len(data)} of at least {expected} bytes")
            return len(data)
        finally:
            client.close()

    def attempt(device):
        try:
            return collect(device)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none may stop the run
            return error

    cpu_before = time.process_time()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as executor:
        results = list(executor.map(attempt, devices))
    seconds = time.perf_counter() - started
    client_cpu_ms = (time.process_time() - cpu_before) * 1000
    errors = {}
    received = 0
    done = 0
    for result in results:
        if isinstance(result, Exception):
            text = f"{type(result).__name__}: {result}"[:160]
            errors[text] = errors.get(text, 0) + 1
        else:
            done += 1
            received += result
    print(
        json.dumps(
            {
                "contender": "paramiko",
                "version": paramiko.__version__,
                "concurrency": concurrency,
                "done": done,
                "failed": len(devices) - done,
                "seconds": seconds,
                "client_cpu_ms": client_cpu_ms,
                "bytes": received,
                "errors": errors,
            }
        )
    )


main()
