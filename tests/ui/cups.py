"""A real CUPS print queue for tests: a cups-pdf queue on the local scheduler, and what it says of a job.

Needs the scheduler running (Debian `cups-daemon`, started) and the `cups-pdf`, `cups-client` and
`cups-ipp-utils` (ipptool) packages; without them the tests that use `cups_pdf_queue` are skipped.
The tests print on their own queue, QUEUE, added when missing (the cups-pdf driver's PPD).
"""

from __future__ import annotations

import getpass
import re
import shutil
import subprocess
import time

QUEUE = "QuayMotCua-PDF"
_JOB_TEST = """{
    NAME "job attributes"
    OPERATION Get-Job-Attributes
    GROUP operation-attributes-tag
    ATTR charset attributes-charset utf-8
    ATTR naturalLanguage attributes-natural-language en
    ATTR uri job-uri $uri
    ATTR name requesting-user-name $user
    ATTR keyword requested-attributes job-id,job-name,job-state
    STATUS successful-ok
}
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(args), capture_output=True, text=True, timeout=30, check=False)


def cups_pdf_queue() -> tuple[str | None, str]:
    """(the name of a cups-pdf queue, '') or (None, why there is none)."""
    for tool in ("lpstat", "lpadmin", "lpinfo", "ipptool"):
        if shutil.which(tool) is None:
            return None, f"{tool} is not installed (cups-client, cups-ipp-utils)"
    if "is running" not in _run("lpstat", "-r").stdout:
        return None, "no CUPS scheduler is running (cupsd)"
    # The tests' own queue, never another cups-pdf queue: the Windows checks print on theirs while
    # the suite runs (.ci/run), and a job of theirs must not count as one of ours.
    for line in _run("lpstat", "-v").stdout.splitlines():
        if re.match(rf"device for {re.escape(QUEUE)}: cups-pdf:/", line):
            return QUEUE, ""
    models = [line.split()[0] for line in _run("lpinfo", "-m").stdout.splitlines() if "CUPS-PDF" in line]
    if not models:
        return None, "the cups-pdf driver is not installed (cups-pdf)"
    added = _run("lpadmin", "-p", QUEUE, "-E", "-v", "cups-pdf:/", "-m", models[0])
    if added.returncode != 0:
        return None, f"cannot add a cups-pdf queue: {added.stderr.strip()}"
    return QUEUE, ""


def job_ids(queue: str) -> set[int]:
    """Every job the queue has (pending and completed)."""
    lines = _run("lpstat", "-W", "all", "-o", queue).stdout.splitlines()
    return {int(m.group(1)) for line in lines if (m := re.match(rf"{re.escape(queue)}-(\d+)\s", line))}


def job_attributes(job: int, test_file: str) -> dict[str, str]:
    """job-name and job-state of a job, as the scheduler reports them over IPP to its owner."""
    out = _run("ipptool", "-tv", "-d", f"user={getpass.getuser()}", f"ipp://localhost/jobs/{job}", test_file)
    attributes = {}
    for line in out.stdout.splitlines():
        found = re.match(r"\s*(job-name|job-state) \([^)]*\) = (.*)$", line)
        if found:
            attributes[found.group(1)] = found.group(2).strip()
    return attributes


def wait_for_new_jobs(queue: str, before: set[int], test_file: str, timeout: float = 60.0) -> list[dict[str, str]]:
    """The jobs added to `queue` since `before`, once all of them are completed (or the time is up)."""
    deadline = time.monotonic() + timeout
    jobs: list[dict[str, str]] = []
    while time.monotonic() < deadline:
        new = sorted(job_ids(queue) - before)
        jobs = [job_attributes(job, test_file) for job in new]
        if jobs and all(job.get("job-state") == "completed" for job in jobs):
            break
        time.sleep(0.5)
    return jobs


def write_job_test(path: str) -> str:
    with open(path, "w", encoding="utf-8") as f:
        f.write(_JOB_TEST)
    return path
