"""Debian's Firefox ESR, headless on a fresh profile, driven through WebDriver BiDi, the W3C
protocol Firefox speaks natively (no geckodriver): `firefox()` starts it and yields a `Bidi`
session on its websocket, and always kills it and removes the profile at the end."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

FIREFOX = shutil.which("firefox-esr") or "/usr/bin/firefox-esr"
STARTUP_TIMEOUT = 60  # seconds until Firefox says where it listens
COMMAND_TIMEOUT = 30  # seconds a command may take
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")

PREFS: dict[str, object] = {
    # what a fresh profile would otherwise do on its own: updates, telemetry, first-run pages
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False,
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "browser.discovery.enabled": False,
    "remote.active-protocols": 1,  # WebDriver BiDi only
}


class BidiError(AssertionError):
    """A command Firefox answered with an error, or a script that threw."""


class Bidi:
    """One WebDriver BiDi session: commands wait for their answer; events seen meanwhile are kept."""

    def __init__(self, websocket: Any) -> None:
        self.websocket = websocket
        self.events: list[dict[str, Any]] = []
        self.last_id = 0

    def command(self, method: str, params: dict[str, Any], timeout: float = COMMAND_TIMEOUT) -> dict[str, Any]:
        self.last_id += 1
        self.websocket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"Firefox did not answer {method} within {timeout} s")
            message = json.loads(self.websocket.recv(timeout=left))
            if message.get("id") == self.last_id:
                if message.get("type") == "error":
                    raise BidiError(f"{method}: {message['error']}: {message.get('message')}")
                return message["result"]
            if message.get("type") == "event":
                self.events.append(message)

    def event(self, matches: Callable[[dict[str, Any]], bool], timeout: float = COMMAND_TIMEOUT) -> dict[str, Any]:
        """The first event (``params``), seen already or to come, that ``matches``."""
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for event in self.events[seen:]:
                if matches(event["params"]):
                    return event["params"]
            seen = len(self.events)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no such event within {timeout} s; saw {self.events}")
            message = json.loads(self.websocket.recv(timeout=left))
            if message.get("type") == "event":
                self.events.append(message)

    def call(self, context: str, function: str, *args: Any, timeout: float = COMMAND_TIMEOUT) -> Any:
        """``function`` (JavaScript source) called in ``context``'s page with JSON ``args``, its
        promise awaited; the result as plain JSON-like Python values."""
        result = self.command(
            "script.callFunction",
            {
                "functionDeclaration": function,
                "arguments": [serialize(a) for a in args],
                "target": {"context": context},
                "awaitPromise": True,
            },
            timeout,
        )
        if result["type"] == "exception":
            raise BidiError(f"script threw: {result['exceptionDetails']['text']}")
        return deserialize(result["result"])

    def element(self, context: str, selector: str) -> dict[str, str]:
        """A reference to the first element ``selector`` finds (in the document or the card's shadow root)."""
        found = self.command(
            "browsingContext.locateNodes",
            {"context": context, "locator": {"type": "css", "value": selector}, "maxNodeCount": 1},
        )["nodes"]
        if not found:
            raise BidiError(f"no element matches {selector}")
        return {"sharedId": found[0]["sharedId"]}

    def actions(self, context: str, *actions: dict[str, Any]) -> None:
        self.command("input.performActions", {"context": context, "actions": list(actions)})

    def hover(self, context: str, selector: str) -> None:
        origin = {"type": "element", "element": self.element(context, selector)}
        move = {"type": "pointerMove", "x": 0, "y": 0, "origin": origin}
        self.actions(context, {"type": "pointer", "id": "mouse", "actions": [move]})

    def click(self, context: str, selector: str) -> None:
        """A real click (trusted events, user activation) in the middle of the element."""
        origin = {"type": "element", "element": self.element(context, selector)}
        steps = [
            {"type": "pointerMove", "x": 0, "y": 0, "origin": origin},
            {"type": "pointerDown", "button": 0},
            {"type": "pointerUp", "button": 0},
        ]
        self.actions(context, {"type": "pointer", "id": "mouse", "actions": steps})

    def type(self, context: str, selector: str, text: str) -> None:
        """Clicks into a field, selects what it holds and types ``text`` over it."""
        self.click(context, selector)
        self.call(context, "s => document.querySelector(s).select()", selector)
        keys = [step for ch in text for step in ({"type": "keyDown", "value": ch}, {"type": "keyUp", "value": ch})]
        self.actions(context, {"type": "key", "id": "keyboard", "actions": keys})

    def press(self, context: str, key: str) -> None:
        steps = [{"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]
        self.actions(context, {"type": "key", "id": "keyboard", "actions": steps})

    def wait(self, context: str, predicate: str, *args: Any, timeout: float = 15) -> Any:
        """Waits in the page until ``predicate(...args)`` is truthy, and returns its value; fails
        saying which condition was not met."""
        poll = f"""(args, ms) => new Promise((resolve, reject) => {{
            const predicate = {predicate}, end = performance.now() + ms;
            const check = () => Promise.resolve().then(() => predicate(...args)).catch(() => null).then(value => {{
                if (value) resolve(value);
                else if (performance.now() > end) reject(new Error("timed out waiting for " + predicate));
                else setTimeout(check, 25);
            }});
            check();
        }})"""
        return self.call(context, poll, list(args), timeout * 1000, timeout=timeout + 10)

    def tab(self, url: str) -> str:
        """A new tab, loaded with ``url``; its context id."""
        context = self.command("browsingContext.create", {"type": "tab"})["context"]
        self.navigate(context, url)
        return context

    def navigate(self, context: str, url: str) -> None:
        self.command("browsingContext.navigate", {"context": context, "url": url, "wait": "complete"})


def serialize(value: Any) -> dict[str, Any]:
    """A Python value as a BiDi local value."""
    if value is None:
        return {"type": "null"}
    if isinstance(value, bool):
        return {"type": "boolean", "value": value}
    if isinstance(value, int | float):
        return {"type": "number", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, list):
        return {"type": "array", "value": [serialize(v) for v in value]}
    raise TypeError(f"cannot pass {value!r} to a script")


def deserialize(remote: dict[str, Any]) -> Any:
    """A BiDi remote value as Python: primitives, arrays and plain objects."""
    kind = remote["type"]
    if kind in ("undefined", "null"):
        return None
    if kind == "number" and isinstance(remote["value"], str):
        return float(remote["value"].replace("Infinity", "inf"))  # NaN, -0, Infinity
    if kind in ("string", "number", "boolean"):
        return remote["value"]
    if kind == "array":
        return [deserialize(v) for v in remote["value"]]
    if kind == "object":
        return {k: deserialize(v) for k, v in remote["value"]}
    return remote  # a node, a window: its reference


@contextmanager
def firefox(user_prefs: dict[str, object]) -> Iterator[Bidi]:
    """Headless Firefox ESR on a new profile with ``PREFS`` and ``user_prefs`` in its user.js."""
    profile = Path(tempfile.mkdtemp(prefix="glossary-firefox-"))
    try:
        lines = [f"user_pref({json.dumps(k)}, {json.dumps(v)});" for k, v in {**PREFS, **user_prefs}.items()]
        (profile / "user.js").write_text("\n".join(lines) + "\n")
        with _started(profile) as process:
            address = _listening(process)
            with connect(address + "/session", max_size=None, open_timeout=STARTUP_TIMEOUT) as websocket:
                bidi = Bidi(websocket)
                bidi.command("session.new", {"capabilities": {}})
                yield bidi
    finally:
        shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def _started(profile: Path) -> Iterator[subprocess.Popen[str]]:
    """Firefox on ``profile``, in a process group of its own, killed with its children at the end."""
    process = subprocess.Popen(
        # system access: WebDriver BiDi navigates to moz-extension:// pages (the options page) only with it
        [FIREFOX, "--headless", "--no-remote", "--profile", str(profile)]
        + ["--remote-debugging-port", "0", "--remote-allow-system-access"],
        env={**os.environ, "MOZ_HEADLESS": "1"},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        with suppress(ProcessLookupError):  # already gone, children too
            os.killpg(process.pid, signal.SIGKILL)  # Firefox and its content processes: nothing is kept
        process.wait(30)
        if process.stderr:
            process.stderr.close()


def _listening(process: subprocess.Popen[str]) -> str:
    """The websocket address Firefox prints on stderr once WebDriver BiDi listens."""
    found: list[str] = []
    said: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:  # read to the end, or a full pipe would stall Firefox
            said.append(line)
            match = LISTENING.search(line)
            if match and not found:
                found.append(match.group(1))
                ready.set()
        ready.set()  # Firefox exited

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(STARTUP_TIMEOUT):
        raise TimeoutError(f"Firefox did not start WebDriver BiDi within {STARTUP_TIMEOUT} s: {''.join(said)[-2000:]}")
    if not found:
        raise RuntimeError(f"Firefox exited ({process.wait(10)}) before listening: {''.join(said)[-2000:]}")
    return found[0]
