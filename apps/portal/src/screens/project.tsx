// One project (placeholder until its screen lands).
import { useTitle } from "../use-title";

export function ProjectScreen({ id }: { id: string }) {
  useTitle("Project");
  return <h1>Project {id}</h1>;
}
