"""The inject feed: messages as they arrive, marked by channel, sender and exercise time."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_clock
from drillsim.tui.text import plain

CHANNELS = {
    "monitoring": ("ALERT", "$error"),
    "chat": ("CHAT", "$accent"),
    "email": ("EMAIL", "$primary"),
    "social": ("SOCIAL", "$secondary"),
    "status_page": ("STATUS", "$warning"),
    "phone": ("PHONE", "$success"),
}
NEW_FOR_SECONDS = 6.0


class FeedItem(Static):
    """One inject or facilitator notice."""

    DEFAULT_CSS = """
    FeedItem {
        padding: 0 1;
        margin-bottom: 1;
        border-left: outer $panel-lighten-2;
    }
    FeedItem.-new { background: $boost; border-left: outer $accent; }
    FeedItem.-notice { color: $text-muted; border-left: none; margin-bottom: 0; }
    """


class InjectFeed(VerticalScroll):
    """Newest at the bottom; new items are highlighted for a few seconds, focus never moves."""

    DEFAULT_CSS = """
    InjectFeed {
        border: round $panel-lighten-2;
        border-title-color: $text;
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    can_focus = True

    def on_mount(self) -> None:
        self.border_title = "Feed"

    def add_inject(self, t: float, channel: str, sender: str, subject: str, text: str) -> FeedItem:
        tag, colour = CHANNELS.get(channel, (channel.upper(), "$foreground"))
        head = Content.assemble(
            (format_clock(t), "dim"),
            " ",
            (f" {tag} ", f"bold reverse {colour}"),
            " ",
            plain(sender, "bold"),
        )
        lines = [head]
        if subject:
            lines.append(plain(subject, "italic"))
        lines.append(plain(text))
        return self._add(FeedItem(Content("\n").join(lines)), new=True)

    def add_notice(self, t: float, text: str) -> FeedItem:
        content = Content.assemble((format_clock(t), "dim"), " ", ("▸ ", "bold"), plain(text))
        return self._add(FeedItem(content, classes="-notice"), new=False)

    def _add(self, item: FeedItem, *, new: bool) -> FeedItem:
        follow = self.is_vertical_scroll_end or self.max_scroll_y == 0
        self.mount(item)
        if new:
            item.add_class("-new")
            item.set_timer(NEW_FOR_SECONDS, lambda: item.remove_class("-new"))
        if follow:
            self.call_after_refresh(self.scroll_end, animate=False)
        return item

    @property
    def items(self) -> list[FeedItem]:
        return list(self.query(FeedItem))
