"""The book's SQLite schema: one file, its own application_id, a schema version in user_version.

Scenario 0 is the baseline (the book itself); every input table is keyed by scenario so a
scenario stores only what differs from its parent.
"""

from __future__ import annotations

#: PRAGMA application_id of a pcbudget book ('PCBK' in ASCII).
APPLICATION_ID = 0x5043424B
#: PRAGMA user_version written by this release; older books are migrated, newer refused.
SCHEMA_VERSION = 6

BASELINE_ID = 0
#: How a line's amount is found; `allocation_share` is a share of its budget type's allocation
#: (a contingency, e.g. 0.5%), its rate the share.
BASES = ("entered", "per_head", "uplift", "balance", "left_shift", "allocation_share")
#: Bases whose amount is a rate a year times a unit (a head, a bed, a point, £1 of allocation).
RATED_BASES = ("per_head", "allocation_share")
#: What a per-head line is paid on: patients on three lists, care home beds (per bed), or QOF
#: points achieved (per point).
MEASURES = ("registered", "weighted", "adjusted", "care_home_beds", "qof_points")

DDL = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE years (
    idx   INTEGER PRIMARY KEY,
    label TEXT NOT NULL UNIQUE
);
CREATE TABLE orgs (
    id        INTEGER PRIMARY KEY,
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    parent_id INTEGER REFERENCES orgs(id),
    sort      INTEGER NOT NULL,
    note      TEXT
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE TABLE sections (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL
);
CREATE TABLE budget_types (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL
);
CREATE TABLE lines (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    section     TEXT NOT NULL REFERENCES sections(code),
    name        TEXT NOT NULL,
    budget_type TEXT NOT NULL REFERENCES budget_types(code),
    level       TEXT NOT NULL,
    basis       TEXT NOT NULL
                CHECK (basis IN ('entered', 'per_head', 'uplift', 'balance', 'left_shift',
                                 'allocation_share')),
    measure     TEXT CHECK (measure IN ('registered', 'weighted', 'adjusted', 'care_home_beds',
                                        'qof_points')),
    sort        INTEGER NOT NULL,
    note        TEXT,
    CHECK ((basis = 'per_head') = (measure IS NOT NULL))
);
CREATE TABLE scenarios (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    parent_id   INTEGER REFERENCES scenarios(id),
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE amounts (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    line_id     INTEGER NOT NULL REFERENCES lines(id),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    pence       INTEGER,          -- NULL in a scenario: "calculated here" over a parent's value
    note        TEXT,
    PRIMARY KEY (scenario_id, org_id, line_id, year_idx)
) WITHOUT ROWID;
CREATE TABLE rates (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    line_id     INTEGER NOT NULL REFERENCES lines(id),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    rate        TEXT NOT NULL,    -- the published decimal text, e.g. '0.5143'
    months      REAL NOT NULL CHECK (months >= 0 AND months <= 12),
    source      TEXT,
    confidence  TEXT,
    PRIMARY KEY (scenario_id, line_id, year_idx)
) WITHOUT ROWID;
CREATE TABLE uplifts (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    line_id     INTEGER NOT NULL REFERENCES lines(id),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    pct         TEXT NOT NULL,    -- a fraction as decimal text: '0.0445' is +4.45%
    note        TEXT,
    PRIMARY KEY (scenario_id, line_id, year_idx)
) WITHOUT ROWID;
CREATE TABLE populations (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    measure     TEXT NOT NULL
                CHECK (measure IN ('registered', 'weighted', 'adjusted', 'care_home_beds',
                                   'qof_points')),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    value       REAL NOT NULL CHECK (value >= 0),
    note        TEXT,
    PRIMARY KEY (scenario_id, org_id, measure, year_idx)
) WITHOUT ROWID;
CREATE TABLE growth (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    org_id      INTEGER NOT NULL,  -- 0: book-wide default
    measure     TEXT NOT NULL
                CHECK (measure IN ('registered', 'weighted', 'adjusted', 'care_home_beds',
                                   'qof_points')),
    pct         TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (scenario_id, org_id, measure)
) WITHOUT ROWID;
CREATE TABLE allocations (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    budget_type TEXT NOT NULL REFERENCES budget_types(code),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    pence       INTEGER NOT NULL,
    note        TEXT,
    PRIMARY KEY (scenario_id, org_id, budget_type, year_idx)
) WITHOUT ROWID;
CREATE TABLE leftshift (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    key         TEXT NOT NULL,    -- 'mode', 'op_first.reduction', 'phasing.2021/22', ...
    value       TEXT NOT NULL,
    note        TEXT,
    PRIMARY KEY (scenario_id, org_id, key)
) WITHOUT ROWID;
CREATE TABLE change_log (
    id        INTEGER PRIMARY KEY,
    batch     INTEGER NOT NULL,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    host      TEXT NOT NULL,
    scenario  TEXT NOT NULL,
    target    TEXT NOT NULL,
    old       TEXT,
    new       TEXT,
    note      TEXT,
    data      TEXT,             -- JSON {kind, key, old, new}: the rows, so versions can be rebuilt
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE INDEX change_log_batch ON change_log(batch);
CREATE TABLE versions (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    change_id INTEGER NOT NULL,
    at        TEXT NOT NULL,
    user      TEXT NOT NULL,
    note      TEXT
);
CREATE TABLE undo_steps (
    batch INTEGER PRIMARY KEY,  -- the change-log batch the step wrote
    label TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('done', 'undone'))
);
CREATE TABLE line_types (
    line_id     INTEGER NOT NULL REFERENCES lines(id),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    budget_type TEXT NOT NULL REFERENCES budget_types(code),  -- where it differs from the line's
    PRIMARY KEY (line_id, year_idx)
) WITHOUT ROWID;
CREATE TABLE phasing (
    scenario_id INTEGER NOT NULL REFERENCES scenarios(id),
    line_id     INTEGER NOT NULL REFERENCES lines(id),
    year_idx    INTEGER NOT NULL REFERENCES years(idx),
    profile     TEXT NOT NULL,    -- 'even', 'actuals' (last year's shape) or 12 weights 'w1,...'
    method      TEXT NOT NULL CHECK (method IN ('phased', 'run_rate')),  -- forecast outturn
    note        TEXT,
    PRIMARY KEY (scenario_id, line_id, year_idx)
) WITHOUT ROWID;
CREATE TABLE actuals (
    org_id   INTEGER NOT NULL REFERENCES orgs(id),
    line_id  INTEGER NOT NULL REFERENCES lines(id),
    year_idx INTEGER NOT NULL,       -- may lie before the plan's first year (last year's shape)
    m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER, m5 INTEGER, m6 INTEGER,  -- pence, M1 = April
    m7 INTEGER, m8 INTEGER, m9 INTEGER, m10 INTEGER, m11 INTEGER, m12 INTEGER,  -- NULL: none
    source   TEXT,
    PRIMARY KEY (org_id, line_id, year_idx)
) WITHOUT ROWID;
CREATE TABLE org_codes (
    code   TEXT PRIMARY KEY COLLATE NOCASE,  -- another code the organisation answers to (ODS)
    org_id INTEGER NOT NULL REFERENCES orgs(id)
);
CREATE TABLE org_moves (
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    year_idx  INTEGER NOT NULL REFERENCES years(idx),  -- never the first year: orgs.parent_id is
    parent_id INTEGER REFERENCES orgs(id),              -- the parent from that year (NULL: closed)
    PRIMARY KEY (org_id, year_idx)
) WITHOUT ROWID;
"""

#: Tables every book of this schema has; a file missing one is damaged.
TABLES = (
    "meta",
    "years",
    "orgs",
    "sections",
    "budget_types",
    "lines",
    "scenarios",
    "amounts",
    "rates",
    "uplifts",
    "populations",
    "growth",
    "allocations",
    "leftshift",
    "change_log",
    "versions",
    "undo_steps",
    "org_codes",
    "line_types",
    "phasing",
    "actuals",
    "org_moves",
)

#: The schema version that first had each table added since schema 1 (see migrate.py).
TABLE_SINCE = {
    "leftshift": 2,
    "undo_steps": 3,
    "org_codes": 4,
    "line_types": 5,
    "phasing": 5,
    "actuals": 5,
    "org_moves": 6,
}
