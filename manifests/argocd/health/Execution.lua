-- Execution (aegis.dev): a run. Succeeded → Healthy; Failed or Cancelled → Degraded; Pending,
-- Running, Validating, Refining → Progressing. A Workflow run waiting in a Human state reports
-- Ready=False with reason WaitingForApproval and is Suspended until someone answers. A run whose
-- spec cannot work (InvalidSpec, AgentNotFound) is Degraded; AgentNotReady only waits.
return assess(obj, {
  degraded = { InvalidSpec = true, AgentNotFound = true },
  suspended = { WaitingForApproval = true },
  phases = {
    Pending = "Progressing", Running = "Progressing", Validating = "Progressing", Refining = "Progressing",
    Succeeded = "Healthy", Failed = "Degraded", Cancelled = "Degraded",
  },
})
