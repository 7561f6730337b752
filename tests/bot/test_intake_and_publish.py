"""Paste the seed speech, review the draft, publish it; the checklist appears within Slack's limits."""

from __future__ import annotations

from typing import Any

from tests.bot.harness import Harness
from tests.conftest import SPEECHES

SPEECH_004 = (SPEECHES / "004_62dedd515db27ac8.txt").read_text(encoding="utf-8")


def dm(user: str, text: str, ts: str = "1652666400.000100", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel": f"D{user}", "channel_type": "im", "user": user, "text": text, "ts": ts,
            "event_ts": ts, **extra}


def draft_id_of(bot: Harness) -> str:
    def find() -> str | None:
        for call in bot.fake.of("chat.update"):
            for block in call.params.get("blocks") or []:
                for el in block.get("elements", []):
                    if el.get("action_id") == "draft_show":
                        return str(el["value"])
        return None

    return str(bot.fake.wait_for(find))


def test_paste_in_dm_then_publish(bot: Harness) -> None:
    assert bot.event(dm("UALICE", SPEECH_004)) == 200
    draft = draft_id_of(bot)
    first = bot.fake.of("chat.postMessage")[0].params
    assert first["channel"] == "DUALICE" and first["text"].startswith("📄 已收到")
    summary = bot.fake.of("chat.update")[-1].params["text"]
    assert "✅ 解析完成" in summary and "项任务" in summary and "时限待明确" in summary
    draft_msg = bot.fake.wait_for(lambda: [c for c in bot.fake.of("chat.postMessage") if "草稿" in c.params["text"]])
    blocks = draft_msg[0].params["blocks"]
    assert any(b.get("block_id", "").startswith("draft_actions:") for b in blocks)
    # 发布 from a DM asks for the channel first
    status, _ = bot.button("UALICE", "DUALICE", "1.1", "draft_publish", draft)
    assert status == 200
    modal = bot.fake.wait_for(lambda: bot.fake.of("views.open"))[0].params["view"]
    assert modal["callback_id"] == "publish"
    assert bot.submit("UALICE", "publish", draft, {"channel": {"type": "conversations_select",
                                                                 "selected_conversation": "C100"}})[0] == 200
    posts = bot.fake.wait_for(lambda: [c for c in bot.fake.of("chat.postMessage") if c.params["channel"] == "C100"
                                       and c.params.get("thread_ts")] and
                              bot.fake.of("chat.postMessage")[-1].params["channel"] == "DUALICE" and
                              [c for c in bot.fake.of("chat.postMessage") if c.params["channel"] == "C100"])
    header = posts[0].params
    assert header["blocks"][0]["type"] == "header" and "督办清单" in header["blocks"][0]["text"]["text"]
    checklist = bot.container.service.get(header["metadata"]["event_payload"]["checklist_id"])
    assert all(i.message_ts for i in checklist.items) and checklist.owner == "UALICE"
    threaded = [p for p in posts if p.params.get("thread_ts") == checklist.header_ts]
    assert len(threaded) == len({i.message_ts for i in checklist.items})
    assert not [c for c in bot.fake.calls if not c.ok]  # not a single API error
    done = bot.fake.wait_for(lambda: [c for c in bot.fake.of("chat.postMessage") if "已发布到" in c.params["text"]])
    assert "<#C100>" in done[0].params["text"]


def test_mention_in_channel_publishes_there(bot: Harness) -> None:
    text = "<@UBOT> 各镇要在5月20日前完成摸底排查,区疾控中心要每周五开展一次巡查,发现病例X小时内要报告。"
    bot.event({"type": "app_mention", "channel": "C200", "user": "UBOB", "text": text, "ts": "1652666400.000200",
               "event_ts": "1652666400.000200"})
    draft = draft_id_of(bot)
    assert bot.fake.of("chat.postMessage")[0].params["thread_ts"] == "1652666400.000200"
    bot.button("UBOB", "DUBOB", "1.1", "draft_publish", draft)
    bot.fake.wait_for(lambda: len([c for c in bot.fake.of("chat.postMessage") if c.params["channel"] == "C200"]) >= 3)
    assert bot.fake.of("views.open") == []  # the channel is known: no modal


def test_retried_event_is_handled_once(bot: Harness) -> None:
    event = dm("UALICE", "各镇要在5月20日前完成摸底排查,区疾控中心要每周五开展一次院感巡查,切实压实属地责任。")
    assert bot.event(event, event_id="EvRETRY") == 200
    assert bot.event(event, event_id="EvRETRY", retry=1) == 200
    assert bot.event(event, event_id="EvRETRY", retry=2) == 200
    draft_id_of(bot)
    bot.fake.wait_for(lambda: [c for c in bot.fake.of("chat.postMessage") if "草稿" in c.params["text"]])
    starts = [c for c in bot.fake.of("chat.postMessage") if c.params["text"].startswith("📄 已收到")]
    assert len(starts) == 1


def test_bad_signature_is_rejected(bot: Harness) -> None:
    status, _ = bot._post(b'{"type":"event_callback","event":{}}', "application/json", signature="v0=deadbeef")
    assert status == 401
    assert bot.fake.calls == []


