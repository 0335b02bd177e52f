import { describe, expect, it } from "vitest";
import { decideCertificates, renewalTime } from "./decide.ts";
import type { CertificateFacts } from "./issue.ts";

const DAY = 86_400_000;
const start = new Date("2026-01-01T00:00:00Z");
const at = (days: number) => new Date(start.getTime() + days * DAY);
const facts: CertificateFacts = {
  caNotBefore: start, caNotAfter: at(90), notBefore: start, notAfter: at(90), hosts: ["svc", "127.0.0.1"], signedByCa: true,
};

describe("decideCertificates", () => {
  it("creates when there is no Secret", () => {
    expect(decideCertificates(false, undefined, ["svc"], at(1))).toEqual({ action: "create" });
  });

  it("keeps valid certificates until a third of the lifetime is left", () => {
    expect(decideCertificates(true, facts, ["svc"], at(59))).toEqual({ action: "keep", rotateAt: at(60) });
    expect(decideCertificates(true, facts, ["svc"], at(60)).action).toBe("rotate");
  });

  it("rotates when the CA expires first", () => {
    expect(decideCertificates(true, { ...facts, caNotAfter: at(30) }, ["svc"], at(21)).action).toBe("rotate");
  });

  it.each([
    { why: "unreadable", f: undefined, text: "unreadable" },
    { why: "not signed by the CA", f: { ...facts, signedByCa: false }, text: "not signed" },
    { why: "missing a host", f: { ...facts, hosts: ["127.0.0.1"] }, text: "does not name svc" },
    { why: "not valid yet", f: { ...facts, notBefore: at(2) }, text: "not valid yet" },
  ])("rotates certificates that are $why", ({ f, text }) => {
    const decision = decideCertificates(true, f, ["svc"], at(1));
    expect(decision.action).toBe("rotate");
    expect(decision.action === "rotate" && decision.reason).toContain(text);
  });

  it("renews at two thirds of the lifetime", () => {
    expect(renewalTime(at(0), at(3))).toEqual(at(2));
  });
});
