"""The Dashboard's chart (QtCharts): one section's figures as bars, this period's beside the period before's."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalBarSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QPainter

from mashdesk.digest.views import Count, FigureLine

#: Figure labels longer than this are shortened under the bars.
LABEL_CHARS = 28


def _bar(count: Count) -> float:
    """A share is drawn as its percentage, a count as itself."""
    if count.of is not None:
        return count.share or 0.0
    return float(count.value)


class SectionChart(QChartView):
    def __init__(self) -> None:
        super().__init__()
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Chart of the chosen section: this period beside the period before")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(260)
        #: What is drawn: (section, whether its counts rather than its shares).
        self.section: tuple[str, bool] | None = None
        self.show_lines("", ())

    def show_lines(self, title: str, lines: tuple[FigureLine, ...]) -> None:
        chart = QChart()
        chart.setTitle(title)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        now, before = QBarSet("This period"), QBarSet("Period before")
        now.setColor(QColor("#1f5f99"))
        before.setColor(QColor("#a8b8c8"))
        labels = []
        lines = tuple(line for line in lines if line.charted)
        # Shares and counts are not drawn on one axis: the kind of the first line given is drawn.
        lines = tuple(line for line in lines if (line.current.of is None) == (lines[0].current.of is None)) \
            if lines else ()
        for line in reversed(lines):  # the first figure on top
            now.append(_bar(line.current))
            before.append(_bar(line.previous))
            short = line.short or line.label
            labels.append(short if len(short) <= LABEL_CHARS else short[:LABEL_CHARS - 1] + "…")
        series = QHorizontalBarSeries()
        series.append(now)
        series.append(before)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append(labels)
        axis_x.setTruncateLabels(False)
        if len(labels) > 12:  # the CIN source codes: a line each
            font = QFont(axis_x.labelsFont())
            font.setPointSize(7)
            axis_x.setLabelsFont(font)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        axis_y = QValueAxis()
        shares = bool(lines) and all(line.current.of is not None for line in lines)
        top = max([*(_bar(line.current) for line in lines), *(_bar(line.previous) for line in lines), 1.0])
        axis_y.setRange(0, 100 if shares else top * 1.1)
        axis_y.applyNiceNumbers()
        axis_y.setLabelFormat("%.0f%%" if shares else "%.0f")
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(axis_y)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()
        #: The bars drawn, top first: (label, this period, period before).
        self.bars = tuple((labels[i], now.at(i), before.at(i)) for i in reversed(range(now.count())))
