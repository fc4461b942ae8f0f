from pathlib import Path

from desktop_chat.paths import DATA_DIR_ENV, AppPaths


def test_an_explicit_data_dir_holds_everything(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "mine", {DATA_DIR_ENV: str(tmp_path / "env")})
    assert paths.data_dir == tmp_path / "mine"
    assert paths.conversations_dir == tmp_path / "mine" / "conversations"
    assert paths.config_dir.parent == paths.data_dir
    assert paths.log_dir.parent == paths.data_dir


def test_the_environment_variable_is_used_without_an_argument(tmp_path: Path) -> None:
    paths = AppPaths.resolve(None, {DATA_DIR_ENV: str(tmp_path / "env")})
    assert paths.data_dir == tmp_path / "env"


def test_the_default_is_the_platform_data_folder(isolated_user_dirs: Path) -> None:
    paths = AppPaths.resolve(None, {})
    assert paths.data_dir == isolated_user_dirs / ".local" / "share" / "desktop-chat"
    assert paths.config_dir == isolated_user_dirs / ".config" / "desktop-chat"


def test_create_makes_the_folders(tmp_path: Path) -> None:
    paths = AppPaths.resolve(tmp_path / "new" / "nested", {})
    paths.create()
    assert paths.conversations_dir.is_dir()
    assert paths.log_dir.is_dir()
