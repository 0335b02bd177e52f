// SEAL security contexts (spec §6, seeded from NodeConfig in §7): named capability sets that the
// gateway checks every tool call against. First matching capability allows; default deny.
import { array, integer, map, object, string, stringSet, type Schema } from "./builders.ts";
import { duration, quantity } from "./common.ts";

const strings = (description: string, item: string, max: number): Schema =>
  stringSet(description, string(item, { maxLength: 1024 }), max);

const capability = object("Allows the tools matching toolPattern, within the constraints given.", {
  toolPattern: string("*, a prefix such as fs.*, or an exact tool name such as cmd.run.", { maxLength: 128, minLength: 1 }),
  pathAllowlist: strings("fs.* tools: path prefixes allowed, e.g. /workspace.", "A path prefix.", 32),
  commandAllowlist: strings("cmd.run: executables allowed, e.g. [python, pytest, git].", "An executable.", 64),
  subcommandAllowlist: map("cmd.run: allowed first arguments per command, e.g. {git: [status, diff, commit]}.",
    array("Allowed first arguments.", string("An argument.", { maxLength: 128 }), 32), 32),
  domainAllowlist: strings("web.* tools: domains allowed (suffix match on DNS labels), e.g. [pypi.org, github.com].", "A domain.", 64),
  rateLimit: object("Most calls per window.", {
    calls: integer("Calls allowed per window.", { minimum: 1 }),
    per: duration("The window, e.g. 1m."),
  }, { required: ["calls", "per"] }),
  maxResponseSize: quantity("Largest tool result returned to the model, e.g. 512Ki."),
  maxConcurrent: integer("cmd.run: most commands running at once.", { minimum: 1, maximum: 64 }),
}, { required: ["toolPattern"] });

export const securityContext = object("A named capability set. A tool call is allowed by the first capability matching it, unless denyList names the tool; otherwise denied.", {
  name: string("Context name: aegis-system-*, tenant-<slug>-* or zaru-*; Agents refer to it in spec.security.contextName.", {
    pattern: "^(aegis-system-|tenant-[a-z0-9]+-|zaru-)[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 128,
  }),
  description: string("What the context is for.", { maxLength: 1024 }),
  capabilities: array("Capabilities, tried in order; none means every call is denied.", capability, 32),
  denyList: strings("Tool names always denied, e.g. [cmd.run].", "A tool name.", 64),
}, { required: ["name"] });
