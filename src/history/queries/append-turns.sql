-- Several turns in one statement, each as append-turn.sql inserts one: $1..$11 are arrays of the
-- same length (execution_uid, iteration, seq, role, content as JSON text, content_truncated,
-- tokens_in, tokens_out, model, provider, cost_usd). Returns the seq of each row written now.
INSERT INTO transcripts (execution_uid, iteration, seq, role, content, content_truncated, tokens_in, tokens_out, model, provider, cost_usd)
SELECT t.execution_uid, t.iteration, t.seq, t.role, t.content::jsonb, t.content_truncated, t.tokens_in, t.tokens_out, t.model, t.provider, t.cost_usd
FROM unnest($1::text[], $2::integer[], $3::integer[], $4::text[], $5::text[], $6::boolean[], $7::integer[], $8::integer[], $9::text[], $10::text[], $11::double precision[])
  AS t(execution_uid, iteration, seq, role, content, content_truncated, tokens_in, tokens_out, model, provider, cost_usd)
ON CONFLICT (execution_uid, iteration, seq) DO NOTHING
RETURNING seq
