import { describe, expect, it } from "vitest";

import { assertPublicWebhookUrl, isPrivateAddress, type HostResolver } from "./url-guard";

const resolver =
  (table: Record<string, string[]>): HostResolver =>
  (hostname) => {
    const found = table[hostname];
    return found ? Promise.resolve(found) : Promise.reject(new Error("ENOTFOUND"));
  };

describe("isPrivateAddress", () => {
  it.each([
    "127.0.0.1",
    "127.1.2.3",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:7f00:1",
    "64:ff9b::a9fe:a9fe",
  ])("refuses %s", (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });
  it.each(["93.184.216.34", "8.8.8.8", "172.32.0.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"])(
    "allows %s",
    (address) => {
      expect(isPrivateAddress(address)).toBe(false);
    },
  );
});

describe("assertPublicWebhookUrl", () => {
  const dns = resolver({
    "hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
    "sneaky.example.com": ["93.184.216.34", "10.0.0.5"],
    "v6local.example.com": ["fd00::5"],
  });

  it("allows anything http(s) in development", async () => {
    await expect(
      assertPublicWebhookUrl("http://127.0.0.1:9999/hook", "development", dns),
    ).resolves.toBeInstanceOf(URL);
    await expect(assertPublicWebhookUrl("http://localhost/hook", "development", dns)).resolves.toBeInstanceOf(
      URL,
    );
  });

  it("refuses non-http schemes and junk in every mode", async () => {
    for (const mode of ["development", "production"] as const) {
      await expect(assertPublicWebhookUrl("ftp://hooks.example.com/", mode, dns)).rejects.toMatchObject({
        code: "VALIDATION",
      });
      await expect(assertPublicWebhookUrl("not a url", mode, dns)).rejects.toMatchObject({
        code: "VALIDATION",
      });
    }
  });

  it("refuses private targets in production, directly or through DNS", async () => {
    for (const url of [
      "http://127.0.0.1/hook",
      "http://localhost:8080/hook",
      "http://api.localhost/hook",
      "http://10.0.0.1/hook",
      "http://192.168.0.10/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://100.64.1.1/",
      "http://[::1]/hook",
      "http://[fd00::1]/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "https://sneaky.example.com/hook",
      "https://v6local.example.com/hook",
      "https://unknown.example.com/hook",
    ]) {
      await expect(assertPublicWebhookUrl(url, "production", dns), url).rejects.toMatchObject({
        code: "VALIDATION",
        message: expect.stringMatching(/^webhookUrl:/) as unknown,
      });
    }
  });

  it("allows public targets in production", async () => {
    await expect(
      assertPublicWebhookUrl("https://hooks.example.com/x", "production", dns),
    ).resolves.toMatchObject({
      hostname: "hooks.example.com",
    });
    await expect(assertPublicWebhookUrl("http://93.184.216.34/x", "production", dns)).resolves.toBeInstanceOf(
      URL,
    );
  });
});
