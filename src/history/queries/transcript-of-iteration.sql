-- $1 execution_uid, $2 iteration. The turns in order.
SELECT execution_uid AS "executionUid", iteration, seq, role, content, content_truncated AS "contentTruncated",
       tokens_in AS "tokensIn", tokens_out AS "tokensOut", model, provider, cost_usd AS "costUsd", created_at AS "createdAt"
FROM transcripts
WHERE execution_uid = $1 AND iteration = $2
ORDER BY seq
