"""A hand-written SVG chart of a year's monthly intake (bars, left axis) and on-time rate (line,
right axis). No plotting library: plain elements, every text escaped, valid XML."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from workflow.reports.stats import StatsReport

WIDTH, HEIGHT = 760, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 70, 60, 70  # margins
BAR = "#4e79a7"
LINE = "#e15759"


def _nice_max(value: int) -> int:
    """A round axis maximum at or above `value` (at least 5)."""
    for step in (5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    return ((value + 9999) // 10000) * 10000


def _text(x: float, y: float, content: str, **attrs: str) -> str:
    extra = "".join(f" {k.replace('_', '-')}={quoteattr(v)}" for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


def monthly_chart(stats: StatsReport) -> str:
    """The SVG document (UTF-8 text)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    base = TOP + plot_h
    top = _nice_max(max((m.intake for m in stats.months), default=0))
    slot = plot_w / 12
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Noto Sans CJK SC, Microsoft YaHei, sans-serif" font-size="12">',
        f"<title>{escape(f'{stats.year}年每月收件量与按时答复率')}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        _text(WIDTH / 2, 28, f"{stats.year}年每月收件量与按时答复率", text_anchor="middle", font_size="16"),
    ]
    for i in range(6):  # grid lines and both axes' ticks
        y = base - plot_h * i / 5
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#dddddd"/>')
        parts.append(_text(LEFT - 8, y + 4, str(top * i // 5), text_anchor="end"))
        parts.append(_text(LEFT + plot_w + 8, y + 4, f"{20 * i}%", text_anchor="start"))
    parts.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{base}" stroke="#333333"/>')
    parts.append(f'<line x1="{LEFT + plot_w}" y1="{TOP}" x2="{LEFT + plot_w}" y2="{base}" stroke="#333333"/>')
    parts.append(f'<line x1="{LEFT}" y1="{base}" x2="{LEFT + plot_w}" y2="{base}" stroke="#333333"/>')
    points = []
    for m in stats.months:
        x = LEFT + slot * (m.month - 1)
        h = plot_h * m.intake / top
        parts.append(
            f'<rect x="{x + slot * 0.2:.1f}" y="{base - h:.1f}" width="{slot * 0.6:.1f}" height="{h:.1f}" fill="{BAR}">'
            f"<title>{escape(f'{m.month}月：收件{m.intake}件')}</title></rect>"
        )
        if m.intake:
            parts.append(_text(x + slot / 2, base - h - 4, str(m.intake), text_anchor="middle", font_size="10"))
        parts.append(_text(x + slot / 2, base + 18, f"{m.month}月", text_anchor="middle"))
        rate = m.on_time_rate
        if rate is not None:
            points.append((x + slot / 2, base - plot_h * rate, m.month, rate, m.answered))
    if len(points) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, *_ in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for x, y, month, rate, answered in points:
        label = f"{month}月：答复{answered}件，按时率{rate:.0%}"
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{LINE}"><title>{escape(label)}</title></circle>')
    mid = TOP + plot_h / 2
    parts += [
        _text(18, mid, "收件量（件）", text_anchor="middle", transform=f"rotate(-90 18 {mid:.1f})"),
        _text(WIDTH - 18, mid, "按时答复率（%）", text_anchor="middle", transform=f"rotate(90 {WIDTH - 18} {mid:.1f})"),
        _text(LEFT + plot_w / 2, HEIGHT - 30, "月份", text_anchor="middle"),
        f'<rect x="{LEFT}" y="{HEIGHT - 22}" width="12" height="12" fill="{BAR}"/>',
        _text(LEFT + 18, HEIGHT - 12, "每月收件量（按登记月份）"),
        f'<line x1="{LEFT + 200}" y1="{HEIGHT - 16}" x2="{LEFT + 224}" y2="{HEIGHT - 16}" '
        f'stroke="{LINE}" stroke-width="2"/>',
        _text(LEFT + 230, HEIGHT - 12, "按时答复率（按答复月份）"),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
