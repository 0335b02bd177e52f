-- $1 id, $2 execution_uid, $3 iteration, $4 seq, $5 tool_name, $6 arguments, $7 arguments_truncated,
-- $8 decision, $9 policy_revision, $10 result_summary, $11 error, $12 text_truncated,
-- $13 duration_ms, $14 started_at, $15 finished_at. Returns a row only when new.
-- No conflict target: id (derived from the natural key) and (execution_uid, iteration, seq) are
-- both unique, and a concurrent retry may hit either first; both mean "already recorded".
INSERT INTO tool_calls (id, execution_uid, iteration, seq, tool_name, arguments, arguments_truncated, decision,
                        policy_revision, result_summary, error, text_truncated, duration_ms, started_at, finished_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
ON CONFLICT DO NOTHING
RETURNING id
