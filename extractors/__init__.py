"""Pure text -> Extraction. No Slack, no database, no clock: the reference date is a parameter."""

from extractors.models import Deadline, Extraction, Item, Party
from extractors.pipeline import extract

__all__ = ["Deadline", "Extraction", "Item", "Party", "extract"]
