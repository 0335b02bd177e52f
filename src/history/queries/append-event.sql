-- $1 id, $2 execution_uid, $3 namespace, $4 name, $5 iteration, $6 type, $7 payload,
-- $8 payload_truncated, $9 occurred_at. Returns a row only when the event is new.
INSERT INTO domain_events (id, execution_uid, namespace, name, iteration, type, payload, payload_truncated, occurred_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (id) DO NOTHING
RETURNING id
