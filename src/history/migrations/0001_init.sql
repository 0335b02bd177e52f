-- History of executions: everything that grows (docs/history.md describes every column).
-- Sizes are bounded by the writer (src/history/bound.ts); *_truncated says a value was cut.

CREATE TABLE domain_events (
  id                 uuid        PRIMARY KEY,          -- deterministic, given by the caller (ids.ts)
  execution_uid      text        NOT NULL,
  namespace          text        NOT NULL,
  name               text        NOT NULL,             -- the Execution's name
  iteration          integer     NOT NULL CHECK (iteration >= 0),
  type               text        NOT NULL,
  payload            jsonb       NOT NULL DEFAULT '{}'::jsonb,
  payload_truncated  boolean     NOT NULL DEFAULT false,
  occurred_at        timestamptz NOT NULL,
  recorded_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX domain_events_by_execution ON domain_events (execution_uid, occurred_at, id);

CREATE TABLE transcripts (
  execution_uid      text        NOT NULL,
  iteration          integer     NOT NULL CHECK (iteration >= 0),
  seq                integer     NOT NULL CHECK (seq >= 0),  -- order of the turn in the iteration
  role               text        NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content            jsonb       NOT NULL,
  content_truncated  boolean     NOT NULL DEFAULT false,
  tokens_in          integer     NOT NULL DEFAULT 0 CHECK (tokens_in >= 0),
  tokens_out         integer     NOT NULL DEFAULT 0 CHECK (tokens_out >= 0),
  model              text,
  provider           text,
  cost_usd           double precision NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  created_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_uid, iteration, seq)
);

CREATE TABLE tool_calls (
  id                   uuid        NOT NULL UNIQUE,     -- derived from the natural key (ids.ts)
  execution_uid        text        NOT NULL,
  iteration            integer     NOT NULL CHECK (iteration >= 0),
  seq                  integer     NOT NULL CHECK (seq >= 0),
  tool_name            text        NOT NULL,
  arguments            jsonb       NOT NULL DEFAULT '{}'::jsonb,
  arguments_truncated  boolean     NOT NULL DEFAULT false,
  decision             text        NOT NULL CHECK (decision IN ('allow', 'deny')),
  policy_revision      text,
  result_summary       text,
  error                text,
  text_truncated       boolean     NOT NULL DEFAULT false,  -- result_summary or error was cut
  duration_ms          integer     CHECK (duration_ms >= 0),
  started_at           timestamptz NOT NULL,
  finished_at          timestamptz,
  recorded_at          timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (execution_uid, iteration, seq)
);
