"""Connect to a team database… (File menu): the URL, the password once (into the keyring), TLS settings.

Also the question the desk asks when it opens a team database whose password it does not have.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mashdesk import team_db
from mashdesk.errors import InputError, MashDeskError
from ui.progress import run_with_progress

NO_KEYRING = ("This computer has no system keyring: the password cannot be kept, "
              "so MASH Desk asks for it each time it opens the team database.")


class ConnectTeamDialog(QDialog):
    """Checks the database and the password (on a worker thread), keeps the password, remembers the URL."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a team database")
        self.setObjectName("connectTeamDialog")
        self.connected: team_db.Connected | None = None
        current = team_db.remembered()
        self.url = QLineEdit(current.url.split("?", 1)[0] if current else "")
        self.url.setPlaceholderText("postgresql://USER@HOST/DATABASE")
        self.url.setAccessibleName("Team database URL, without a password")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Database password")
        self.sslmode = QComboBox()
        self.sslmode.setAccessibleName("TLS mode (sslmode)")
        for mode in team_db.SSLMODES:
            self.sslmode.addItem(mode, mode)
        self.sslmode.setCurrentIndex(self.sslmode.findData(
            (current.sslmode if current else None) or "verify-full"))
        self.root = QLineEdit(current.sslrootcert or "" if current else "")
        self.root.setAccessibleName("Root certificate file (sslrootcert)")
        self.root.setPlaceholderText("the certificate authority's file, e.g. root.crt")
        browse = QPushButton("&Browse…")
        browse.setAccessibleName("Choose the root certificate file")
        browse.clicked.connect(self._browse)
        root_row = QHBoxLayout()
        root_row.addWidget(self.root, 1)
        root_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("&URL:", self.url)
        form.addRow("&Password:", self.password)
        form.addRow("&TLS (sslmode):", self.sslmode)
        root_label = QLabel("&Root certificate:")
        root_label.setBuddy(self.root)
        form.addRow(root_label, root_row)
        self.keyring_note = QLabel("The password is asked for once and kept in the system keyring; "
                                   "it is never written in the URL or the settings."
                                   if team_db.keyring_available() else NO_KEYRING)
        self.keyring_note.setObjectName("keyringNote")
        self.keyring_note.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("connectError")
        self.error.setAccessibleName("Connection error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828")
        ok, cancel = QDialogButtonBox.StandardButton.Ok, QDialogButtonBox.StandardButton.Cancel
        buttons = QDialogButtonBox(ok | cancel)
        buttons.button(ok).setText("&Connect")
        buttons.accepted.connect(self._connect)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setTabOrder(self.url, self.password)
        self.setTabOrder(self.password, self.sslmode)
        self.setTabOrder(self.sslmode, self.root)
        self.setTabOrder(self.root, browse)
        self.resize(560, self.sizeHint().height())

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Root certificate", self.root.text(),
                                              "Certificates (*.crt *.pem *.cer);;All files (*)")
        if path:
            self.root.setText(path)

    def _connect(self) -> None:
        url, password = self.url.text().strip(), self.password.text()
        mode, root = self.sslmode.currentData(), self.root.text().strip() or None
        try:
            team_db.parse(url, sslmode=mode, sslrootcert=root)  # bad input is named before any waiting
            self.connected = run_with_progress(
                "Connecting to the team database…",
                lambda _progress: team_db.connect(url, password, sslmode=mode, sslrootcert=root))
        except InputError as exc:
            self.error.setText(str(exc))
            {"url": self.url, "password": self.password, "sslrootcert": self.root}.get(
                exc.field or "", self.url).setFocus()
            return
        except MashDeskError as exc:
            self.error.setText(str(exc))
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()


def ask_database_password(db: team_db.TeamDatabase, parent: QWidget | None = None) -> str | None:
    """Ask for a team database's password (it is not in the keyring, or there is no keyring)."""
    note = "" if team_db.keyring_available() else f"\n\n{NO_KEYRING}"
    password, ok = QInputDialog.getText(parent, "Team database password",
                                        f"Password for {db.user} on {db.label}:{note}",
                                        QLineEdit.EchoMode.Password)
    return password if ok and password else None


def connect_team(parent: QWidget) -> team_db.Connected | None:
    """The dialog, then what the desk will do with the team database it remembered."""
    dialog = ConnectTeamDialog(parent)
    if not dialog.exec() or dialog.connected is None:
        return None
    done = dialog.connected
    QMessageBox.information(parent, "Team database remembered",
                            f"MASH Desk opens {done.database.label} the next time it starts "
                            f"({team_db.tls_label(done.database.url)}).\n\n"
                            f"The password is {done.password_note}.")
    return done
