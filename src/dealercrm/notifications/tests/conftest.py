"""A fake group robot (a real HTTP server on 127.0.0.1) and a stand-in for the day's agenda."""

from __future__ import annotations

import json
import threading
import urllib.parse
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dealercrm.notifications import sending


@pytest.fixture(autouse=True)
def english(settings):
    """These tests read the messages in English (the digests are in the company's language,
    LANGUAGE_CODE, which is Chinese otherwise)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@dataclass
class Received:
    path: str
    query: dict[str, str]
    payload: dict


@dataclass
class FakeRobot:
    """Records every POST; answers a robot's requests from `answers[name]` ((status, body) in
    turn), then with errcode 0."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    answers: dict[str, list[tuple[int, dict]]] = field(default_factory=dict)

    def webhook(self, name: str) -> str:
        return f"{self.url}/{name}/send?access_token=tok-{name}-1234567890"

    def payloads(self, name: str) -> list[dict]:
        return [item.payload for item in self.received if item.path == f"/{name}/send"]


@pytest.fixture
def robot(settings):
    fake = FakeRobot()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length).decode())
            parts = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(parts.query))
            fake.received.append(Received(parts.path, query, body))
            waiting = fake.answers.get(parts.path.strip("/").split("/")[0]) or []
            status, answer = waiting.pop(0) if waiting else (200, {"errcode": 0})
            data = json.dumps(answer | {"errmsg": answer.get("errmsg", "ok")}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    settings.WEBHOOK_HOSTS = ["127.0.0.1"]
    yield fake
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class Item:
    """Shaped like care.agenda.AgendaItem."""

    kind: str
    key: str
    due: date
    customer_id: int | None
    customer_name: str
    abc_class: str
    owner_id: int | None
    text: str
    link: str = ""
    done: bool = False


@pytest.fixture
def agenda(monkeypatch):
    """The day's agenda the job reads: {day: [items]}, set by the test."""
    days: dict[date, list[Item]] = {}
    monkeypatch.setattr(sending, "load_agenda", lambda company, day: list(days.get(day, [])))
    return days


def item_for(customer, owner, kind: str, day: date, text: str, **extra) -> Item:
    fields = {
        "kind": kind,
        "key": f"{kind}:customer:{customer.pk}:{day.isoformat()}",
        "due": day,
        "customer_id": customer.pk,
        "customer_name": customer.name,
        "abc_class": "A",
        "owner_id": owner.pk if owner else None,
        "text": text,
        "link": f"/customers/{customer.pk}/",
    }
    return Item(**(fields | extra))
