// The admin area (placeholder until its screens land).
import type { AdminSection } from "../router";
import { useTitle } from "../use-title";

export function AdminScreen({ section, id }: { section: AdminSection; id?: string }) {
  useTitle("Admin");
  return (
    <h1>
      Admin {section} {id}
    </h1>
  );
}
