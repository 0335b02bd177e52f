-- NodeConfig (aegis.dev): Healthy when Ready=True (nodes selected and labelled, providers usable).
-- Every Ready=False reason is Degraded: each is a configuration problem
-- (controllers/nodeconfig/reasons.ts).
return assess(obj, {
  degraded = {
    InvalidSpec = true, DuplicateModelAlias = true, NoProviders = true,
    ProviderSecretMissing = true, ProviderSecretKeyMissing = true, ProviderSecretUnreadable = true,
    NoNodesMatched = true,
  },
})