def test_short_dm_gets_help(bot: Harness) -> None:
    bot.event(dm("UALICE", "你好"))
    help_msg = bot.fake.wait_for(lambda: bot.fake.of("chat.postMessage"))[0].params
    assert "督办助手" in help_msg["text"]


def test_long_snippet_is_downloaded(bot: Harness) -> None:
    text = (SPEECH_004 * 2)[:20_000]
    meta = bot.fake.add_file("F20K", text.encode(), name="讲话", mode="snippet")
    bot.event(dm("UALICE", "", subtype="file_share", files=[meta]))
    draft_id_of(bot)
    assert "解析完成" in bot.fake.of("chat.update")[-1].params["text"]


def test_excel_task_table_upload_becomes_a_draft(bot: Harness) -> None:
    """A 分工方案 kept in Excel, uploaded in a DM: one item per row, units and deadline from the columns."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["重点任务", "牵头单位", "配合单位", "完成时限"])
    sheet.append(["开展重点人群筛查", "区卫健局", "区疾控中心", "2025年6月底前"])
    sheet.append(["建立督导机制", "区卫健局", "各镇人民政府", "每季度"])
    out = io.BytesIO()
    book.save(out)
    meta = bot.fake.add_file("FXLSX", out.getvalue(), name="分工方案.xlsx",
                             ctype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    bot.event(dm("UALICE", "", subtype="file_share", files=[meta]))
    _, extraction = bot.ctx.drafts.get(draft_id_of(bot))
    assert [i.quote for i in extraction.items] == ["开展重点人群筛查", "建立督导机制"]
    assert [(p.name, p.role) for p in extraction.items[0].responsible] == [("区卫健局", "lead"), ("区疾控中心", "assist")]
    assert extraction.items[1].deadline is not None and extraction.items[1].deadline.kind == "recurring"
    assert "解析完成" in bot.fake.of("chat.update")[-1].params["text"]


def test_binary_upload_is_refused_with_a_reason(bot: Harness) -> None:
    meta = bot.fake.add_file("FBIN", bytes(range(256)) * 40, name="scan.txt", ctype="application/octet-stream")
    bot.event(dm("UALICE", "", subtype="file_share", files=[meta]))
    update = bot.fake.wait_for(lambda: bot.fake.of("chat.update"))[0].params
    assert update["text"].startswith("⚠️ 无法解析") and "二进制" in update["text"]


def test_login_page_instead_of_file_is_detected(bot: Harness) -> None:
    meta = bot.fake.add_file("FGONE", b"x", name="speech.txt")
    meta["url_private_download"] = f"{bot.fake.url}/files/MISSING"
    bot.event(dm("UALICE", "", subtype="file_share", files=[meta]))
    update = bot.fake.wait_for(lambda: bot.fake.of("chat.update"))[0].params
    assert "登录页面" in update["text"]


def test_too_large_file_is_refused_before_download(bot: Harness) -> None:
    meta = bot.fake.add_file("FBIG", b"x", name="big.txt")
    meta["size"] = 50 * 1024 * 1024
    bot.event(dm("UALICE", "", subtype="file_share", files=[meta]))
    update = bot.fake.wait_for(lambda: bot.fake.of("chat.update"))[0].params
    assert "文件过大" in update["text"]


def test_english_text_is_refused(bot: Harness) -> None:
    meta = bot.fake.add_file("FEN", b"The committee must report within 24 hours. " * 50, name="minutes.txt")
    bot.event(dm("UALICE", "", subtype="file_share", files=[meta]))
    update = bot.fake.wait_for(lambda: bot.fake.of("chat.update"))[0].params
    assert "未检测到中文" in update["text"]


def test_speech_without_directives(bot: Harness) -> None:
    text = "近年来,我市在公共卫生体系建设方面取得了显著成效,成功应对了多起突发公共卫生事件,广大医务工作者作出了积极贡献。"
    bot.event(dm("UALICE", text))
    update = bot.fake.wait_for(lambda: bot.fake.of("chat.update"))[0].params
    assert "未识别到督办事项" in update["text"]


def test_event_whose_handler_died_is_taken_over(bot: Harness) -> None:
    from datetime import timedelta

    from checklists.drafts import finish_event, first_time

    store, now = bot.container.store, bot.clock.now
    assert first_time(store, "EvDIE", now)
    assert not first_time(store, "EvDIE", now + timedelta(seconds=30))  # still being handled
    assert first_time(store, "EvDIE", now + timedelta(minutes=3))  # the instance died: taken over
    finish_event(store, "EvDIE", now + timedelta(minutes=3))
    assert not first_time(store, "EvDIE", now + timedelta(minutes=10))  # finished: a duplicate for good


def test_handled_events_are_marked_finished(bot: Harness) -> None:
    from checklists.orm import ProcessedEventRow

    def done() -> bool:
        with bot.container.store.session() as s:
            row = s.get(ProcessedEventRow, "EvDONE")
            return row is not None and row.done_at is not None

    bot.event(dm("UALICE", "你好"), event_id="EvDONE")
    bot.fake.wait_for(done)
    assert bot.fake.of("chat.postMessage")
