"""Socket Mode: the bot connects out with its app token, acknowledges envelopes on the socket,
and answers through the Web API in the thread, with no HTTP endpoint of its own."""

from __future__ import annotations

import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_slack_api import APP_TOKEN, FakeSlack
from slack_process import bot_command, bot_env
from slack_requests import command_form, event_callback, mention_event
from socket_fake import FakeSocketMode


@pytest.fixture(scope="module")
def socket_mode(
    warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[FakeSlack, FakeSocketMode]]:
    api, socket = FakeSlack().start(), FakeSocketMode().start()
    api.socket_url = socket.url
    env = bot_env(tmp_path_factory.mktemp("socket-home"), api.url, SLACK_APP_TOKEN=APP_TOKEN)
    del env["SLACK_SIGNING_SECRET"]
    process = subprocess.Popen(
        bot_command(warehouse, "--mode", "socket"),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    log: list[str] = []
    threading.Thread(target=lambda: log.extend(process.stderr or []), daemon=True).start()
    if not socket.connected.wait(timeout=120):
        process.kill()
        pytest.fail("the bot never opened the Socket Mode connection:\n" + "".join(log))
    yield api, socket
    process.terminate()
    process.wait(timeout=10)
    socket.stop()
    api.stop()


def envelope(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "envelope_id": str(uuid.uuid4()),
        "type": kind,
        "accepts_response_payload": kind != "events_api",
        "payload": payload,
    }


def test_the_bot_opens_its_socket_with_the_app_token(
    socket_mode: tuple[FakeSlack, FakeSocketMode],
) -> None:
    api, _ = socket_mode
    opened = api.of("apps.connections.open")
    assert opened and all(call.authorized for call in opened)


def test_a_mention_over_the_socket_is_acknowledged_then_answered_in_its_thread(
    socket_mode: tuple[FakeSlack, FakeSocketMode],
) -> None:
    api, socket = socket_mode
    sent = envelope("events_api", event_callback(mention_event("CTR by device", "CSOCK", "10.1")))
    socket.send(sent)

    assert socket.ack()["envelope_id"] == sent["envelope_id"]
    answer = api.wait_for(
        "chat.postMessage",
        where=lambda c: c.params.get("channel") == "CSOCK" and c.params.get("thread_ts") == "10.1",
    )[0]
    assert "CTR by device" in answer.params["text"]


def test_a_slash_command_over_the_socket_is_acknowledged_with_a_note(
    socket_mode: tuple[FakeSlack, FakeSocketMode],
) -> None:
    api, socket = socket_mode
    form = command_form("clicks by algorithm", "CSOCKCMD", "https://hooks.invalid/respond")
    sent = envelope("slash_commands", form)
    socket.send(sent)

    ack = socket.ack()
    assert ack["envelope_id"] == sent["envelope_id"]
    assert "Looking into" in ack["payload"]["text"]
    header = api.wait_for("chat.postMessage", where=lambda c: c.params.get("channel") == "CSOCKCMD")
    api.wait_for(
        "chat.postMessage",
        where=lambda c: c.params.get("thread_ts") == header[0].reply["ts"],
    )
