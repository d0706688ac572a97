// Usage (placeholder until its screen lands).
import { useTitle } from "../use-title";

export function UsageScreen() {
  useTitle("Usage");
  return <h1>Usage</h1>;
}
