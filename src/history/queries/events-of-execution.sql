-- $1 execution_uid. In the order they happened (id breaks ties so the order is stable).
SELECT id, execution_uid AS "executionUid", namespace, name, iteration, type, payload,
       payload_truncated AS "payloadTruncated", occurred_at AS "occurredAt", recorded_at AS "recordedAt"
FROM domain_events
WHERE execution_uid = $1
ORDER BY occurred_at, id
