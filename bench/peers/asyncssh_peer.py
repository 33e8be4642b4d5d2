"""asyncssh peer of the confsnap throughput benchmark.

Reads the device list as JSON on stdin ({"devices": [{"host", "port", ...}], "username",
"password"}, or a bare list, admin/admin by default), collects `/export` from every device over an
exec channel with password auth at the concurrency given as the first argument (an asyncio
semaphore), reading the whole output, and prints {"done", "failed", "seconds", "client_cpu_ms",
"bytes", "errors"} (client_cpu_ms: CPU time of this process over the run).
This is the client that scrapli-style asyncio tools are built on.
"""

import asyncio

import asyncssh
from peer_common import Timed, check_size, load_job, report


async def main():
    devices, username, password, concurrency = load_job()
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
                return check_size(device, result.stdout or b"")

    with Timed() as timed:
        results = await asyncio.gather(*(collect(d) for d in devices), return_exceptions=True)
    report("asyncssh", asyncssh.__version__, concurrency, devices, results, timed)


asyncio.run(main())
