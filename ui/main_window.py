"""The desk's main window: navigation between the main views, menus, status bar, saved state."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Iterator, Mapping

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QLabel, QListWidget, QListWidgetItem, QMainWindow, QMessageBox, QSplitter,
                               QStackedWidget, QWidget)

from mashdesk import __version__, team_db
from mashdesk.errors import DatabaseBusy, DatabaseUnavailable, MashDeskError
from mashdesk.context import Actor, AppContext
from mashdesk.contacts.queue import QueueService
from mashdesk.live import Change
from ui.connection_status import ConnectionStatus
from ui.live import LiveUpdates, refresh_keeping_place
from ui.accounts.desk_lock import IDLE_SETTING, DeskLock
from ui.notices import NoticeCentre
from ui.window_place import fits_a_screen, place_first_time
from ui.contacts.queue_view import QueueView
from ui.view_registry import REST_MODULES, VIEW_ACTIONS, VIEW_FACTORIES, VIEWS

from mashdesk.clock import LONDON

#: The views that show other desks' changes as they happen (the contact view says who changed it).
LIVE_VIEWS = ("queue", "handover", "stepdowns", "strategy", "meeting", "missing", "consultations")


class _Views(Mapping[str, QWidget]):
    """The main views by key; a view is built the first time it is asked for."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window

    def __getitem__(self, key: str) -> QWidget:
        return self._window.view(key)

    def __iter__(self) -> Iterator[str]:
        return iter(key for key, _, _ in VIEWS)

    def __len__(self) -> int:
        return len(VIEWS)


def _desk_lock(window: MainWindow) -> DeskLock:
    from mashdesk.services.auth import AuthService

    lock = DeskLock(window, AuthService(window.ctx), window.actor, window.settings.value(IDLE_SETTING))
    lock.sign_out_requested.connect(window.sign_out)
    return lock


