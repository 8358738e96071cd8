"""scripts/load_http.py: what it prints beside the PostgreSQL figures (issue 13)."""

from scripts.load_http import commit_delay_note, disk_line


def test_commit_delay_is_said_to_never_wait_when_fewer_workers_than_siblings_can_write():
    # two sync workers: at most one other transaction writes while one commits
    assert "never waits" in commit_delay_note(1000, 2, 2)
    assert commit_delay_note(1000, 1, 2) == ""
    assert commit_delay_note(0, 5, 2) == ""  # no delay asked: nothing to say
    assert commit_delay_note(1000, 3, 4) == ""


def test_the_disk_line_gives_the_fsync_rate_and_the_commits_it_bounds():
    line = disk_line((237.0, 4219.0), "in /tmp", 2)
    assert "237 fdatasync/s (4,219 µs each" in line
    assert "~474/s" in line  # two workers each waiting for their own flush
    assert disk_line(None, "in /tmp", 2) == "pg_test_fsync not found"
