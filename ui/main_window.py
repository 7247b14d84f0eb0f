"""The desk's main window: navigation between the main views, menus, status bar, saved state."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from mashdesk import __version__
from mashdesk.errors import MashDeskError
from mashdesk.services.base import Actor, AppContext
from mashdesk.services.contacts import ContactService
from mashdesk.services.drafts import DraftService
from mashdesk.services.handover import HandoverService
from mashdesk.services.people import PeopleService
from mashdesk.services.queue import QueueService
from mashdesk.services.stepdown import StepDownService
from mashdesk.services.strategy import StrategyService
from ui.notices import NoticeCentre
from ui.views.contact_view import ContactView
from ui.views.handover_view import HandoverView
from ui.views.people_view import PeopleView
from ui.views.planned_view import PlannedView
from ui.views.queue_view import QueueView
from ui.views.stepdowns_view import StepDownsView
from ui.views.strategy_view import StrategyView

LONDON = ZoneInfo("Europe/London")

#: Main views in navigation order: key, title, shortcut.
VIEWS: list[tuple[str, str, str]] = [
    ("queue", "Queue", "Ctrl+1"),
    ("contact", "Contact", "Ctrl+2"),
    ("handover", "EDT handover", "Ctrl+3"),
    ("stepdowns", "Step-downs", "Ctrl+4"),
    ("strategy", "Strategy", "Ctrl+5"),
    ("meeting", "Daily meeting", "Ctrl+6"),
    ("people", "People", "Ctrl+7"),
]


class MainWindow(QMainWindow):
    """Emits ``view_loaded(key)`` once a view has put its data on screen."""

    view_loaded = Signal(str)

    def __init__(self, ctx: AppContext, actor: Actor, database_label: str, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.settings = settings
        self.setWindowTitle(f"MASH Desk — {actor.display_name} ({actor.role_name})")
        self.setObjectName("mainWindow")

        self.queue = QueueView(QueueService(ctx), actor)
        self.contact = ContactView(ContactService(ctx), actor)
        self.people = PeopleView(PeopleService(ctx), actor)
        # One line per main view. A view with a ``loaded`` signal reports when its data is on screen;
        # one with a ``refresh()`` method is refreshed each time it is shown; one with an
        # ``open_contact(id)`` signal opens that contact in the contact view.
        self.views: dict[str, QWidget] = {
            "queue": self.queue,
            "contact": self.contact,
            "handover": HandoverView(HandoverService(ctx), actor, PeopleService(ctx), DraftService(ctx)),
            "stepdowns": StepDownsView(StepDownService(ctx), actor),
            "strategy": StrategyView(StrategyService(ctx), actor),
            "meeting": PlannedView("meeting"),
            "people": self.people,
        }
        for key, view in self.views.items():
            loaded = getattr(view, "loaded", None)
            if loaded is not None:
                loaded.connect(lambda k=key: self.view_loaded.emit(k))
            opener = getattr(view, "open_contact", None)
            if opener is not None:
                opener.connect(self.open_contact)
        self.contact.changed.connect(self.queue.refresh)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Main views")
        self.nav.setMinimumWidth(150)
        self.stack = QStackedWidget()
        for key, title, shortcut in VIEWS:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setToolTip(f"{title} ({shortcut})")
            self.nav.addItem(item)
            self.stack.addWidget(self.views[key])
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        splitter = QSplitter()
        splitter.setObjectName("mainSplitter")
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([170, 1230])
        self.splitter = splitter
        self.setCentralWidget(splitter)

        self._menus()
        self._status_bar(database_label)
        self._restore()

    # -- menus and shortcuts ------------------------------------------------------------------------
    def _menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.new_contact_action = QAction("&New contact…", self, shortcut=QKeySequence.StandardKey.New,
                                          triggered=self.new_contact)
        self.new_contact_action.setEnabled(self.actor.may("contact.create"))
        self.take_next_action = QAction("&Take next contact", self, shortcut=QKeySequence("Ctrl+Shift+N"),
                                        triggered=self.take_next)
        self.take_next_action.setEnabled(self.actor.may("contact.take_next"))
        file_menu.addAction(self.new_contact_action)
        file_menu.addAction(self.take_next_action)
        file_menu.addSeparator()
        refresh = QAction("&Refresh", self, shortcut=QKeySequence(Qt.Key.Key_F5), triggered=self.queue.refresh)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        file_menu.addAction(refresh)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for row, (key, title, shortcut) in enumerate(VIEWS):
            action = QAction(title, self, shortcut=QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, r=row: self.nav.setCurrentRow(r))
            view_menu.addAction(action)
            self.addAction(action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(QAction("&About MASH Desk", self, triggered=self._about))

    def _about(self) -> None:
        QMessageBox.about(self, "About MASH Desk",
                          f"MASH Desk {__version__}<br>The children's front door: contacts, threshold "
                          "decisions, EDT handover, step-downs and strategy discussions.<br>OFFICIAL-SENSITIVE")

    def _status_bar(self, database_label: str) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(f"{self.actor.display_name} · {self.actor.role_name}")
        self.user_label.setAccessibleName("Signed-in user")
        self.db_label = QLabel(f"Database: {database_label}")
        self.db_label.setAccessibleName("Database")
        self.clock_label = QLabel()
        self.clock_label.setAccessibleName("Clock")
        for w in (self.user_label, self.db_label):
            bar.addWidget(w)
        bar.addPermanentWidget(self.clock_label)
        self._tick()
        self._clock = QTimer(self, interval=15_000, timeout=self._tick)
        self._clock.start()
        self.notices = NoticeCentre(bar, self)
        self.scheduler = None

    def _tick(self) -> None:
        now = self.ctx.now().astimezone(LONDON)
        self.clock_label.setText(now.strftime("%a %d %b %Y %H:%M"))

    # -- views --------------------------------------------------------------------------------------
    def show_view(self, key: str) -> None:
        """Switch to a main view, refreshing it when it can be refreshed."""
        keys = [k for k, _, _ in VIEWS]
        self.nav.setCurrentRow(keys.index(key))
        view = self.views[key]
        refresh = getattr(view, "refresh", None)
        if refresh is not None and key not in ("queue", "contact"):
            refresh()
        elif getattr(view, "loaded", None) is None:
            self.view_loaded.emit(key)

    def start(self) -> None:
        """Load the queue (the first view)."""
        self.nav.setCurrentRow(0)
        self.queue.start()
        self.queue.table.setFocus()

    def start_scheduler(self) -> None:
        """Run the desk's scheduled jobs (deadline sweeps) for the signed-in user's role."""
        from mashdesk.scheduler import start_scheduler

        self.scheduler = start_scheduler(self.ctx, self.actor, self.notices.deliver)

    def new_contact(self) -> None:
        """Record a contact (Ctrl+N); once saved it is in the queue and open."""
        from mashdesk.services.drafts import DraftService
        from ui.dialogs.contact_form import ContactForm

        form = ContactForm(ContactService(self.ctx), PeopleService(self.ctx), DraftService(self.ctx), self.actor,
                           self)
        if form.exec() and form.created_id is not None:
            self.queue.refresh()
            self.open_contact(form.created_id)

    def take_next(self) -> None:
        """Allocate to me the most urgent screened contact nobody has, and open it."""
        from mashdesk.services.triage import TriageService

        try:
            taken = TriageService(self.ctx).take_next(self.actor)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot take a contact", str(exc))
            return
        if taken is None:
            self.statusBar().showMessage("Nothing is waiting: every screened contact has a worker.", 8000)
            return
        self.queue.refresh()
        self.open_contact(taken)

    def open_contact(self, contact_id: int) -> None:
        try:
            self.contact.show_contact(contact_id)
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot open contact", str(exc))
            return
        self.nav.setCurrentRow(1)

    # -- state --------------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 820)
        state = self.settings.value("mainWindow/state")
        if state is not None:
            self.restoreState(state)
        splitter = self.settings.value("mainWindow/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        header = self.settings.value("queue/header")
        if header is not None:
            self.queue.table.horizontalHeader().restoreState(header)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        self.settings.setValue("mainWindow/geometry", self.saveGeometry())
        self.settings.setValue("mainWindow/state", self.saveState())
        self.settings.setValue("mainWindow/splitter", self.splitter.saveState())
        self.settings.setValue("queue/header", self.queue.table.horizontalHeader().saveState())
        super().closeEvent(event)
