-- $1 execution_uid. Token and cost totals over every iteration (float8 so pg returns numbers).
SELECT COALESCE(SUM(tokens_in), 0)::float8 AS "tokensIn",
       COALESCE(SUM(tokens_out), 0)::float8 AS "tokensOut",
       COALESCE(SUM(cost_usd), 0)::float8 AS "costUsd",
       COUNT(*)::float8 AS turns,
       (SELECT COUNT(*) FROM tool_calls WHERE execution_uid = $1)::float8 AS "toolCalls"
FROM transcripts
WHERE execution_uid = $1
