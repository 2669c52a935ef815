"""A real desk for the web tests: the examples and a hostile post ingested by the CLI, accounts, and `vigil serve`
running on a free port of 127.0.0.1 in its own process."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VIGIL = str(Path(sys.executable).parent / "vigil")
AS_OF = "2026-03-06T14:00:00Z"  # the examples' crisis is in the past: judge silences a few hours after its end
PASSWORD = "a long test password"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> يلزمنا ماء hostilemarker'
QUOTED = HOSTILE.replace('"', '""')
HOSTILE_CSV = (
    "id,created_at,author,author_name,lang,text\n"
    f'evil-1,2026-03-05 10:00,evil_one,"<b onmouseover=alert(3)>Evil</b>",en,"{QUOTED}"\n'
)
USERS = {"editor1": "editor", "viewer1": "viewer", "admin1": "admin", "locked1": "editor"}


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def vigil(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run the real `vigil` command."""
    return subprocess.run([VIGIL, *args], input=stdin, capture_output=True, text=True, timeout=300, check=False)


@dataclass
class Desk:
    """A running desk: its address, workspace and process."""

    url: str
    ws: Path
    proc: subprocess.Popen[str]

    def client(self, user: str | None = None) -> httpx.Client:
        """An HTTP client, signed in as user (through the login form) when given."""
        c = httpx.Client(base_url=self.url, follow_redirects=False, timeout=30)
        if user:
            login(c, user, PASSWORD)
        return c


def csrf_of(html: str) -> str:
    """The first form's CSRF token in a page."""
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def login(c: httpx.Client, name: str, password: str) -> httpx.Response:
    """Sign in through the form."""
    token = csrf_of(c.get("/login").text)
    return c.post("/login", data={"csrf": token, "name": name, "password": password, "next": "/"})


def wait_until(url: str, path: str, proc: subprocess.Popen[str], timeout: float = 90) -> None:
    """Until the server answers (or fail with its output)."""
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise AssertionError(f"vigil serve exited: {proc.stderr.read() if proc.stderr else ''}")
        try:
            if httpx.get(url + path, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("vigil serve did not answer")


def make_workspace(root: Path) -> Path:
    """The examples and a hostile post, ingested by `vigil ingest`; the desk's accounts by `vigil user add`."""
    ws = root / "ws"
    hostile = root / "hostile.csv"
    hostile.write_text(HOSTILE_CSV, encoding="utf-8")
    sources = sorted(str(p) for p in EXAMPLES.iterdir() if p.is_dir())
    done = vigil("ingest", *sources, str(hostile), "--workspace", str(ws))
    assert done.returncode == 0, done.stderr
    for name, role in USERS.items():
        r = vigil(
            "user", "add", name, "--role", role, "--password-stdin", "--workspace", str(ws), stdin=PASSWORD + "\n"
        )
        assert r.returncode == 0, r.stderr
    return ws


def start(ws: Path) -> Desk:
    """`vigil serve` on a free port, waiting until the board is computed."""
    port = free_port()
    proc = subprocess.Popen(
        [VIGIL, "serve", "--workspace", str(ws), "--port", str(port), "--as-of", AS_OF],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until(url, "/login", proc)
    desk = Desk(url, ws, proc)
    c = desk.client("admin1")
    end = time.time() + 60
    while "being computed" in c.get("/").text and time.time() < end:
        time.sleep(0.2)
    c.close()
    return desk


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    """A running desk over its own workspace (one per test module)."""
    d = start(make_workspace(tmp_path_factory.mktemp("desk")))
    yield d
    d.proc.terminate()
    try:
        d.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        d.proc.kill()
