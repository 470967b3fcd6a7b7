"""The Slack bot, through Slack's real protocol: signed HTTP requests in, Web API calls out.

Each test talks in its own channel, so what it asserts was posted there belongs to it alone.
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from typing import Any

from fake_slack_api import BOT_TOKEN, SIGNING_SECRET, Call, FakeSlack
from slack_process import Bot
from slack_requests import SlackSender, message_event

ACK_SECONDS = 3.0
QUIET_SECONDS = 1.5


def in_thread(channel: str, thread_ts: str | None = None) -> Callable[[Call], bool]:
    def where(call: Call) -> bool:
        place = call.params.get("channel") or call.params.get("channel_id")
        return place == channel and (thread_ts is None or call.params.get("thread_ts") == thread_ts)

    return where


def all_text(call: Call) -> str:
    """Every piece of text in a posted message, blocks included."""
    found: list[str] = [str(call.params.get("text", ""))]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(call.params.get("blocks", []))
    return "\n".join(found)


def buttons(call: Call) -> dict[str, str]:
    """The buttons under a posted answer: action id -> value."""
    for block in call.params.get("blocks", []):
        if block["type"] == "actions":
            return {e["action_id"]: e["value"] for e in block["elements"]}
    return {}


def restatement(call: Call) -> str:
    """The first block of an answer: how the question was read."""
    return str(call.params["blocks"][0]["text"]["text"])


def answers(slack_api: FakeSlack, channel: str, thread_ts: str, count: int = 1) -> list[Call]:
    """The first `count` answers (messages with buttons) posted in the thread."""
    where = in_thread(channel, thread_ts)
    return slack_api.wait_for(
        "chat.postMessage", count, where=lambda c: where(c) and bool(buttons(c))
    )


def posted_in(slack_api: FakeSlack, channel: str) -> list[Call]:
    return [c for c in slack_api.calls if in_thread(channel)(c)]


def test_a_mention_is_acknowledged_at_once_and_answered_in_its_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    started = time.monotonic()
    response = slack.mention("Which algorithm has the best CTR?", channel="CMENTION", ts="100.1")
    assert response.status_code == 200
    assert time.monotonic() - started < ACK_SECONDS

    answer = answers(slack_api, "CMENTION", "100.1")[0]
    assert answer.authorized
    assert "CTR" in all_text(answer) and "algorithm" in all_text(answer)
    assert set(buttons(answer)) == {"show_sql", "by_week", "download_csv"}
    reaction = slack_api.wait_for("reactions.add", where=in_thread("CMENTION"))[0]
    assert reaction.params["timestamp"] == "100.1"


def test_the_chart_is_uploaded_as_a_png_in_the_answer_s_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("weekly revenue trend by algorithm", channel="CCHART", ts="150.1")
    answers(slack_api, "CCHART", "150.1")
    png = slack_api.wait_for_files("CCHART", "150.1", ".png")[0]
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000
    names = [name for name, _ in slack_api.files_in("CCHART", "150.1")]
    assert "recsight-revenue-by-algorithm-and-week-all-dates.png" in names


def test_a_slash_command_is_acknowledged_then_answered_under_a_message_naming_the_asker(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    started = time.monotonic()
    response = slack.command(
        "revenue by category in October",
        channel="CCOMMAND",
        response_url=f"{slack_api.root}/respond/1",
    )
    assert response.status_code == 200
    assert time.monotonic() - started < ACK_SECONDS
    assert "Looking into" in response.text

    header = slack_api.wait_for("chat.postMessage", where=in_thread("CCOMMAND"))[0]
    assert "thread_ts" not in header.params
    assert "<@UASKER01> asked: revenue by category in October" in all_text(header)
    answer = answers(slack_api, "CCOMMAND", header.reply["ts"])[0]
    assert "Revenue by category" in all_text(answer)


def test_a_slash_command_where_the_bot_cannot_post_tells_the_asker_privately(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack_api.refuse("chat.postMessage", "not_in_channel")
    slack.command(
        "clicks by device", channel="CPRIVATE", response_url=f"{slack_api.root}/respond/2"
    )

    told = slack_api.wait_for("response_url")[0]
    assert "I can't post in this channel (chat.postMessage: not_in_channel)" in told.params["text"]
    assert "/invite @recsight" in told.params["text"]
    posted = [c.reply for c in slack_api.of("chat.postMessage") if in_thread("CPRIVATE")(c)]
    assert posted == [{"ok": False, "error": "not_in_channel"}]


def test_a_reply_in_the_thread_builds_on_the_thread_s_last_answer(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("CTR by algorithm", channel="CFOLLOW", ts="200.1")
    first = answers(slack_api, "CFOLLOW", "200.1")[0]
    assert "week" not in restatement(first).lower()

    slack.reply("now by week", channel="CFOLLOW", ts="200.2", thread_ts="200.1")
    second = answers(slack_api, "CFOLLOW", "200.1", count=2)[1]
    read_as = restatement(second)
    assert "CTR" in read_as and "week" in read_as and "algorithm" in read_as


def test_a_reply_in_a_thread_the_bot_never_answered_is_left_alone(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.reply("CTR by algorithm", channel="CSTRANGER", ts="210.2", thread_ts="210.1")
    time.sleep(QUIET_SECONDS)
    assert posted_in(slack_api, "CSTRANGER") == []


def test_a_direct_message_is_a_question_answered_in_its_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.event(message_event("ctr by region", "DDIRECT", "220.1", channel_type="im"))
    assert "CTR by region" in restatement(answers(slack_api, "DDIRECT", "220.1")[0])


def test_show_sql_posts_the_answer_s_sql_in_its_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("clicks by device", channel="CSQL", ts="300.1")
    answer = answers(slack_api, "CSQL", "300.1")[0]

    clicked = slack.click(
        "show_sql",
        buttons(answer)["show_sql"],
        channel="CSQL",
        message_ts=answer.reply["ts"],
        thread_ts="300.1",
    )
    assert clicked.status_code == 200
    sql = slack_api.wait_for(
        "chat.postMessage",
        where=lambda c: in_thread("CSQL", "300.1")(c) and "SELECT" in all_text(c),
    )[0]
    assert "GROUP BY" in all_text(sql).upper()


def test_by_week_regroups_the_answer_by_week_in_the_same_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("conversion rate by placement", channel="CWEEK", ts="400.1")
    answer = answers(slack_api, "CWEEK", "400.1")[0]

    slack.click(
        "by_week",
        buttons(answer)["by_week"],
        channel="CWEEK",
        message_ts=answer.reply["ts"],
        thread_ts="400.1",
    )
    weekly = answers(slack_api, "CWEEK", "400.1", count=2)[1]
    read_as = restatement(weekly).lower()
    assert "week" in read_as and "placement" in read_as
    assert "by_week" not in buttons(weekly)


def test_download_csv_uploads_the_whole_table_into_the_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("impressions by device", channel="CCSV", ts="500.1")
    answer = answers(slack_api, "CCSV", "500.1")[0]

    slack.click(
        "download_csv",
        buttons(answer)["download_csv"],
        channel="CCSV",
        message_ts=answer.reply["ts"],
        thread_ts="500.1",
    )
    table = list(
        csv.reader(io.StringIO(slack_api.wait_for_files("CCSV", "500.1", ".csv")[0].decode()))
    )
    assert table[0] == ["device", "impressions"]
    assert {row[0] for row in table[1:]} == {"Mobile", "Desktop", "Tablet"}
    assert all(int(row[1]) > 0 for row in table[1:])


def test_a_file_slack_refuses_is_explained_in_the_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("clicks by placement", channel="CNOFILE", ts="550.1")
    answer = answers(slack_api, "CNOFILE", "550.1")[0]
    slack_api.wait_for_files("CNOFILE", "550.1", ".png")  # the refusal below is for the CSV

    slack_api.refuse("files.getUploadURLExternal", "missing_scope")
    slack.click(
        "download_csv",
        buttons(answer)["download_csv"],
        channel="CNOFILE",
        message_ts=answer.reply["ts"],
        thread_ts="550.1",
    )
    note = slack_api.wait_for(
        "chat.postMessage",
        where=lambda c: in_thread("CNOFILE", "550.1")(c) and "attach" in c.params["text"],
    )[0]
    assert "I could not attach the CSV (files.uploadV2: missing_scope)" in note.params["text"]


def test_a_button_under_a_forgotten_answer_tells_only_the_clicker(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.click(
        "show_sql", "0123456789ab", channel="CFORGOT", message_ts="600.2", thread_ts="600.1"
    )
    note = slack_api.wait_for("chat.postEphemeral", where=in_thread("CFORGOT"))[0]
    assert note.params["user"] == "UCLICK01"
    assert "no longer remember" in note.params["text"]
    assert [c for c in slack_api.of("chat.postMessage") if in_thread("CFORGOT")(c)] == []


def test_a_narrow_table_is_a_grid_of_fields(slack: SlackSender, slack_api: FakeSlack) -> None:
    slack.mention("CTR by algorithm", channel="CNARROW", ts="650.1")
    answer = answers(slack_api, "CNARROW", "650.1")[0]
    fields = [b for b in answer.params["blocks"] if b["type"] == "section" and "fields" in b]
    labels = {f["text"].split("\n")[0] for f in fields[0]["fields"]}
    assert labels == {"*Collaborative Filtering*", "*Content-Based*", "*Neural Network*"}
    assert all(f["text"].endswith("%") for f in fields[0]["fields"])


def test_a_long_table_shows_its_first_rows_and_attaches_all_of_them_as_csv(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("clicks by day", channel="CLONG", ts="660.1")
    answer = answers(slack_api, "CLONG", "660.1")[0]
    table = [b for b in answer.params["blocks"] if b["type"] == "rich_text"]
    shown = table[0]["elements"][0]["elements"][0]["text"].splitlines()
    assert shown[0].split() == ["date", "clicks"] and len(shown) == 2 + 25
    assert "Showing the first 25 of 91 rows. The table is attached as CSV." in all_text(answer)
    attached = slack_api.wait_for_files("CLONG", "660.1", ".csv")[0].decode().splitlines()
    assert attached[0] == "date,clicks" and len(attached) == 1 + 91


def test_a_table_wider_than_a_phone_is_preformatted_and_attached_as_csv(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention(
        "impressions, clicks, ctr, conversions and revenue by algorithm and placement",
        channel="CWIDE",
        ts="670.1",
    )
    answer = answers(slack_api, "CWIDE", "670.1")[0]
    table = [b for b in answer.params["blocks"] if b["type"] == "rich_text"]
    lines = table[0]["elements"][0]["elements"][0]["text"].splitlines()
    assert len(lines) == 2 + 15 and max(len(line) for line in lines) > 72
    attached = slack_api.wait_for_files("CWIDE", "670.1", ".csv")[0].decode().splitlines()
    assert attached[0].split(",")[:2] == ["algorithm", "placement"] and len(attached) == 1 + 15


def test_a_forged_signature_is_rejected_and_nothing_is_posted(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    response = slack.mention(
        "CTR by algorithm", channel="CFORGED", ts="700.1", secret="not-the-signing-secret"
    )
    assert response.status_code == 401
    time.sleep(QUIET_SECONDS)
    assert posted_in(slack_api, "CFORGED") == []


def test_a_stale_timestamp_is_rejected_even_with_a_valid_signature(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    ten_minutes_ago = int(time.time()) - 600
    response = slack.mention(
        "CTR by algorithm", channel="CSTALE", ts="800.1", timestamp=ten_minutes_ago
    )
    assert response.status_code == 401
    time.sleep(QUIET_SECONDS)
    assert posted_in(slack_api, "CSTALE") == []


def test_a_question_that_must_be_refused_gets_a_short_message_in_the_thread(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("what's the weather in Paris tomorrow?", channel="CREFUSE", ts="900.1")
    note = slack_api.wait_for("chat.postMessage", where=in_thread("CREFUSE", "900.1"))[0]
    assert buttons(note) == {}
    assert 0 < len(note.params["text"]) <= 700
    assert "weather" in note.params["text"].lower()


def test_after_a_refusal_a_reworded_reply_in_the_thread_is_answered(
    slack: SlackSender, slack_api: FakeSlack
) -> None:
    slack.mention("profit by supplier", channel="CREWORD", ts="950.1")
    slack_api.wait_for("chat.postMessage", where=in_thread("CREWORD", "950.1"))

    slack.reply("revenue by brand then", channel="CREWORD", ts="950.2", thread_ts="950.1")
    assert "Revenue by brand" in restatement(answers(slack_api, "CREWORD", "950.1")[0])


def test_a_redelivered_event_is_answered_once(slack: SlackSender, slack_api: FakeSlack) -> None:
    for attempt in range(2):
        slack.mention(
            "CTR by device",
            channel="CRETRY",
            ts="1000.1",
            event_id="EvSAMEONE",
            headers={"X-Slack-Retry-Num": str(attempt)} if attempt else None,
        )
    answers(slack_api, "CRETRY", "1000.1")
    time.sleep(QUIET_SECONDS)
    assert len([c for c in posted_in(slack_api, "CRETRY") if buttons(c)]) == 1


def test_a_slack_server_error_is_retried_and_logged(
    slack: SlackSender, slack_api: FakeSlack, bot: Bot
) -> None:
    slack_api.fail("chat.postMessage", 500, times=1)
    slack.mention("revenue by algorithm", channel="C500", ts="1100.1")

    answer = answers(slack_api, "C500", "1100.1")[0]
    assert "Revenue by algorithm" in all_text(answer)
    refused = [c for c in slack_api.calls if c.method == "chat.postMessage" and c.status == 500]
    assert refused and in_thread("C500", "1100.1")(refused[0])
    assert "Slack call chat.postMessage failed (500); retry 1 of 3" in bot.log


def test_a_mention_with_no_question_gets_the_help(slack: SlackSender, slack_api: FakeSlack) -> None:
    slack.mention("", channel="CHELP", ts="1200.1")
    note = slack_api.wait_for("chat.postMessage", where=in_thread("CHELP", "1200.1"))[0]
    assert "plain English" in all_text(note)


def test_tokens_and_secrets_never_reach_the_log(bot: Bot) -> None:
    assert "Sending a request" in bot.log  # the Slack client's debug lines are there...
    assert BOT_TOKEN not in bot.log  # ...without the token they carried
    assert SIGNING_SECRET not in bot.log


def test_a_malformed_request_is_refused_and_the_bot_keeps_answering(
    slack: SlackSender, slack_api: FakeSlack, bot: Bot
) -> None:
    assert slack.post(b"{not json", "application/json").status_code == 400
    assert slack.post(b"\xff\xfe", "application/x-www-form-urlencoded").status_code == 400
    assert "Traceback" not in bot.log

    slack.mention("clicks by algorithm", channel="CAFTER", ts="1300.1")
    assert answers(slack_api, "CAFTER", "1300.1")


def test_a_message_slack_keeps_refusing_is_logged_and_replaced_by_a_short_note(
    slack: SlackSender, slack_api: FakeSlack, bot: Bot
) -> None:
    slack_api.fail("chat.postMessage", 500, times=4)  # the first try and all three retries
    slack.mention("revenue by device", channel="CDOWN", ts="1400.1")

    note = slack_api.wait_for("chat.postMessage", where=in_thread("CDOWN", "1400.1"))[0]
    assert "Slack would not take it (chat.postMessage: HTTP 500)" in note.params["text"]
    assert "Slack chat.postMessage failed: HTTP 500" in bot.log
