-- $1 execution_uid, $2 iteration, $3 seq, $4 role, $5 content, $6 content_truncated,
-- $7 tokens_in, $8 tokens_out, $9 model, $10 provider, $11 cost_usd. Returns a row only when new.
INSERT INTO transcripts (execution_uid, iteration, seq, role, content, content_truncated, tokens_in, tokens_out, model, provider, cost_usd)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
ON CONFLICT (execution_uid, iteration, seq) DO NOTHING
RETURNING seq
