"""The inject feed: messages as they arrive, marked by channel, sender and exercise time."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from drillsim.durations import format_minute
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
    following = True
    """Keep the newest message in view; off while the reader has scrolled back."""

    def on_mount(self) -> None:
        self.border_title = "Feed"

    def follow(self) -> None:
        """Bring the newest message into view (after a dialog closes, on resize...)."""
        if self.following:
            self.call_after_refresh(self.scroll_end, animate=False, immediate=True)

    def on_resize(self) -> None:
        self.follow()

    def _user_scrolled(self) -> None:
        # Scrolling back stops following; reaching the bottom again resumes it.
        self.call_after_refresh(self._check_bottom)

    def _check_bottom(self) -> None:
        self.following = self.is_vertical_scroll_end or self.max_scroll_y == 0
        self.border_subtitle = "" if self.following else "scrolled back · End follows"

    def on_mouse_scroll_up(self) -> None:
        self.following = False
        self._user_scrolled()

    def on_mouse_scroll_down(self) -> None:
        self._user_scrolled()

    def action_scroll_up(self) -> None:
        super().action_scroll_up()
        self._user_scrolled()

    def action_page_up(self) -> None:
        super().action_page_up()
        self._user_scrolled()

    def action_scroll_home(self) -> None:
        super().action_scroll_home()
        self._user_scrolled()

    def action_scroll_down(self) -> None:
        super().action_scroll_down()
        self._user_scrolled()

    def action_page_down(self) -> None:
        super().action_page_down()
        self._user_scrolled()

    def action_scroll_end(self) -> None:
        super().action_scroll_end()
        self.following = True
        self.border_subtitle = ""

    def add_inject(self, t: float, channel: str, sender: str, subject: str, text: str) -> FeedItem:
        tag, colour = CHANNELS.get(channel, (channel.upper(), "$foreground"))
        head = Content.assemble(
            (format_minute(t), "dim"),
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
        content = Content.assemble((format_minute(t), "dim"), " ", ("▸ ", "bold"), plain(text))
        return self._add(FeedItem(content, classes="-notice"), new=False)

    def _add(self, item: FeedItem, *, new: bool) -> FeedItem:
        self.mount(item)
        if new:
            item.add_class("-new")
            item.set_timer(NEW_FOR_SECONDS, lambda: item.remove_class("-new"))
        self.follow()
        return item

    @property
    def items(self) -> list[FeedItem]:
        return list(self.query(FeedItem))
