"""The command line, run in-process: db, ingest (idempotent, resumable), export, extract, serve."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from quotes import cli, ingest as ingest_module, intake, migrate
from quotes.db import Database
from quotes.extract import QuoteRecord as Record
from quotes.models import Document, Quote, Speaker
from tests.conftest import row_counts

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

A = "«Nous restons unis», a déclaré Jens Stoltenberg. «La sécurité, d’abord», a déclaré Josep Borrell."
B = "«Le dialogue continue», a déclaré Jens Stoltenberg."
C = "«Rien de neuf», a déclaré Dmitri Peskov. Une «contribution» de plus."


def run(url, *args):
    return cli.main(["--database-url", url, *args])


def snapshot(url):
    """Everything stored, by content: equal for two databases holding the same data."""
    database = Database(url)
    try:
        with database.session_scope() as session:
            docs = {
                d.content_hash: (d.title, d.source, d.published_at, sorted(
                    (q.quote, q.start, q.end, q.speaker.name if q.speaker else None) for q in d.quotes))
                for d in session.scalars(select(Document))
            }
            speakers = sorted(session.scalars(select(Speaker.name)))
            return docs, speakers
    finally:
        database.dispose()


def counts(url):
    return row_counts(url)


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(A, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text(B, encoding="utf-8")
    (folder / "latin1.txt").write_bytes("«Déjà», a déclaré Jean Dupont.".encode("latin-1"))
    (folder / "notes.md").write_text("ignored: not .txt", encoding="utf-8")
    lines = [
        json.dumps({"text": C, "title": "Kremlin", "source": "ATS", "url": "https://example.org/c",
                    "published_at": "2022-01-12T10:00:00+01:00", "id": "c"}, ensure_ascii=False),
        json.dumps({"text": A, "title": "the same text as a.txt"}, ensure_ascii=False),
        "",
        "{not json",
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": "«X», a déclaré Jean Dupont.", "published_at": "hier"}, ensure_ascii=False),
        json.dumps({"text": "«X», a déclaré Jean Dupont.", "title": 3}, ensure_ascii=False),
        json.dumps(["a list"]),
    ]
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder, jsonl


def test_db_upgrade_downgrade_current(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new' / 'quotes.db'}"  # the folder does not exist yet
    assert run(url, "db", "upgrade") == 0
    assert run(url, "db", "current") == 0
    assert capsys.readouterr().out.strip() == migrate.head()
    assert run(url, "db", "downgrade", "0001") == 0
    assert migrate.current(url) == "0001"
    assert run(url, "db", "downgrade", "base") == 0
    assert run(url, "db", "current") == 0
    assert capsys.readouterr().out.strip() == "base"


def test_ingest_summary_and_errors_with_file_and_line(migrated_db_url, inputs, fake_extractor, capsys):
    folder, jsonl = inputs
    code = run(migrated_db_url, "ingest", str(folder), str(jsonl), str(folder / "missing.txt"), "--no-progress")
    out = capsys.readouterr().out.splitlines()
    assert code == 1  # some inputs were refused
    assert out[:4] == ["documents: 3 new, 1 already there", "quotes: 5 stored", "speakers: 3 new", "errors: 8"]
    assert out[4:] == [
        f"  {folder / 'latin1.txt'}: not UTF-8 (invalid start byte at byte 0)",
        f"  {jsonl}:4: invalid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"  {jsonl}:5: 'text' is missing or not a string",
        f"  {jsonl}:6: empty text",
        f"  {jsonl}:7: 'published_at' 'hier': Not a valid ISO 8601 date or date-time (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][±HH:MM]).",
        f"  {jsonl}:8: 'title' must be a string",
        f"  {jsonl}:9: a line must hold a JSON object",
        f"  {folder / 'missing.txt'}: no such file or folder",
    ]
    assert counts(migrated_db_url) == (3, 5, 3)
    docs, _ = snapshot(migrated_db_url)
    kremlin = [d for d in docs.values() if d[0] == "Kremlin"]
    assert [(d[1], str(d[2])) for d in kremlin] == [("ATS", "2022-01-12 09:00:00")]  # stored in UTC


def test_ingest_twice_changes_nothing(migrated_db_url, inputs, fake_extractor, capsys):
    folder, jsonl = inputs
    run(migrated_db_url, "ingest", str(folder), str(jsonl), "--no-progress")
    first = snapshot(migrated_db_url)
    capsys.readouterr()
    extracted_before = len(fake_extractor)
    run(migrated_db_url, "ingest", str(folder), str(jsonl), "--no-progress")
    out = capsys.readouterr().out.splitlines()
    assert out[:3] == ["documents: 0 new, 4 already there", "quotes: 0 stored", "speakers: 0 new"]
    assert snapshot(migrated_db_url) == first
    assert len(fake_extractor) == extracted_before  # nothing extracted again


def test_a_document_that_fails_to_store_loses_nothing_else(migrated_db_url, tmp_path, fake_extractor, monkeypatch,
                                                           capsys):
    import quotes.extract

    good_extract_many = quotes.extract.extract_many

    def extract_many(texts, model=None, batch_size=32):
        for text, found in zip(texts, good_extract_many(texts)):
            # A record the database refuses (type is NOT NULL): storing this document fails.
            yield [Record(quote="CASSE", start=0, end=5, type=None)] if text.startswith("CASSE") else found

    monkeypatch.setattr("quotes.extract.extract_many", extract_many)
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in (A, "CASSE tout.", B)) + "\n",
                     encoding="utf-8")
    assert run(migrated_db_url, "ingest", str(jsonl), "--no-progress") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "documents: 2 new, 0 already there"
    assert out[4].startswith(f"  {jsonl}:2: IntegrityError")
    assert counts(migrated_db_url) == (2, 3, 2)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_document_without_quotes_is_stored_and_counted(migrated_db_url, tmp_path, fake_extractor, capsys, workers):
    jsonl = tmp_path / "docs.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in (A, "Aucune citation ici.")),
                     encoding="utf-8")
    assert run(migrated_db_url, "ingest", str(jsonl), "--workers", str(workers), "--no-progress") == 0
    assert capsys.readouterr().out.splitlines()[:2] == ["documents: 2 new, 0 already there", "quotes: 2 stored"]
    assert counts(migrated_db_url) == (2, 2, 2)


def test_interrupted_ingest_resumes_to_the_same_database(migrated_db_url, tmp_path, fake_extractor, monkeypatch,
                                                        capsys, migrated_template):
    jsonl = tmp_path / "many.jsonl"
    jsonl.write_text("".join(
        json.dumps({"text": f"«Phrase numéro {n}», a déclaré Jens Stoltenberg. «Autre {n}», a déclaré Josep Borrell."},
                   ensure_ascii=False) + "\n" for n in range(10)), encoding="utf-8")
    clean_url = f"sqlite:///{tmp_path / 'clean.db'}"
    migrate.upgrade(clean_url)
    assert run(clean_url, "ingest", str(jsonl), "--batch-size", "2", "--no-progress") == 0

    real_write = ingest_module._write
    writes = []

    def write_then_stop(*args, **kwargs):
        writes.append(1)
        if len(writes) == 3:
            raise KeyboardInterrupt  # Ctrl-C (or a crash) during the third batch
        return real_write(*args, **kwargs)

    monkeypatch.setattr(ingest_module, "_write", write_then_stop)
    assert run(migrated_db_url, "ingest", str(jsonl), "--batch-size", "2", "--no-progress") == 130
    assert counts(migrated_db_url) == (4, 8, 2)  # two batches committed
    monkeypatch.setattr(ingest_module, "_write", real_write)
    capsys.readouterr()
    assert run(migrated_db_url, "ingest", str(jsonl), "--batch-size", "2", "--no-progress") == 0
    assert capsys.readouterr().out.splitlines()[0] == "documents: 6 new, 4 already there"
    assert snapshot(migrated_db_url) == snapshot(clean_url)


def test_export_csv_to_file_and_stdout(migrated_db_url, inputs, fake_extractor, tmp_path, capsysbinary):
    folder, _ = inputs
    run(migrated_db_url, "ingest", str(folder / "a.txt"), str(folder / "sub"), "--no-progress")
    capsysbinary.readouterr()
    output = tmp_path / "out.csv"
    assert run(migrated_db_url, "export", "--speaker", "STOLTENBERG", "--output", str(output)) == 0
    assert output.read_bytes().decode("utf-8").split("\r\n") == [
        "quote_id,speaker,speaker_kind,speaker_role,speaker_label,quote,cue,type,document_id,title,url,source,"
        "published_at,start,end,confidence",
        "1,Jens Stoltenberg,person,,,Nous restons unis,a déclaré,direct,1,,,,,1,18,0.9",
        "3,Jens Stoltenberg,person,,,Le dialogue continue,a déclaré,direct,2,,,,,1,21,0.9",
        "",
    ]
    assert run(migrated_db_url, "export", "--q", "securite", "--bom") == 0
    out = capsysbinary.readouterr().out
    assert out.startswith("\ufeffquote_id,".encode("utf-8"))
    assert out.decode("utf-8-sig").splitlines()[1].startswith("2,Josep Borrell,person,,,\"La sécurité, d’abord\",")


def test_export_refuses_a_query_without_words(migrated_db_url, capsys):
    assert run(migrated_db_url, "export", "--q", "%%") == 2
    assert "error: q must contain at least one word" in capsys.readouterr().err


def test_extract_writes_one_prediction_line_per_input_line(tmp_path, fake_extractor, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "a", "text": A}, ensure_ascii=False),
        "",
        json.dumps({"id": 7, "text": "Sans citation."}),
        "oops",
        json.dumps({"id": "no-text"}),
    ]) + "\n", encoding="utf-8")
    assert cli.main(["extract", str(source)]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["id"] for line in lines] == ["a", 7, None, "no-text"]
    assert [[q["quote"] for q in line["quotes"]] for line in lines] == [
        ["Nous restons unis", "La sécurité, d’abord"], [], [], []]
    first = lines[0]["quotes"][0]
    assert first["speaker"] == "Jens Stoltenberg" and first["type"] == "direct"
    assert {"quote", "start", "end", "speaker", "mention", "role", "cue", "cue_lemma", "type", "confidence"} <= set(first)
    assert A[first["start"]:first["end"]] == first["quote"]
    assert [line.get("error") for line in lines] == [None, None, "invalid JSON (Expecting value)",
                                                     "'text' is missing or not a string"]
    assert f"{source}:4: invalid JSON" in captured.err


def test_no_command_prints_help(capsys):
    assert cli.main([]) == 2
    assert "serve" in capsys.readouterr().err


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                            ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_loopback_hosts(host, loopback):
    assert cli._is_loopback(host) is loopback


@pytest.mark.slow
def test_extract_output_is_read_by_the_scorer(tmp_path):
    predictions = tmp_path / "pred.jsonl"
    gold = SHARED / "eval" / "dev.jsonl"
    subprocess.run([sys.executable, "-m", "quotes", "extract", str(gold), "--output", str(predictions)],
                   cwd=ROOT, check=True)
    assert len(predictions.read_text(encoding="utf-8").splitlines()) == len(gold.read_text(encoding="utf-8").splitlines())
    scored = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(predictions)],
                            capture_output=True, text=True, check=True)
    assert "F1" in scored.stdout.strip().splitlines()[-1]


def test_extract_explain_prints_each_speaker_with_its_evidence(tmp_path, capsys):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "d1", "text": "Le ministre de la Santé Octave Vidal était à Lyon. "
                                  "«Nous tiendrons», a-t-il dit. «Le calme revient», selon une source policière."})
                      + "\n", encoding="utf-8")
    assert run(None, "extract", str(source), "--explain") == 0
    out = capsys.readouterr().out
    assert out.startswith("# d1\n")
    assert "→ Octave Vidal" in out and "pronoun «il» → Octave Vidal" in out
    assert "→ (source policière)" in out  # a description, not a name


@pytest.mark.slow
def test_ingest_with_worker_processes_equals_one_process(tmp_path, capsys):
    corpus = SHARED / "corpus" / "news-fr.jsonl"
    sample = tmp_path / "sample.jsonl"
    with corpus.open(encoding="utf-8") as handle:
        sample.write_text("".join(line for _, line in zip(range(40), handle)), encoding="utf-8")
    urls = []
    for workers in ("1", "2"):
        url = f"sqlite:///{tmp_path / f'w{workers}.db'}"
        migrate.upgrade(url)
        assert run(url, "ingest", str(sample), "--workers", workers, "--batch-size", "8", "--no-progress") == 0
        urls.append(url)
    assert counts(urls[0])[0] == 40
    assert snapshot(urls[0]) == snapshot(urls[1])


@pytest.mark.slow
def test_serve_answers_health(migrated_db_url):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "quotes", "--database-url", migrated_db_url, "serve", "--port", str(port)],
        cwd=ROOT, stderr=subprocess.PIPE, text=True, env={**os.environ, "QUOTES_RATELIMIT_ENABLED": "0"},
    )
    try:
        body = None
        for _ in range(600):  # waits for start-up (the model loads first), not a timing assertion
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5) as response:
                    body = json.loads(response.read())
                    break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.1)
        assert body is not None, server.stderr.read() if server.poll() is not None else "no answer"
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "loaded spaCy model" in err


@pytest.mark.parametrize("command", [["export"], ["serve"]])
@pytest.mark.parametrize("revision", ["0001", None])
def test_commands_refuse_a_database_that_is_not_migrated_and_leave_no_file(tmp_path, capsys, command, revision):
    path = tmp_path / "old.db"
    if revision:
        migrate.upgrade(f"sqlite:///{path}", revision)
    assert run(f"sqlite:///{path}", *command) == 2
    assert "run `python -m quotes db upgrade`" in capsys.readouterr().err
    assert path.exists() == bool(revision)  # a refusal never makes an empty database file


@pytest.mark.parametrize("revision", ["0001", None])
def test_ingest_migrates_a_database_first(tmp_path, capsys, inputs, fake_extractor, revision):
    folder, _ = inputs
    url = f"sqlite:///{tmp_path / 'new.db'}"
    if revision:
        migrate.upgrade(url, revision)
    assert run(url, "ingest", str(folder / "a.txt"), "--no-progress") == 0
    assert f"database migrated to revision {migrate.head()}" in capsys.readouterr().err
    assert migrate.current(url) == migrate.head()
    assert row_counts(url)[0] == 1


def test_flask_cli_runs_the_same_commands_on_the_app_database(app, inputs, fake_extractor):
    folder, _ = inputs
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "current"])
    assert (result.exit_code, result.output.strip()) == (0, migrate.head())
    result = runner.invoke(args=["ingest", str(folder / "a.txt"), "--no-progress"])
    assert result.exit_code == 0
    assert "documents: 1 new, 0 already there" in result.output
    result = runner.invoke(args=["export", "--speaker", "borrell"])
    assert result.exit_code == 0
    assert "La sécurité, d’abord" in result.output


def test_ingest_refuses_a_model_that_is_not_installed(migrated_db_url, inputs, capsys):
    folder, _ = inputs
    assert run(migrated_db_url, "ingest", str(folder), "--workers", "2", "--model", "no_such_model") == 2
    assert "spaCy model 'no_such_model' is not installed" in capsys.readouterr().err
    assert counts(migrated_db_url) == (0, 0, 0)


def test_a_worker_that_cannot_load_the_model_still_starts():
    # A pool whose initializer raises would start workers forever instead of reporting.
    ingest_module._worker_init("no_such_model")
    [failed] = intake.extract_texts(["«Oui», a déclaré Jean Dupont."], model="no_such_model")
    assert isinstance(failed, intake.Failed) and str(failed).startswith("extraction failed: OSError")


# Issue 15: hostile lines are reported with their number and the run goes on.

def write_jsonl(path: Path, records: list) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records),
                    encoding="utf-8")
    return path


def ingest_with_a_bad_line(url: str, tmp_path: Path, capsys, bad_line) -> str:
    """Ingest A, ``bad_line``, B: the bad line is reported with its number, A and B (one batch) are stored."""
    jsonl = write_jsonl(tmp_path / "docs.jsonl", [{"text": A}, bad_line, {"text": B}])
    assert run(url, "ingest", str(jsonl), "--no-progress") == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "documents: 2 new, 0 already there"
    assert out[3] == "errors: 1" and out[4].startswith(f"  {jsonl}:2: ")
    assert counts(url)[0] == 2
    return out[4]


@pytest.mark.parametrize("bad_line", [
    "[" * 1000 + "]" * 1000,
    '{"text": "ok", "title": ' + "[" * 100_000 + "]" * 100_000 + "}",
])
def test_ingest_reports_a_deeply_nested_line_and_goes_on(migrated_db_url, tmp_path, fake_extractor, capsys, bad_line):
    assert "JSON nested deeper than 32 levels" in ingest_with_a_bad_line(migrated_db_url, tmp_path, capsys, bad_line)


@pytest.mark.parametrize("published_at, message", [
    ("0001-01-01", "Dates must be between 1800 and 2200."),
    ("9999-12-31T23:59:59-23:59", "Dates must be between 1800 and 2200."),
    ("2201-01-01", "Dates must be between 1800 and 2200."),
    ("2023-02-29", "Not a valid ISO 8601 date"),
])
def test_ingest_reports_a_date_outside_the_range_and_goes_on(migrated_db_url, tmp_path, fake_extractor, capsys,
                                                            published_at, message):
    line = {"text": "«X», a déclaré Jean Dupont.", "published_at": published_at}
    assert message in ingest_with_a_bad_line(migrated_db_url, tmp_path, capsys, line)


@pytest.mark.parametrize("field, size, message", [
    ("source", 201, "'source' is longer than 200 characters"),
    ("title", 1001, "'title' is longer than 1000 characters"),
    ("url", 2049, "'url' is longer than 2048 characters"),
])
def test_ingest_refuses_fields_longer_than_the_api_takes(migrated_db_url, tmp_path, fake_extractor, capsys,
                                                        field, size, message):
    line = {"text": "«X», a déclaré Jean Dupont.", field: "x" * size}
    assert message in ingest_with_a_bad_line(migrated_db_url, tmp_path, capsys, line)


def test_ingest_accepts_fields_of_the_api_maximum(migrated_db_url, tmp_path, fake_extractor, capsys):
    jsonl = write_jsonl(tmp_path / "docs.jsonl", [{"text": A, "source": "x" * 200, "title": "x" * 1000}])
    assert run(migrated_db_url, "ingest", str(jsonl), "--no-progress") == 0


def test_ingest_counts_only_the_speakers_it_created(migrated_db_url, tmp_path, fake_extractor, monkeypatch, capsys):
    import quotes.extract

    extract_many = quotes.extract.extract_many

    def extract_while_another_writer_adds_speakers(texts, model=None, batch_size=32):
        from quotes import store

        other = Database(migrated_db_url)
        with other.session_scope(write=True) as session:
            store.get_or_create_speaker(session, "Somebody Else")  # not in any ingested text
            store.get_or_create_speaker(session, "Josep Borrell")  # in this run's text, created first by another
        other.dispose()
        yield from extract_many(texts, model=model, batch_size=batch_size)

    monkeypatch.setattr("quotes.extract.extract_many", extract_while_another_writer_adds_speakers)
    jsonl = write_jsonl(tmp_path / "docs.jsonl", [{"text": A}])  # Jens Stoltenberg and Josep Borrell
    assert run(migrated_db_url, "ingest", str(jsonl), "--no-progress") == 0
    assert capsys.readouterr().out.splitlines()[2] == "speakers: 1 new"
    assert counts(migrated_db_url)[2] == 3


def test_speakers_a_rollback_takes_back_are_not_counted_as_created(database):
    from quotes import store

    with database.Session() as session:
        created = ingest_module.speakers_created(session)
        kept = store.get_or_create_speaker(session, "Jens Stoltenberg")
        with pytest.raises(RuntimeError), session.begin_nested():
            store.get_or_create_speaker(session, "Josep Borrell")
            raise RuntimeError("this document fails to store")
        session.commit()
        assert created == {kept}
    with database.Session() as session:
        created = ingest_module.speakers_created(session)
        store.get_or_create_speaker(session, "Dmitri Peskov")
        session.rollback()
        assert created == set()


def test_ingest_stores_the_nfc_form_so_nfd_and_nfc_are_one_document(migrated_db_url, tmp_path, fake_extractor,
                                                                    capsys):
    import unicodedata

    text = "«L’été sera décisif», a déclaré Élisabeth Borne."
    nfd = unicodedata.normalize("NFD", text)
    (tmp_path / "nfd.txt").write_text(nfd, encoding="utf-8")
    jsonl = write_jsonl(tmp_path / "docs.jsonl", [{"text": nfd}, {"text": unicodedata.normalize("NFC", text)}])
    assert run(migrated_db_url, "ingest", str(tmp_path / "nfd.txt"), str(jsonl), "--no-progress") == 0
    assert capsys.readouterr().out.splitlines()[0] == "documents: 1 new, 2 already there"
    database = Database(migrated_db_url)
    try:
        with database.session_scope() as session:
            [stored] = session.scalars(select(Document)).all()
            assert stored.text == unicodedata.normalize("NFC", text)
            assert [stored.text[q.start:q.end] for q in stored.quotes] == ["L’été sera décisif"]
    finally:
        database.dispose()


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "2201-01-01"])
def test_export_refuses_dates_outside_the_range(migrated_db_url, capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        run(migrated_db_url, "export", "--until", value)
    assert exit_info.value.code == 2
    assert "between 1800 and 2200" in capsys.readouterr().err


def test_extract_reports_a_deeply_nested_line_and_goes_on(tmp_path, fake_extractor, capsys):
    source = write_jsonl(tmp_path / "in.jsonl", ["[" * 1000 + "]" * 1000, {"id": "a", "text": A}])
    assert cli.main(["extract", str(source)]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [line["id"] for line in lines] == [None, "a"]
    assert "JSON nested deeper than" in lines[0]["error"]
