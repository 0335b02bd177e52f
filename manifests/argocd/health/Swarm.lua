-- Swarm (aegis.dev): a group of cooperating Executions. Pending and Dissolving → Progressing;
-- Active → Healthy; Dissolved → Healthy (it ended as designed) unless it was dissolved for a
-- SecurityViolation, which is Degraded.
return assess(obj, {
  check = function(status)
    if status.dissolveReason == "SecurityViolation" then
      return result("Degraded", "Dissolved: SecurityViolation")
    end
    return nil
  end,
  degraded = { InvalidSpec = true },
  phases = { Pending = "Progressing", Active = "Healthy", Dissolving = "Progressing", Dissolved = "Healthy" },
})
