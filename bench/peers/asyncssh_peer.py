"""asyncssh peer of the confsnap throughput benchmark.

Reads the device list as JSON on stdin ({"devices": [{"host", "port", ...}], "username",
"password"}, or a bare list, admin/admin by default), collects `/export` from every device over an
exec channel with password auth at the concurrency given as the first argument (an asyncio
semaphore), reading the whole output, and prints {"done", "failed", "seconds", "client_cpu_ms",
"bytes", "errors"} (client_cpu_ms: CPU time of this process over the run).
This is the client that scrapli-style asyncio tools are built on.
"""

import asyncio
import json
import sys
import time

import asyncssh


def load_job():
    job = json.load(sys.stdin)
    if isinstance(job, list):
        job = {"devices": job}
    return job["devices"], job.get("username", "admin"), job.get("password", "admin")


async def main():
    devices, username, password = load_job()
    concurrency = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    semaphore = asyncio.Semaphore(concurrency)

    async def collect(device):
        async with semaphore:
            async with asyncssh.connect(
                device["host"],
                port=device["port"],
                username=username,
                password=password,
                known_hosts=None,
                client_keys=None,
                agent_path=None,
                preferred_auth="password",
                connect_timeout=20,
            ) as connection:
                result = await connection.run("/export", check=False, encoding=None)
                data = result.stdout or b""
                expected = device.get("configBytes")
                if expected and len(data) < expected:
                    raise RuntimeError(f"short output: {len(data)} of at least {expected} bytes")
                return len(data)

    cpu_before = time.process_time()
    started = time.perf_counter()
    results = await asyncio.gather(*(collect(d) for d in devices), return_exceptions=True)
    seconds = time.perf_counter() - started
    client_cpu_ms = (time.process_time() - cpu_before) * 1000
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
                "contender": "asyncssh",
                "version": asyncssh.__version__,
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


asyncio.run(main())
