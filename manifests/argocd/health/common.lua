-- Shared part of the aegis.dev health checks. hack/argocd/gen.ts puts it in front of each kind's
-- script (Agent.lua, …) to make the argocd-cm entries; it only defines locals, the kind's script
-- ends with `return assess(obj, {…})`.
--
-- Argo CD runs these with gopher-lua and only the base, table and package libraries (no string
-- library unless useOpenLibs is set), so nothing here calls string functions. Every field is
-- checked for its type before use: a script that errors leaves the resource Unknown.

local function result(status, message)
  return { status = status, message = message }
end

local function text(value)
  if type(value) == "string" and value ~= "" then
    return value
  end
  return nil
end

-- The condition of the given type in status.conditions, or nil.
local function condition(status, wanted)
  if type(status) ~= "table" or type(status.conditions) ~= "table" then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if type(c) == "table" and c.type == wanted then
      return c
    end
  end
  return nil
end

-- "Reason: message", or whichever of the two is set.
local function explain(c)
  local reason, message = text(c.reason), text(c.message)
  if reason and message then
    return reason .. ": " .. message
  end
  return reason or message or ""
end

local function generation(obj)
  if type(obj.metadata) == "table" and type(obj.metadata.generation) == "number" then
    return obj.metadata.generation
  end
  return nil
end

-- Progressing while the controller has not reported on the current spec, else nil.
local function unobserved(obj)
  local status = obj.status
  if type(status) ~= "table" then
    return result("Progressing", "Waiting for the controller to report status")
  end
  local wanted = generation(obj)
  if wanted == nil then
    return nil
  end
  local observed = status.observedGeneration
  if type(observed) ~= "number" or observed < wanted then
    return result("Progressing", "Waiting for the controller to observe generation " .. tostring(wanted))
  end
  return nil
end

-- kind: {
--   check(status)  optional, may return a result before anything else is looked at;
--   degraded       Ready=False reasons that need a change by someone (configuration, terminal);
--   suspended      Ready=False reasons that wait for a human;
--   phases         status.phase → health, looked at before Ready=True.
-- }
local function assess(obj, kind)
  local pending = unobserved(obj)
  if pending ~= nil then
    return pending
  end
  local status = obj.status
  if kind.check ~= nil then
    local checked = kind.check(status)
    if checked ~= nil then
      return checked
    end
  end
  local ready = condition(status, "Ready")
  local wanted = generation(obj)
  if ready ~= nil and wanted ~= nil and type(ready.observedGeneration) == "number" and ready.observedGeneration < wanted then
    return result("Progressing", "Waiting for the Ready condition of generation " .. tostring(wanted))
  end
  local reason = ready ~= nil and ready.status == "False" and text(ready.reason) or nil
  if reason ~= nil and kind.degraded ~= nil and kind.degraded[reason] then
    return result("Degraded", explain(ready))
  end
  if reason ~= nil and kind.suspended ~= nil and kind.suspended[reason] then
    return result("Suspended", explain(ready))
  end
  local phase = text(status.phase)
  local health = phase ~= nil and kind.phases ~= nil and kind.phases[phase] or nil
  if health ~= nil then
    local detail = text(status.message) or (ready ~= nil and text(ready.message)) or nil
    if detail ~= nil then
      return result(health, phase .. ": " .. detail)
    end
    return result(health, phase)
  end
  if ready == nil then
    return result("Progressing", "Waiting for the Ready condition")
  end
  if ready.status == "True" then
    return result("Healthy", explain(ready))
  end
  return result("Progressing", explain(ready))
end
