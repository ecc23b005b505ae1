"""Large annotates run in a separate process of the worker (glossary/annotate_pool.py): the same
reply byte for byte, the glossary version the request saw, a 503 naming the cause when that
process dies (and a new one for the next request), a job stopped when its client goes away."""

from __future__ import annotations

import fcntl
import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest
from helpers import make_term, patch_term
from test_annotate_upload import api_post

from glossary import annotate_pool, annotate_process
from glossary.services.annotate_job import AnnotateJob

TEXT = "推动构建人类命运共同体，维护網路主權。Cyber sovereignty matters. 我们坚持共同富裕。"


@pytest.fixture
def terms(session) -> None:
    make_term(session, "人类命运共同体", "community with a shared future for mankind")
    make_term(session, "网络主权", "cyber sovereignty")
    make_term(session, "共同富裕", "common prosperity")


def _children() -> list[int]:
    """This process's annotation processes (children running glossary.annotate_process)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (entry / "cmdline").read_bytes()
        except (OSError, IndexError):
            continue
        if ppid == os.getpid() and b"glossary.annotate_process" in cmdline:
            found.append(int(entry.name))
    return found


def _gone(pid: int) -> bool:
    """Whether the child has exited, without reaping it (the pool does that). Not /proc's "Z":
    a killed process's leader shows Z while its other threads are still exiting, and until they
    have, waitpid (the pool's poll) still says it runs and its pipes stay open."""
    try:
        return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return True  # already reaped


@pytest.fixture
def pooled(app, make_app, terms):
    """An app whose every annotate over 60 bytes is large (so runs in the pool), and one without a pool."""
    return make_app(ANNOTATE_LARGE_BYTES=60), make_app(ANNOTATE_POOL="off", ANNOTATE_LARGE_BYTES=60)


def _post(client, body: dict, **environ: object):
    """The reply, closed: a large one holds the host's one slot until then."""
    r = client.post("/api/v1/annotate", json=body, environ_base=environ)
    r.close()
    return r


@pytest.mark.parametrize(
    "options",
    [{}, {"format": "html"}, {"format": "html", "ruby": True, "lang": "fr"}, {"nested": True, "text_lang": "en"}],
)
def test_a_large_annotate_via_the_pool_gives_the_same_json_as_in_process(pooled, options) -> None:
    with_pool, without = (a.test_client() for a in pooled)
    body = {"text": TEXT * 3, **options}
    before = set(_children())
    via_pool = _post(with_pool, body)
    assert via_pool.status_code == 200, via_pool.get_json()
    assert len(set(_children()) - before) == 1  # it ran in a new annotation process, still there for the next
    in_process = _post(without, body)
    assert via_pool.get_data() == in_process.get_data()
    assert "wangluo-zhuquan" in via_pool.get_data(as_text=True)


def test_an_uploaded_file_via_the_pool_gives_the_same_json(pooled) -> None:
    replies = []
    for app in pooled:
        with api_post(app.test_client(), ("a.txt", (TEXT * 3).encode())) as r:
            replies.append(r)
    assert [r.status_code for r in replies] == [200, 200]
    assert replies[0].get_data() == replies[1].get_data() and replies[0].get_json()["text"] == TEXT * 3


def test_the_pool_annotates_for_the_glossary_version_the_request_saw(pooled, session) -> None:
    client = pooled[0].test_client()
    first = _post(client, {"text": TEXT * 3}).get_json()
    assert "gongtong-fuyu" in {t["slug"] for t in first["terms"]}
    make_term(session, "坚持", "uphold")  # a new version, written by another "worker"
    _post(client, {"text": TEXT * 3})  # answered from the previous version while it rebuilds …
    pooled[0].extensions["glossary.annotator"].wait(timeout=60)
    again = _post(client, {"text": TEXT * 3})  # … and now from the new one, in the process too
    assert "jianchi" in {t["slug"] for t in again.get_json()["terms"]}
    assert again.get_data() == _post(pooled[1].test_client(), {"text": TEXT * 3}).get_data()


def test_a_crash_of_the_annotation_process_is_a_503_naming_the_cause_and_the_next_request_works(pooled) -> None:
    client = pooled[0].test_client()
    expected = _post(client, {"text": TEXT * 3}).get_data()
    (child,) = _children()
    os.kill(child, signal.SIGSTOP)  # it cannot answer …
    replies = []
    asking = threading.Thread(target=lambda: replies.append(_post(client, {"text": TEXT * 3})))
    asking.start()
    time.sleep(0.5)  # … the request is waiting for it …
    os.kill(child, signal.SIGKILL)  # … when it dies, as the out-of-memory killer would kill it
    asking.join(30)
    (r,) = replies
    assert r.status_code == 503 and r.mimetype == "application/problem+json"
    assert r.headers["Retry-After"] == "1"
    assert r.get_json()["detail"] == (
        "the process that annotates large texts stopped before it answered: it was killed by SIGKILL "
        "(as the kernel's out-of-memory killer does); try again"
    )
    again = _post(client, {"text": TEXT * 3})
    assert again.status_code == 200 and again.get_data() == expected
    assert child not in _children()


def test_an_idle_annotation_process_that_died_is_replaced(pooled) -> None:
    client = pooled[0].test_client()
    expected = _post(client, {"text": TEXT * 3}).get_data()
    (child,) = _children()
    os.kill(child, signal.SIGKILL)
    while not _gone(child):
        time.sleep(0.01)
    assert _post(client, {"text": TEXT * 3}).get_data() == expected


def test_a_job_is_stopped_when_its_client_goes_away(pooled) -> None:
    client = pooled[0].test_client()
    _post(client, {"text": TEXT * 3})
    (child,) = _children()
    os.kill(child, signal.SIGSTOP)  # the job would never end
    server_end, client_end = socket.socketpair()
    replies = []
    asking = threading.Thread(
        target=lambda: replies.append(_post(client, {"text": TEXT * 3}, **{"gunicorn.socket": server_end}))
    )
    asking.start()
    time.sleep(0.3)
    client_end.close()  # the client hangs up
    asking.join(30)
    server_end.close()
    (r,) = replies
    assert r.status_code == 499 and "closed the connection" in r.get_json()["detail"]
    assert _gone(child)  # stopped, its CPU and memory given back at once
    assert _post(client, {"text": TEXT * 3}).status_code == 200


def test_a_job_still_running_after_the_timeout_is_stopped_with_a_503(pooled, monkeypatch) -> None:
    client = pooled[0].test_client()
    _post(client, {"text": TEXT * 3})
    (child,) = _children()
    os.kill(child, signal.SIGSTOP)
    monkeypatch.setattr(annotate_pool, "TIMEOUT", 0.5)
    r = _post(client, {"text": TEXT * 3})
    assert r.status_code == 503
    assert r.get_json()["detail"] == "the annotation took longer than 0.5 seconds and was stopped; try again"
    assert _gone(child)


def test_small_annotates_stay_in_the_request_thread(app, make_app, terms) -> None:
    client = make_app().test_client()  # large means 300,000 bytes by default
    assert _post(client, {"text": TEXT}).status_code == 200
    assert _children() == []


def _pipes():
    """The ends of two pipes: (send, source) into the process's loop, (out, receive) back out of it."""
    source, send = os.pipe()
    receive, out = os.pipe()
    return os.fdopen(send, "wb"), os.fdopen(source, "rb"), os.fdopen(out, "wb"), os.fdopen(receive, "rb")


def test_an_error_while_annotating_is_answered_and_the_process_goes_on(app, monkeypatch) -> None:
    """The process's loop, run in this one: a job before any entries is an error it reports
    (as the worker then answers 500 naming it), and the next job is still served."""
    from glossary.extensions import db
    from glossary.services.annotation import entries

    with app.app_context():
        glossary = entries(db.session)
    send, source, out, receive = _pipes()
    serving = threading.Thread(target=annotate_process.serve, args=(source, out))
    serving.start()
    annotate_process.write_frame(send, (None, AnnotateJob("共同富裕")))
    assert annotate_process.read_frame(receive) == ("error", "RuntimeError: a job came before the glossary's entries")
    annotate_process.write_frame(send, (glossary, AnnotateJob("共同富裕")))
    kind, body = annotate_process.read_frame(receive)
    assert kind == "ok" and body.startswith(b"{")
    send.close()  # the worker is gone: the process ends
    serving.join(30)
    assert not serving.is_alive()
    for f in (source, out, receive):
        f.close()


def test_a_jobs_memory_is_kept_for_the_next_then_handed_back(app, monkeypatch) -> None:
    """Jobs in quick succession find their memory still mapped; once none has come for
    RELEASE_SECONDS it is handed back (one release, however many jobs), then the process idles."""
    from glossary import memory
    from glossary.extensions import db
    from glossary.services.annotation import entries

    with app.app_context():
        glossary = entries(db.session)
    released: list[float] = []
    real = memory.release_memory
    monkeypatch.setattr(memory, "release_memory", lambda: released.append(time.monotonic()) or real())
    monkeypatch.setattr(annotate_process, "RELEASE_SECONDS", 1.0)
    monkeypatch.setattr(annotate_process, "IDLE_SECONDS", 0.2)
    send, source, out, receive = _pipes()
    serving = threading.Thread(target=annotate_process.serve, args=(source, out))
    serving.start()
    for message in ((glossary, AnnotateJob("共同富裕")), (None, AnnotateJob("网络主权"))):
        annotate_process.write_frame(send, message)
        assert annotate_process.read_frame(receive)[0] == "ok"
    answered = time.monotonic()
    assert released == []  # not between the jobs, nor right after the last
    serving.join(30)  # released after RELEASE_SECONDS, then idle for IDLE_SECONDS: it ends
    assert not serving.is_alive()
    assert len(released) == 1 and released[0] - answered >= 0.9
    for f in (send, source, out, receive):
        f.close()


def test_an_idle_annotation_process_exits(monkeypatch) -> None:
    monkeypatch.setattr(annotate_process, "IDLE_SECONDS", 0.2)
    send, source, out, receive = _pipes()
    started = time.monotonic()
    annotate_process.serve(source, out)  # returns when nothing came for IDLE_SECONDS
    assert time.monotonic() - started < 10
    for f in (send, source, out, receive):
        f.close()


def test_a_job_failing_in_the_process_is_reported_and_the_process_kept(pooled) -> None:
    from glossary.extensions import db

    app = pooled[0]
    pool = app.extensions[annotate_pool.POOL]
    with app.app_context():
        annotator, version = app.extensions["glossary.annotator"].versioned(db.session)
        with pytest.raises(annotate_pool.JobFailed, match="^AttributeError: "):  # None.lower(), in the child
            pool.annotate(annotator, version, AnnotateJob("共同富裕", lang=None), None)  # type: ignore[arg-type]
        (child,) = _children()
        assert pool.annotate(annotator, version, AnnotateJob("共同富裕"), None).startswith(b"{")
        assert _children() == [child]


@pytest.mark.skipif(not hasattr(fcntl, "F_GETPIPE_SZ"), reason="pipe sizes are Linux's")
def test_the_pipes_to_an_annotation_process_hold_a_mebibyte() -> None:
    child = annotate_pool._Child()
    try:
        for pipe in (child.stdin, child.stdout):
            assert fcntl.fcntl(pipe.fileno(), fcntl.F_GETPIPE_SZ) == annotate_pool.PIPE_BYTES
    finally:
        child.stop()


def test_a_job_and_a_reply_cross_the_pipe_exactly() -> None:
    """The job's text goes as UTF-32 (any str, lone surrogates and astral characters included),
    a reply's body as its bytes, an error pickled."""
    import io

    job = AnnotateJob("网络\ud800主权𠮷\udc00x", lang="fr", nested=True, date="2021", html_href="/t/{slug}")
    for message in [(None, job), ("ok", b'{"matches": []}'), ("error", "TypeError: x"), ("ok", "not bytes")]:
        pipe = io.BytesIO()
        annotate_process.write_frame(pipe, message)
        pipe.seek(0)
        assert annotate_process.read_frame(pipe) == message
        assert annotate_process.read_frame(pipe) is None  # the end of input


def test_after_a_rendering_edit_the_process_gets_only_the_replaced_entries(pooled, monkeypatch, write_token) -> None:
    """A rendering edit replaces entries in the worker's annotator (services/annotation.py); the
    annotation process that mirrors the previous annotator is sent just those replacements, and
    answers exactly as the in-process path does. A new term is a rebuild: the whole entries."""
    sent: list[object] = []
    real = annotate_pool.write_frame
    monkeypatch.setattr(
        annotate_pool, "write_frame", lambda out, message: sent.append(message[0]) or real(out, message)
    )
    with_pool, without = (a.test_client() for a in pooled)
    text = {"text": TEXT * 3 + " Shared wealth for all."}
    assert "Shared wealth" not in _post(with_pool, text).get_data(as_text=True)
    assert isinstance(sent[-1], list)  # the first job: every entry
    auth = {"Authorization": f"Bearer {write_token}"}
    translations = [
        {"lang": "en", "text": "common prosperity", "status": "preferred"},
        {"lang": "en", "text": "shared wealth", "status": "alternative"},
    ]
    patch_term(with_pool, auth, "gongtong-fuyu", {"translations": translations})
    via_pool = _post(with_pool, text)  # the writer's own edit: replaced at once
    (replacements,) = [m for m in sent[1:] if m is not None]
    assert isinstance(replacements, dict) and [e.slug for e in replacements.values()] == ["gongtong-fuyu"]
    assert "Shared wealth" in via_pool.get_data(as_text=True)
    assert via_pool.get_data() == _post(without, text).get_data()
    assert with_pool.post("/api/v1/terms", json={"simplified": "坚持"}, headers=auth).status_code == 201
    assert "jianchi" in _post(with_pool, text).get_data(as_text=True)
    assert isinstance(sent[-1], list)  # a new term: rebuilt, so every entry again


def test_changes_between_walks_the_replacements_and_knows_when_it_cannot(app, make_app, session, write_token) -> None:
    from glossary.extensions import db

    make_term(session, "共同富裕", "common prosperity")
    cache = app.extensions["glossary.annotator"]
    client = app.test_client()
    auth = {"Authorization": f"Bearer {write_token}"}

    def current():
        with app.app_context():
            return cache.get(db.session)

    def add_rendering(text: str) -> None:
        kept = client.get("/api/v1/terms/gongtong-fuyu").get_json()["translations"]
        body = {"translations": [*kept, {"lang": "en", "text": text, "status": "alternative"}]}
        patch_term(client, auth, "gongtong-fuyu", body)

    first = current()
    start = cache.serial(first)
    add_rendering("shared wealth")
    add_rendering("wealth for all")
    latest = current()
    (entry,) = cache.changes_between(start, latest).values()
    assert {r.text for r in entry.renderings} >= {"shared wealth", "wealth for all"}
    assert first.replaced(cache.changes_between(start, latest)).entries == latest.entries
    assert cache.changes_between(None, latest) is None  # a process that mirrors nothing yet
    assert cache.changes_between(cache.serial(latest), latest) == {}
    make_term(session, "坚持", "uphold")  # by another "worker": rebuilt in the background
    current()
    cache.wait(timeout=60)
    rebuilt = current()
    assert [e.slug for e in rebuilt.entries] == ["gongtong-fuyu", "jianchi"]
    assert cache.changes_between(start, rebuilt) is None  # a rebuild in between: send everything
