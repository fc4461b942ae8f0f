"""The dialogs (settings, export, unsaved changes, shortcuts, crash) and the welcome page."""
