"""paramiko peer of the confsnap throughput benchmark.

Reads the device list as JSON on stdin ({"devices": [{"host", "port", ...}], "username",
"password"}, or a bare list, admin/admin by default), collects `/export` from every device over an
exec channel with password auth in a thread pool as large as the concurrency given as the first
argument, reading the whole output, and prints {"done", "failed", "seconds", "client_cpu_ms",
"bytes", "errors"} (client_cpu_ms: CPU time of this process over the run, all threads).
This is the client that Netmiko- and rosbackup-style tools are built on.
"""

from concurrent.futures import ThreadPoolExecutor

import paramiko
from peer_common import Timed, check_size, load_job, report


def main():
    devices, username, password, concurrency = load_job()

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
            return check_size(device, data)
        finally:
            client.close()

    def attempt(device):
        try:
            return collect(device)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none may stop the run
            return error

    with Timed() as timed:
        with ThreadPoolExecutor(max_workers=concurrency) as executor:
            results = list(executor.map(attempt, devices))
    report("paramiko", paramiko.__version__, concurrency, devices, results, timed)


main()
