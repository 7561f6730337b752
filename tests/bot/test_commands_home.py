"""/duban, the message shortcut, App Home, files upload v2 and one Socket Mode smoke test."""

from __future__ import annotations

import io
import threading
from datetime import date

from openpyxl import load_workbook
from slack_bolt.adapter.socket_mode import SocketModeHandler

from checklists.services import Actor
from extractors import extract
from tests.bot.harness import BOT_TOKEN, Harness
from tests.bot.test_checklist_actions import SPEECH, published


def test_help(bot: Harness) -> None:
    assert bot.command("UALICE", "C1", "help")[0] == 200
    msg = bot.fake.wait_for(lambda: bot.fake.of("chat.postEphemeral"))[0].params
    assert "/duban 新建" in msg["text"]


def test_new_opens_a_short_text_modal(bot: Harness) -> None:
    bot.command("UALICE", "C1", "新建")
    view = bot.fake.wait_for(lambda: bot.fake.of("views.open"))[0].params["view"]
    assert view["callback_id"] == "new" and view["private_metadata"] == "C1"
    text_input = next(b for b in view["blocks"] if b.get("block_id") == "text")["element"]
    assert text_input["max_length"] == 3000
    bot.submit("UALICE", "new", "C1", {"text": {"type": "plain_text_input",
                                                 "value": "各镇要在5月20日前完成摸底排查,区疾控中心要每周五开展院感巡查。"},
                                        "meeting_date": {"type": "datepicker", "selected_date": "2022-05-16"}})
    bot.fake.wait_for(lambda: [c for c in bot.fake.of("chat.postMessage") if "草稿" in c.params["text"]])


def test_my_tasks(bot: Harness) -> None:
    published(bot)
    bot.command("UTOWN1", "C1", "我的任务")
    msg = bot.fake.wait_for(lambda: bot.fake.of("chat.postEphemeral"))[0].params
    assert msg["text"] == "你有 1 项待办" and "摸底排查" in msg["blocks"][0]["text"]["text"]


def test_ledger_upload_v2(bot: Harness) -> None:
    published(bot)
    bot.command("UOWNER", "C1", "台账")
    done = bot.fake.wait_for(lambda: bot.fake.of("files.completeUploadExternal"))[0].params
    assert done["channel_id"] == "C1"
    file_id = done["files"][0]["id"]
    wb = load_workbook(io.BytesIO(bot.fake.uploads[file_id]))
    assert "工作台账" in str(wb.active["A1"].value)  # type: ignore[index]


def test_header_export_button(bot: Harness) -> None:
    cl = published(bot)
    bot.button("USUP", "C1", cl.header_ts, "export_ledger", cl.id)
    bot.fake.wait_for(lambda: bot.fake.of("files.completeUploadExternal"))
    assert bot.fake.of("files.getUploadURLExternal")[0].params["filename"].endswith(".xlsx")


def test_message_shortcut(bot: Harness) -> None:
    bot.interactive({"type": "message_action", "callback_id": "extract_checklist", "trigger_id": "1.2.3",
                     "user": {"id": "UALICE"}, "channel": {"id": "C9"}, "message_ts": "1652666400.000300",
                     "message": {"type": "message", "ts": "1652666400.000300", "user": "UBOSS",
                                 "text": "各镇要在5月20日前完成摸底排查,区疾控中心要每周五开展一次院感巡查,切实压实属地责任。"}})
    first = bot.fake.wait_for(lambda: bot.fake.of("chat.postMessage"))[0].params
    assert first["channel"] == "C9" and first["thread_ts"] == "1652666400.000300"
    bot.fake.wait_for(lambda: [c for c in bot.fake.of("chat.postMessage") if "草稿" in c.params["text"]])


def test_app_home(bot: Harness) -> None:
    published(bot)
    bot.container.service.create_from_extraction(extract(SPEECH, meeting_date=date(2022, 5, 16)), owner="UTOWN1")
    bot.event({"type": "app_home_opened", "user": "UTOWN1", "channel": "DUTOWN1", "tab": "home",
               "event_ts": "1652666400.000400"}, event_id="EvHOME")
    view = bot.fake.wait_for(lambda: bot.fake.of("views.publish"))[0].params["view"]
    texts = [b.get("text", {}).get("text", "") for b in view["blocks"]]
    assert texts[0] == "我的任务" and any("摸底排查" in t for t in texts) and "我督办的" in texts


def test_socket_mode_smoke(bot: Harness) -> None:
    bot.container.service.set_directory("各镇", ["UTOWN1"], Actor("UADMIN"))
    bot.fake.socket_events.append({"envelope_id": "env-1", "type": "events_api", "accepts_response_payload": False,
                                   "payload": {"type": "event_callback", "event_id": "EvSOCK", "team_id": "T1",
                                               "event": {"type": "app_home_opened", "user": "UTOWN1", "tab": "home"}}})
    app = bot.ctx.notifier.client
    from bot.app import build_app
    from bot.settings import Secrets

    socket_app, _ = build_app(bot.container, Secrets(bot_token=BOT_TOKEN), client=app)  # type: ignore[arg-type]
    handler = SocketModeHandler(socket_app, "xapp-1-A1-1-abc", web_client=app)
    threading.Thread(target=handler.connect, daemon=True).start()
    try:
        bot.fake.wait_for(lambda: bot.fake.socket_acks)
        assert bot.fake.socket_acks[0]["envelope_id"] == "env-1"
        bot.fake.wait_for(lambda: bot.fake.of("views.publish"))
        assert bot.fake.of("apps.connections.open")[0].token == "xapp-1-A1-1-abc"
    finally:
        handler.close()
