-- Volume (aegis.dev): Creating and Deleting → Progressing; Available, Attached and Detached →
-- Healthy (usable); Failed → Degraded.
return assess(obj, {
  degraded = { InvalidSpec = true },
  phases = {
    Creating = "Progressing", Deleting = "Progressing",
    Available = "Healthy", Attached = "Healthy", Detached = "Healthy",
    Failed = "Degraded",
  },
})
