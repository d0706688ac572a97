// Billing (placeholder until its screen lands).
import { useTitle } from "../use-title";

export function BillingScreen() {
  useTitle("Billing");
  return <h1>Billing</h1>;
}
