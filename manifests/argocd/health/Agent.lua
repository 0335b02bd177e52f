-- Agent (aegis.dev): Healthy when Ready=True (every reference resolved, Executions may start).
-- Accepted=False (an inconsistent spec) and every Ready=False reason the controller reports are
-- Degraded: each names something a person has to create or fix (controllers/agent/reasons.ts).
return assess(obj, {
  check = function(status)
    local accepted = condition(status, "Accepted")
    if accepted ~= nil and accepted.status == "False" then
      return result("Degraded", explain(accepted))
    end
    return nil
  end,
  degraded = {
    InvalidSpec = true, InvalidRuntime = true, InvalidVolume = true, RegistryMissing = true,
    UnknownLanguageVersion = true, RegistryEntryInvalid = true, NoOrchestrator = true,
    ModelAliasUnknown = true, VolumeMissing = true, ToolServerUnknown = true, PlacementTagUnknown = true,
  },
})
