-- The application schema of the example deployment, created in every DC's database at first start
-- (the postgres image runs files in /docker-entrypoint-initdb.d once, on an empty data directory).
-- Concord needs nothing here: `concord run` installs its own schema, publication and slot.

-- Last write wins: a concurrent update of an account keeps the later one (hybrid clock, then DC id).
CREATE TABLE accounts (
    id         bigint PRIMARY KEY,
    owner      text NOT NULL,
    balance    numeric(12, 2) NOT NULL DEFAULT 0,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Record: a concurrent update of an order is settled by a converging interim winner and kept in
-- concord.conflicts, for a person to look at (`SELECT * FROM concord.open_conflicts`).
CREATE TABLE orders (
    id         bigint PRIMARY KEY,
    account_id bigint NOT NULL,
    item       text NOT NULL,
    status     text NOT NULL DEFAULT 'new',
    updated_at timestamptz NOT NULL DEFAULT now()
);
