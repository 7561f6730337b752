"""Title, meeting year and meeting date found in the text itself."""

from __future__ import annotations

from datetime import date

import regex

TITLE_WORDS = regex.compile(r"(讲话|发言|会议|大会|报告|方案|通知|意见|纪要|致辞|推进会|部署会)")
YEAR = regex.compile(r"(20[0-9]{2})(?:年|(?=[\p{Han}]))")
FULL_DATE = regex.compile(r"(20[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日")
MONTH_DAY = regex.compile(r"(?<![0-9年])([0-9]{1,2})月([0-9]{1,2})日(?:上午|下午|晚)?[,]?[^。]{0,30}(召开|举行|会议)")
HEAD_LINES = 15
PUBLISHED = regex.compile(r"(?:发布|發布|发表|發表|更新)(?:时间|時間|日期)?\s*[:：]\s*(20[0-9]{2})[-年/.]")
PUBLISHED_WINDOW = 3000
TAIL_LINES = 4
MEETING_WORDS = regex.compile(r"召开|举行|会议")
DATE_LINE = regex.compile(r"^\s*[(]?(20[0-9]{2})年([0-9]{1,2})月([0-9]{1,2})日[)]?\s*$", regex.MULTILINE)


def find_title(text: str) -> str:
    lines = [ln.strip() for ln in text.split("\n")[:HEAD_LINES] if ln.strip()]
    for line in lines:
        if len(line) <= 60 and TITLE_WORDS.search(line) and not line.startswith(("目录", "提纲", "【")) \
                and line[-1] not in "。,;:":
            return line
    return lines[0][:60] if lines else ""


def find_meeting_year(title: str, text: str) -> int | None:
    for source in (title, text[:600]):
        m = YEAR.search(source)
        if m:
            return int(m.group(1))
    return None


def find_published_year(raw: str) -> int | None:
    """The year a scraped page was published ("發布時間:2023-06-02"), read from the page as it came: the
    cleaner drops that line as site furniture. Speeches are published within days of being given."""
    m = PUBLISHED.search(raw[:PUBLISHED_WINDOW])
    return int(m.group(1)) if m else None


def find_meeting_date(text: str, year: int | None) -> date | None:
    """The date the speech was given or the notice issued: a date with 召开/会议 after it, a date on a
    line of its own under the title ("(2025年2月18日)"), a month and day before 召开, or the date
    under the signature at the end of a notice."""
    head = text[:1500]
    m = FULL_DATE.search(head)
    if m and MEETING_WORDS.search(head[m.end(): m.end() + 40]):
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = DATE_LINE.search("\n".join(head.split("\n")[:HEAD_LINES]))
    if m:
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = MONTH_DAY.search(head)
    if m and year:
        return _date(year, int(m.group(1)), int(m.group(2)))
    m = DATE_LINE.search("\n".join(text.rstrip().split("\n")[-TAIL_LINES:]))
    if m:
        return _date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def _date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None
