-- Truce server schema, version 2: the monitoring of an agreed negotiation. Portable SQL, as 0001.

-- The event log of an agreement reached live: one observation a row, as the monitors recorded it on
-- the monitoring page, numbered per negotiation from 0 and never changed. `record` is the row as an
-- event log writes it (JSON: date, commitment, quantity, unit, actor, place, source, quote, note);
-- `source` is the source the monitor named with it (the model's JSON), when it added one to the
-- record's sources. Each is stored in the transaction that appends its `observation` event to
-- `events`, so that the record says when and by whom, and the event streams wake.
CREATE TABLE observations (
    negotiation_id TEXT NOT NULL REFERENCES negotiations (id),
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    author TEXT NOT NULL,
    record TEXT NOT NULL,
    source TEXT,
    PRIMARY KEY (negotiation_id, seq)
);