class MainWindow(QMainWindow):
    """Emits ``view_loaded(key)`` once a view has put its data on screen."""

    view_loaded = Signal(str)
    #: The user signed out (File ▸ Sign out, or from the idle lock): the window has closed, drafts kept.
    signed_out = Signal()
    _rest_loaded = Signal()
    _rest_failed = Signal(str)

    def __init__(self, ctx: AppContext, actor: Actor, database_label: str, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.actor = actor
        self.settings = settings
        self.setWindowTitle(f"MASH Desk — {actor.display_name} ({actor.role_name})")
        self.setObjectName("mainWindow")

        self.queue = QueueView(QueueService(ctx), actor)
        self._built: dict[str, QWidget] = {"queue": self.queue}
        self._fresh: str | None = None
        self.views = _Views(self)

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
            item.setHidden(not self.may_open(key))  # a view this role may not open is not offered
            # Until a view is first shown its page is empty; the queue is there from the start.
            self.stack.addWidget(self.queue if key == "queue" else QWidget())
        self._wire("queue", self.queue)
        self.nav.currentRowChanged.connect(self._switch)
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
        self._rest_failed.connect(self._show_load_failure)
        self.live = LiveUpdates(ctx.url, self)
        self.live.changed.connect(self.show_changes)
        self.desk_lock = _desk_lock(self)

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
        refresh = QAction("&Refresh", self, shortcut=QKeySequence(Qt.Key.Key_F5), triggered=self.refresh_current)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        file_menu.addAction(refresh)
        file_menu.addSeparator()
        self.connect_team_action = QAction("Connect to a team &database…", self,
                                           shortcut=QKeySequence("Ctrl+Shift+B"), triggered=self.connect_team)
        file_menu.addAction(self.connect_team_action)
        file_menu.addSeparator()
        self.lock_action = QAction("&Lock the desk", self, shortcut=QKeySequence("Ctrl+Alt+L"),
                                   triggered=lambda: self.desk_lock.lock())
        self.sign_out_action = QAction("Sign &out", self, shortcut=QKeySequence("Ctrl+Shift+Q"),
                                       triggered=self.sign_out)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.sign_out_action)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for key, title, shortcut in VIEWS:
            action = QAction(title, self, shortcut=QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, k=key: self.show_view(k))
            action.setEnabled(self.may_open(key))
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
        self.tls_label = self.keyring_label = None
        if team_db.is_team_url(self.ctx.url):  # how the connection is secured, and where its password lives
            self.tls_label = QLabel(team_db.tls_label(self.ctx.url))
            self.tls_label.setAccessibleName("Connection security")
            bar.addWidget(self.tls_label)
            if not team_db.keyring_available():
                self.keyring_label = QLabel("No system keyring: the database password is asked for each time")
                self.keyring_label.setAccessibleName("Keyring")
                self.keyring_label.setStyleSheet("color: #8a4b00")
                bar.addWidget(self.keyring_label)
        bar.addPermanentWidget(self.clock_label)
        self._tick()
        self._clock = QTimer(self, interval=15_000, timeout=self._tick)
        self._clock.start()
        self.notices = NoticeCentre(bar, self)
        self.scheduler = None
        self.connection = ConnectionStatus(self.ctx, self.db_label, bar, self)

    def _tick(self) -> None:
        now = self.ctx.now().astimezone(LONDON)
        self.clock_label.setText(now.strftime("%a %d %b %Y %H:%M"))

    # -- views --------------------------------------------------------------------------------------
    def view(self, key: str) -> QWidget:
        """The main view ``key``, built (and put in its page of the stack) the first time."""
        if key not in self._built:
            widget = VIEW_FACTORIES[key](self.ctx, self.actor)
            row = [k for k, _, _ in VIEWS].index(key)
            placeholder = self.stack.widget(row)
            current = self.stack.currentIndex()
            self.stack.removeWidget(placeholder)
            self.stack.insertWidget(row, widget)
            self.stack.setCurrentIndex(current)
            placeholder.deleteLater()
            self._built[key] = widget
            self._wire(key, widget)
            if key == "contact":
                widget.changed.connect(self.queue.refresh)  # type: ignore[attr-defined]
        return self._built[key]

    def _wire(self, key: str, view: QWidget) -> None:
        loaded = getattr(view, "loaded", None)
        if loaded is not None:
            loaded.connect(lambda k=key: self.view_loaded.emit(k))
        for name, slot in (("open_contact", self.open_contact), ("person_requested", self.open_person)):
            if (signal := getattr(view, name, None)) is not None:
                signal.connect(slot)

    @property
    def contact(self) -> QWidget:
        return self.view("contact")

    @property
    def people(self) -> QWidget:
        return self.view("people")

    def _switch(self, row: int) -> None:
        """The one way a main view is shown: built, put on screen, its data loaded (``view_loaded``).

        The navigation list, the View menu, the shortcuts, opening a contact, ``--view`` and
        signing in all come here, so what a person sees is what every path sees.
        """
        if row < 0:
            return
        key = VIEWS[row][0]
        if not self.may_open(key):
            return
        view = self.view(key)
        self.stack.setCurrentIndex(row)
        # The keyboard goes to the view's main list (or the view), not left on a page now hidden.
        target = getattr(view, "table", None) or getattr(view, "browser", None) or view
        if self.isActiveWindow():
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._load(key)

    def _load(self, key: str) -> None:
        view = self.view(key)
        if self._fresh == key:  # just loaded by open_contact: not twice
            self._fresh = None
            return
        refresh = getattr(view, "refresh", None)
        if refresh is not None:
            try:
                refresh()
            except (DatabaseBusy, DatabaseUnavailable) as exc:  # the view keeps what it showed
                self.statusBar().showMessage(str(exc), 10_000)
        if getattr(view, "loaded", None) is None:
            self.view_loaded.emit(key)

    def may_open(self, key: str) -> bool:
        """Whether the signed-in person's role may open the main view ``key``."""
        return self.actor.may(VIEW_ACTIONS[key])

    @property
    def current_key(self) -> str:
        return VIEWS[max(self.nav.currentRow(), 0)][0]

    def show_view(self, key: str) -> None:
        """Switch to a main view (loading its data), as choosing it in the list does."""
        row = [k for k, _, _ in VIEWS].index(key)
        if self.nav.currentRow() == row:
            self._load(key)
        else:
            self.nav.setCurrentRow(row)

    def refresh_current(self) -> None:
        """F5: load the view on screen afresh."""
        self._load(self.current_key)

    def start(self) -> None:
        """Show the queue (the first view), loaded, with the keyboard in its table."""
        self.show_view("queue")
        self.queue.table.setFocus()

    def start_scheduler(self) -> None:
        """Run the desk's scheduled jobs (deadline sweeps) for the signed-in user's role."""
        from mashdesk.scheduler import start_scheduler

        self.scheduler = start_scheduler(self.ctx, self.actor, self.notices.deliver)

    def connect_team(self) -> None:
        """File > Connect to a team database… (Ctrl+Shift+B): remembered for the next start, password kept."""
        from ui.dialogs.connect_team import connect_team

        connect_team(self)

    def start_live(self) -> None:
        """Hear of the changes other desks commit, and show them in the view on screen."""
        self.live.start()

    def show_changes(self, changes: list[Change]) -> None:
        """Other desks committed ``changes``: the view on screen shows them, keeping the person's place
        and what they typed; an open contact says who changed it. Other views load afresh when shown."""
        view = self._built.get(self.current_key)
        if view is None or not self.isVisible():
            return
        if self.current_key == "contact":
            view.notice_change()  # type: ignore[attr-defined]
        elif self.current_key in LIVE_VIEWS:
            refresh_keeping_place(view, view.refresh)  # type: ignore[attr-defined]

    def load_rest(self, then: Callable[[], None] | None = None) -> None:
        """Load the ORM and the other views' code on a worker thread, then call ``then`` here.

        The queue is painted before SQLAlchemy is even imported; this brings in the rest
        while the desk is already in use (opening another view meanwhile just waits for
        the module it needs). A failure is shown, not swallowed.
        """
        def work() -> None:

            from mashdesk.app import load_orm

            try:
                load_orm(self.ctx)
                for name in REST_MODULES:
                    importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - reported on the GUI thread
                self._rest_failed.emit(str(exc))
                return
            self._rest_loaded.emit()

        if then is not None:
            self._rest_loaded.connect(then)
        self._rest_thread = threading.Thread(target=work, name="load-rest", daemon=True)
        self._rest_thread.start()

    def _show_load_failure(self, message: str) -> None:
        QMessageBox.critical(self, "MASH Desk could not finish starting", message)

    def new_contact(self) -> None:
        """Record a contact (Ctrl+N); once saved it is in the queue and open."""
        from mashdesk.contacts.service import ContactService
        from mashdesk.drafts import DraftService
        from mashdesk.people.service import PeopleService
        from ui.contacts.contact_form import ContactForm

        form = ContactForm(ContactService(self.ctx), PeopleService(self.ctx), DraftService(self.ctx), self.actor,
                           self)
        if form.exec() and form.created_id is not None:
            self.queue.refresh()
            self.open_contact(form.created_id)

    def take_next(self) -> None:
        """Allocate to me the most urgent screened contact nobody has, and open it."""
        from mashdesk.triage.service import TriageService

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
        """Open a contact in the contact view (from the queue, a list, a new contact or take next)."""
        try:
            self.contact.show_contact(contact_id)  # type: ignore[attr-defined]
        except MashDeskError as exc:
            QMessageBox.warning(self, "Cannot open contact", str(exc))
            return
        self._fresh = "contact"
        self.show_view("contact")
        self._fresh = None

    def open_person(self, person_id: int) -> None:
        """A person's page in the People view (Ctrl+Shift+P on a contact: views emit ``person_requested``)."""
        if self.may_open("people"):
            self.show_view("people")
            self.people.open_person(person_id)  # type: ignore[attr-defined]

    def sign_out(self) -> None:
        """Sign out: every open form is kept as a draft, its dialog closed, the window closed."""
        from ui.accounts.session import sign_out

        sign_out(self)

    # -- state --------------------------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("mainWindow/geometry")
        if geometry is None or not self.restoreGeometry(geometry) or not fits_a_screen(self):
            place_first_time(self)
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
        self.connection.stop()
        self.live.stop()
        self.desk_lock.stop()
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        self.settings.setValue("mainWindow/geometry", self.saveGeometry())
        self.settings.setValue("mainWindow/state", self.saveState())
        self.settings.setValue("mainWindow/splitter", self.splitter.saveState())
        self.settings.setValue("queue/header", self.queue.table.horizontalHeader().saveState())
        for view in self._built.values():  # a view finishes its background work (a pack being built)
            view.close()
        super().closeEvent(event)
