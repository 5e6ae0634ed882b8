"""Group robots of WeCom (企业微信) and DingTalk (钉钉): their message formats, DingTalk's signed
URL, and one POST with the answer read the way both document it.

Both answer HTTP 200 with `{"errcode": 0, "errmsg": "ok"}`; anything else (another status, a
non-zero errcode, a body that is not JSON, a network error, no answer within TIMEOUT seconds) is
a failure, raised as RobotError with a short translated reason.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from dealercrm.notifications.choices import ChannelKind

TIMEOUT = 5.0
# WeCom: markdown.content at most 4096 bytes (UTF-8). DingTalk: at most 20,000 characters.
WECOM_LIMIT_BYTES = 4096
DINGTALK_LIMIT_CHARS = 20_000
ERROR_LIMIT = 300


class RobotError(Exception):
    """A robot did not take the message; str() says why (translated, short, no secret in it)."""


@dataclass(frozen=True)
class RobotAnswer:
    errcode: int
    errmsg: str


def allowed_hosts() -> list[str]:
    """Host names a webhook may point to (DEALERCRM_WEBHOOK_HOSTS; "*" allows any)."""
    return [host.lower() for host in getattr(settings, "WEBHOOK_HOSTS", [])]


def host_allowed(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    hosts = allowed_hosts()
    return "*" in hosts or parts.hostname.lower() in hosts


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's 加签: base64(HMAC-SHA256(secret, "<timestamp>\\n<secret>")), URL-encoded."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest).decode())


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """The webhook URL with `timestamp` and `sign` appended (DingTalk robots with a secret)."""
    if not secret:
        return url
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def payload(kind: str, title: str, text: str) -> dict:
    """The JSON body of one markdown message for a robot of that kind."""
    if kind == ChannelKind.WECOM:
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def fits(kind: str, text: str) -> bool:
    """Does the text fit in one message of that robot?"""
    if kind == ChannelKind.WECOM:
        return len(text.encode()) <= WECOM_LIMIT_BYTES
    return len(text) <= DINGTALK_LIMIT_CHARS


def clip(kind: str, text: str) -> str:
    """The text cut to fit one message (a single line longer than a message, rare)."""
    while not fits(kind, text):
        text = text[: max(len(text) - max(len(text) // 20, 1), 0)]
    return text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A webhook that redirects is refused: the address it names is the one the boss allowed."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


def post(kind: str, url: str, secret: str, title: str, text: str) -> RobotAnswer:
    """Send one markdown message; raises RobotError unless the robot answered errcode 0."""
    if not host_allowed(url):
        raise RobotError(
            _("The webhook's host is not allowed (DEALERCRM_WEBHOOK_HOSTS: %(hosts)s).")
            % {"hosts": ", ".join(allowed_hosts()) or "-"}
        )
    if kind == ChannelKind.DINGTALK:
        url = signed_url(url, secret)
    body = json.dumps(payload(kind, title, text), ensure_ascii=False).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with _opener().open(request, timeout=TIMEOUT) as response:
            status = response.status
            raw = response.read(64_000)
    except urllib.error.HTTPError as error:
        raise RobotError(
            _("The robot answered HTTP %(status)s.") % {"status": error.code}
        ) from None
    except TimeoutError:
        raise RobotError(
            _("The robot did not answer within %(seconds)s s.") % {"seconds": int(TIMEOUT)}
        ) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError):
            raise RobotError(
                _("The robot did not answer within %(seconds)s s.") % {"seconds": int(TIMEOUT)}
            ) from None
        raise RobotError(
            _("Could not reach the robot: %(reason)s") % {"reason": str(reason)[:200]}
        ) from None
    if status != 200:
        raise RobotError(_("The robot answered HTTP %(status)s.") % {"status": status})
    try:
        answer = json.loads(raw.decode("utf-8", errors="replace"))
        errcode = int(answer.get("errcode", -1))
        errmsg = str(answer.get("errmsg", ""))[:200]
    except (ValueError, AttributeError, TypeError):
        raise RobotError(_("The robot's answer is not the JSON it documents.")) from None
    if errcode != 0:
        raise RobotError(
            _("The robot refused the message: errcode %(code)s, %(message)s")
            % {"code": errcode, "message": errmsg}
        )
    return RobotAnswer(errcode=errcode, errmsg=errmsg)
