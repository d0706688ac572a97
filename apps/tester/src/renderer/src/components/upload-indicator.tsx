// Background uploads at a glance: how much of the recordings is still on its way to the server.
import { useQuery } from "@tanstack/react-query";

import { getBridge } from "../bridge";
import { formatBytes } from "../format";

export function UploadIndicator() {
  const uploads = useQuery({
    queryKey: ["uploads"],
    queryFn: () => getBridge().uploadStatus(),
    refetchInterval: 1_000,
    staleTime: 0,
  });
  const items = uploads.data ?? [];
  const open = items.filter((item) => item.state !== "done");
  if (open.length === 0) {
    return (
      <span className="uploads idle" role="status">
        {items.length > 0 ? "Recordings uploaded" : ""}
      </span>
    );
  }
  const failed = open.filter((item) => item.state === "failed");
  const total = open.reduce((sum, item) => sum + item.bytes, 0);
  const sent = open.reduce((sum, item) => sum + item.uploadedBytes, 0);
  const retrying = open.some((item) => item.state === "retrying");
  return (
    <span
      className={`uploads${failed.length ? " failed" : ""}`}
      role="status"
      title={failed.map((f) => f.error).join("\n")}
    >
      {failed.length > 0
        ? `${failed.length} upload${failed.length === 1 ? "" : "s"} failed`
        : `${retrying ? "Waiting for the server · " : "Uploading · "}${formatBytes(sent)} of ${formatBytes(total)}`}
    </span>
  );
}
