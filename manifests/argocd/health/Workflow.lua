-- Workflow (aegis.dev): a state machine definition. Degraded while status.missingAgents names
-- Agents that do not exist or Ready=False says the spec is invalid; Healthy when Ready=True.
return assess(obj, {
  check = function(status)
    if type(status.missingAgents) ~= "table" then
      return nil
    end
    local names = {}
    for _, name in ipairs(status.missingAgents) do
      if type(name) == "string" then
        names[#names + 1] = name
      end
    end
    if #names > 0 then
      return result("Degraded", "Agents not found: " .. table.concat(names, ", "))
    end
    return nil
  end,
  degraded = { InvalidSpec = true },
})
