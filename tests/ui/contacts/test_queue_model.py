"""The queue model pages from SQL and passes Qt's model checks."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from mashdesk.contacts.queue import QueueService
from mashdesk.contacts.views import QueueQuery
from ui.contacts.queue_model import COLUMNS, QueueModel

pytestmark = pytest.mark.qt


def test_model_passes_qt_model_tester(qtmodeltester, demo_ctx, manager):
    model = QueueModel(QueueService(demo_ctx), manager)
    model.set_query(QueueQuery())
    qtmodeltester.check(model)


def test_model_pages_on_demand(demo_ctx, manager):
    model = QueueModel(QueueService(demo_ctx), manager)
    model.PAGE = 50
    model.set_query(QueueQuery())
    assert model.rowCount() == 50 and model.total == 120
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 120
    assert not model.canFetchMore(QModelIndex())
    refs = [model.row_at(i).reference for i in range(model.rowCount())]
    assert len(set(refs)) == 120


def test_sorting_by_a_header_sorts_in_sql(demo_ctx, manager):
    model = QueueModel(QueueService(demo_ctx), manager)
    model.set_query(QueueQuery())
    rag_col = [key for _, key in COLUMNS].index("rag")
    model.sort(rag_col, Qt.SortOrder.AscendingOrder)
    assert model.query.sort == "rag" and not model.query.descending
    shown = [model.data(model.index(r, rag_col)) for r in range(model.rowCount())]
    order = {"RED": 0, "AMBER": 1, "GREEN": 2, "—": 3}
    assert [order[s] for s in shown] == sorted(order[s] for s in shown)
