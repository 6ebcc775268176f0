"""`policykb user` without a terminal: a message and exit status 1, never a traceback."""
import subprocess
import sys

from tests.conftest import ROOT


def _user_add(tmp_path, *extra):
    # start_new_session: no controlling terminal, as under cron, CI or `ssh host cmd </dev/null`
    return subprocess.run([sys.executable, "-m", "service.cli", "user", "add", "li", "--file", str(tmp_path / "u.txt"),
                           *extra], stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT,
                          start_new_session=True, timeout=120)


def test_user_add_without_terminal_says_what_to_do(tmp_path):
    r = _user_add(tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "--password-stdin" in r.stderr
    assert not (tmp_path / "u.txt").exists()


def test_user_add_with_empty_stdin_password(tmp_path):
    r = _user_add(tmp_path, "--password-stdin")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "密码不能为空" in r.stderr
    assert not (tmp_path / "u.txt").exists()
