// Webhooks (placeholder until its screen lands).
import { useTitle } from "../use-title";

export function WebhooksScreen() {
  useTitle("Webhooks");
  return <h1>Webhooks</h1>;
}
