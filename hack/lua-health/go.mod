// Runs Argo CD health-check Lua scripts with the interpreter Argo CD embeds (gopher-lua), for the
// tests of manifests/argocd/. Built and cached by hack/lua-health/build.ts.
module aegis.dev/hack/lua-health

go 1.26.0

require github.com/yuin/gopher-lua v1.1.1
