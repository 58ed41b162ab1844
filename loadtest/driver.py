"""Simulated staff on threads, each with its own session; bounded by a deadline and a request budget."""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from loadtest.deployment import PASSWORD, Staff
from loadtest.scenarios import Scenario, Write

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
REQUEST_TIMEOUT = 30


class Budget:
    """The run's request budget and deadline, shared by every simulated user."""

    def __init__(self, max_requests: int, seconds: float) -> None:
        self._left = max_requests
        self._lock = threading.Lock()
        self.deadline = time.monotonic() + seconds
        self.stopped = threading.Event()

    def take(self) -> bool:
        if self.stopped.is_set() or time.monotonic() >= self.deadline:
            return False
        with self._lock:
            if self._left <= 0:
                return False
            self._left -= 1
            return True


@dataclass
class Sample:
    name: str
    status: int  # 0: no response (connection refused or reset, timeout)
    seconds: float
    at: float = field(default_factory=time.monotonic)  # when the answer came


class Stats:
    """Every request's outcome and latency; thread-safe."""

    def __init__(self) -> None:
        self.samples: list[Sample] = []
        self.errors: Counter[str] = Counter()
        self._lock = threading.Lock()

    def add(self, sample: Sample, error: str | None = None) -> None:
        with self._lock:
            self.samples.append(sample)
            if error:
                self.errors[error] += 1

    def note(self, error: str) -> None:
        with self._lock:
            self.errors[error] += 1


class OutOfBudget(Exception):
    """The run's time or request budget is spent."""


class SimulatedUser:
    """One member of staff: logs in, then runs scenarios of their role until the budget is spent."""

    def __init__(self, base_url: str, staff: Staff, prefix: str, budget: Budget, stats: Stats) -> None:
        self.base_url = base_url
        self.staff = staff
        self.prefix = prefix
        self.budget = budget
        self.stats = stats
        self.http = requests.Session()
        self.csrf = ""
        self.last_page = ""
        self.logged_in = False
        self.writes: list[Write] = []
        self._seq = 0

    def next_token(self, scenario: str) -> str:
        self._seq += 1
        return f"{self.prefix}|{scenario}|{self.staff.username}|{self._seq}"

    def _send(self, method: str, path: str, name: str, **kwargs: Any) -> requests.Response | None:
        if not self.budget.take():
            raise OutOfBudget
        started = time.perf_counter()
        try:
            response = self.http.request(
                method, self.base_url + path, allow_redirects=False, timeout=REQUEST_TIMEOUT, **kwargs
            )
        except requests.RequestException as exc:
            self.stats.add(
                Sample(name, 0, time.perf_counter() - started), f"no response: {type(exc).__name__}"
            )
            return None
        elapsed = time.perf_counter() - started
        error = f"HTTP {response.status_code}" if response.status_code >= 500 else None
        self.stats.add(Sample(name, response.status_code, elapsed), error)
        if response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""):
            self.logged_in = False
        return response

    def get(self, path: str, name: str) -> requests.Response | None:
        response = self._send("GET", path, name)
        if response is not None and response.status_code == 200:
            self.last_page = response.text
            token = CSRF.search(response.text)
            self.csrf = token.group(1) if token else self.csrf
        return response

    def post(self, path: str, data: dict[str, object], name: str) -> bool:
        """Post a form; True when the server acknowledged it (a redirect away from the form and login)."""
        response = self._send("POST", path, name, data={**data, "csrf_token": self.csrf})
        if response is None or response.status_code != 302:
            if response is not None and response.status_code == 200:
                self.stats.note(f"{name}: form refused")
            return False
        location = response.headers.get("Location", "")
        return "/auth/login" not in location and not location.endswith(path)

    def login(self) -> None:
        page = self.get("/auth/login", "login form")
        if page is None or page.status_code != 200:
            return
        form = {"username": self.staff.username, "password": PASSWORD}
        response = self._send("POST", "/auth/login", "login", data={**form, "csrf_token": self.csrf})
        self.logged_in = response is not None and response.status_code == 302
        if not self.logged_in and response is not None and response.status_code < 500:
            self.stats.note("login refused")

    def run(self, scenarios: list[Scenario], think: float) -> None:
        weights = [s.weight for s in scenarios]
        try:
            while True:
                if not self.logged_in:
                    self.login()
                    if not self.logged_in:
                        time.sleep(0.2)  # the server is down or refusing: do not spin
                    continue
                scenario = random.choices(scenarios, weights)[0]
                write = scenario.run(self)
                if write is not None:
                    self.writes.append(write)
                if think:
                    time.sleep(random.uniform(0, 2 * think))
        except OutOfBudget:
            return


@dataclass
class LoadRun:
    """N simulated workers and M supervisors on threads, started in the background."""

    base_url: str
    staff: list[Staff]
    scenarios: list[Scenario]
    prefix: str
    seconds: float
    max_requests: int
    think: float = 0.0
    stats: Stats = field(default_factory=Stats)
    users: list[SimulatedUser] = field(default_factory=list)
    started_at: float = 0.0
    finished_at: float = 0.0
    _threads: list[threading.Thread] = field(default_factory=list)
    _budget: Budget | None = None

    def start(self) -> LoadRun:
        self._budget = Budget(self.max_requests, self.seconds)
        self.started_at = time.monotonic()
        for member in self.staff:
            if any(s.role == member.role for s in self.scenarios):
                self.users.append(SimulatedUser(self.base_url, member, self.prefix, self._budget, self.stats))
        return self._launch()

    def again(self, seconds: float) -> LoadRun:
        """Another bounded phase with the same users, still logged in (a fault test's next phase)."""
        self.seconds = seconds
        self._budget = Budget(self.max_requests, seconds)
        for user in self.users:
            user.budget = self._budget
        return self._launch()

    def _launch(self) -> LoadRun:
        self._threads = []
        for user in self.users:
            mine = [s for s in self.scenarios if s.role == user.staff.role]
            self._threads.append(threading.Thread(target=user.run, args=(mine, self.think), daemon=True))
        for thread in self._threads:
            thread.start()
        return self

    def finish(self) -> LoadRun:
        """Wait for every simulated user to stop (the deadline or budget ends each one)."""
        for thread in self._threads:
            thread.join(timeout=self.seconds + 2 * REQUEST_TIMEOUT)
        self.finished_at = time.monotonic()
        return self

    def stop(self) -> LoadRun:
        if self._budget is not None:
            self._budget.stopped.set()
        return self.finish()

    @property
    def writes(self) -> list[Write]:
        return [w for user in self.users for w in user.writes]
