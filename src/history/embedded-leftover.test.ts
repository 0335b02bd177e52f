import { describe, expect, it } from "vitest";
import { parsePostmasterPid } from "./embedded-leftover.ts";

describe("parsePostmasterPid", () => {
  it.each([
    { reason: "a running server's file", text: "4242\n/tmp/h/postgres/data\n1700000000\n54321\n\n127.0.0.1\n  5432001 0\nready   \n", want: { pid: 4242, port: 54321 } },
    { reason: "an empty file", text: "", want: null },
    { reason: "garbage", text: "not a pid\n", want: null },
    { reason: "a file cut after the pid", text: "17\n", want: { pid: 17, port: 0 } },
  ])("reads $reason", ({ text, want }) => {
    expect(parsePostmasterPid(text)).toEqual(want);
  });
});
