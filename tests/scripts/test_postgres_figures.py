"""What scripts/load and the bench print beside PostgreSQL figures: the disk's fsync rate and what it bounds, and
whether commit_delay can group commits at all (issue 13)."""

from scripts.bench_postgres import disk_line, fsync_directory
from scripts.load_http import commit_delay_note


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


def test_the_fsync_is_timed_beside_the_data_directory_and_leaves_nothing_there(tmp_path):
    data, scratch = tmp_path / "cluster" / "data", tmp_path / "scratch"
    data.mkdir(parents=True)
    scratch.mkdir()
    with fsync_directory(str(data), scratch) as (where_dir, where):
        assert where_dir.parent == data.parent and where_dir.is_dir()
        assert str(data) in where
    assert sorted(p.name for p in data.parent.iterdir()) == ["data"]
    with fsync_directory(None, scratch) as (where_dir, where):  # the server's directory unknown: the scratch one
        assert where_dir == scratch and "not on this machine" in where
