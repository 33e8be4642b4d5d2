"""Netmiko peer of the confsnap shell-mode benchmark (bench/shell.mjs).

Reads the device list as JSON on stdin ({"devices": [{"host", "port", ...}], "username",
"password"}), logs in to every device as Netmiko's `cisco_ios` driver does (an interactive shell,
prompt detection, `terminal width 511`, `terminal length 0`), runs `show running-config` with
`send_command`, disconnects, in a thread pool as large as the concurrency given as the first
argument, and prints {"done", "failed", "seconds", "client_cpu_ms", "bytes", "errors"}
(client_cpu_ms: CPU time of this process over the run, all threads).
This is how Netmiko-based backup scripts and tools collect a Cisco configuration.
"""

from concurrent.futures import ThreadPoolExecutor

import netmiko
from peer_common import Timed, check_size, load_job, report


def main():
    devices, username, password, concurrency = load_job()

    def collect(device):
        # Netmiko's default for host keys: not checked (ssh_strict=False), like TOFU's first run.
        connection = netmiko.ConnectHandler(
            device_type="cisco_ios",
            host=device["host"],
            port=device["port"],
            username=username,
            password=password,
            timeout=20,
            banner_timeout=20,
            auth_timeout=20,
            allow_agent=False,
            use_keys=False,
        )
        try:
            data = connection.send_command("show running-config")
            return check_size(device, data.encode())
        finally:
            connection.disconnect()

    def attempt(device):
        try:
            return collect(device)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none may stop the run
            return error

    with Timed() as timed:
        with ThreadPoolExecutor(max_workers=concurrency) as executor:
            results = list(executor.map(attempt, devices))
    report("netmiko", netmiko.__version__, concurrency, devices, results, timed)


main()
