-- $1 execution_uid, $2 iteration. The calls in order.
SELECT id, execution_uid AS "executionUid", iteration, seq, tool_name AS "toolName", arguments,
       arguments_truncated AS "argumentsTruncated", decision, policy_revision AS "policyRevision",
       result_summary AS "resultSummary", error, text_truncated AS "textTruncated", duration_ms AS "durationMs",
       started_at AS "startedAt", finished_at AS "finishedAt", recorded_at AS "recordedAt"
FROM tool_calls
WHERE execution_uid = $1 AND iteration = $2
ORDER BY seq
