// Which Slack incoming-webhook URLs an organisation may save (the URL is the integrator's, so it is checked).
/** Slack webhook URLs that an organisation may save: https on hooks.slack.com in production, any http(s) in development. */
export function slackWebhookUrlProblem(url: string, mode: "development" | "production"): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be a URL";
  }
  if (url.length > 2000) return "must be at most 2000 characters";
  if (mode === "production") {
    if (parsed.protocol !== "https:" || parsed.hostname !== "hooks.slack.com") {
      return "must be an https://hooks.slack.com/… incoming webhook URL";
    }
    return null;
  }
  return parsed.protocol === "https:" || parsed.protocol === "http:" ? null : "must be an http(s) URL";
}
