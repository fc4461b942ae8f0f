"""The server profiles being edited in Settings, as a Qt list model over plain `Profile`s."""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from ...settings import Profile

ProfileIdRole = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


class ProfileListModel(QAbstractListModel):
    def __init__(self, profiles: list[Profile], active: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._profiles = list(profiles)
        self._active = active

    @property
    def profiles(self) -> list[Profile]:
        return list(self._profiles)

    @property
    def active(self) -> str:
        return self._active

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._profiles)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._profiles):
            return None
        profile = self._profiles[index.row()]
        in_use = profile.id == self._active
        if role == Qt.ItemDataRole.DisplayRole:
            name = profile.name or self.tr("(no name)")
            return self.tr("%1 (in use)").replace("%1", name) if in_use else name
        if role == Qt.ItemDataRole.ToolTipRole:
            return profile.base_url
        if role == Qt.ItemDataRole.FontRole and in_use:
            font = QFont()
            font.setBold(True)
            return font
        if role == ProfileIdRole:
            return profile.id
        return None

    def profile(self, row: int) -> Profile:
        return self._profiles[row]

    def row_of(self, profile_id: str) -> int:
        return next((i for i, p in enumerate(self._profiles) if p.id == profile_id), -1)

    def replace_profile(self, row: int, profile: Profile) -> None:
        self._profiles[row] = profile
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)

    def add(self, profile: Profile) -> int:
        row = len(self._profiles)
        self.beginInsertRows(QModelIndex(), row, row)
        self._profiles.append(profile)
        self.endInsertRows()
        return row

    def remove(self, row: int) -> Profile:
        self.beginRemoveRows(QModelIndex(), row, row)
        profile = self._profiles.pop(row)
        self.endRemoveRows()
        if profile.id == self._active and self._profiles:
            self.set_active(self._profiles[0].id)
        return profile

    def set_active(self, profile_id: str) -> None:
        rows = [self.row_of(self._active), self.row_of(profile_id)]
        self._active = profile_id
        for row in rows:
            if row >= 0:
                index = self.index(row, 0)
                self.dataChanged.emit(index, index)
