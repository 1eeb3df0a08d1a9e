"""An independent reading of an oncourse SQLite store, for crates/oncourse-store/tests/independent_reader.rs.

Uses Python's sqlite3 module (the system libsqlite3, not the SQLite bundled in sqlx) and computes
"the facts as known at T" its own way: walk each fact's chain of versions in log order, keep the
last one recorded by T, drop the fact if that version is a retraction. It also reports the file's
journal mode and what the database answers to an UPDATE and a DELETE of an event.

Usage: python3 as_of_reference.py DB_PATH PATIENT_ID AS_OF...   (prints JSON)
"""
import json
import sqlite3
import sys


def facts_as_of(rows, as_of):
    latest = {}
    for row in rows:  # rows are in log (seq) order
        if row["recorded_at"] <= as_of:
            latest[row["fact_id"]] = row
    heads = [r for r in latest.values() if r["action"] != "retract"]
    heads.sort(key=lambda r: (r["valid_time"], r["seq"]))
    return [r["event_id"] for r in heads]


def refused(connection, sql):
    try:
        connection.execute(sql)
        connection.rollback()
        return None
    except sqlite3.DatabaseError as error:
        return str(error)


def main():
    path, patient_id, *times = sys.argv[1:]
    connection = sqlite3.connect(path)
    connection.row_factory = sqlite3.Row
    rows = connection.execute(
        "SELECT seq, event_id, fact_id, action, valid_time, recorded_at FROM events "
        "WHERE patient_id = ? ORDER BY seq",
        (patient_id,),
    ).fetchall()
    print(json.dumps({
        "journal_mode": connection.execute("PRAGMA journal_mode").fetchone()[0],
        "as_of": {t: facts_as_of(rows, t) for t in times},
        "update_refused": refused(connection, "UPDATE events SET reason = 'changed'"),
        "delete_refused": refused(connection, "DELETE FROM events"),
    }))


main()
