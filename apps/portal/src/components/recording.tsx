// The job page's recording: per tester slot, the WebM video, the screenshots (a strip with a lightbox) and the
// timeline of clicks, console and network entries, synchronised with the video (click to seek; the playing entry is marked).
import { useQuery } from "@tanstack/react-query";
import { useEffect, useMemo, useRef, useState } from "react";

import { isTerminalJobStatus } from "@eyeball/core";

import type { JobView, Outputs } from "../api";
import { formatOffset, isExactSync, offsetOf, seekTime, shotTime, timelineStart } from "../timeline";
import { useApi } from "../session";
import { ErrorNote, Loading } from "./common";
import { RecordingTimeline } from "./recording-timeline";
import "./recording.css";

export type RecordingView = Outputs["jobs"]["recording"];
export type SlotRecordingView = RecordingView["slots"][number];

function hasContent(slot: SlotRecordingView): boolean {
  return (
    slot.video !== null ||
    slot.screenshots.length > 0 ||
    slot.consoleMessages.length > 0 ||
    slot.networkRequests.length > 0 ||
    slot.clicks.length > 0
  );
}

export function recordingKey(id: string, status: string) {
  return ["jobs", "recording", id, status] as const;
}

export function RecordingSection({ job }: { job: JobView }) {
  const api = useApi();
  // Keyed by status too: a slot's recording is uploaded while the job runs and complete once it is done.
  const recording = useQuery({
    queryKey: recordingKey(job.id, job.status),
    queryFn: () => api.jobs.recording.query({ id: job.id }),
    retry: false,
    placeholderData: (previous) => previous,
  });
  const slots = useMemo(() => (recording.data?.slots ?? []).filter(hasContent), [recording.data]);
  const [chosen, setChosen] = useState<string | null>(null);
  const current =
    slots.find((slot) => slot.assignmentId === chosen) ??
    slots.find((slot) => slot.assignmentId === recording.data?.representativeSlotId) ??
    slots[0];
  const running = !isTerminalJobStatus(job.status);

  return (
    <section className="card recording" aria-labelledby="recording-title">
      <div className="recording-head">
        <h2 id="recording-title">Recording</h2>
        {slots.length > 1 && (
          <div className="recording-slots" role="group" aria-label="Tester slot">
            {slots.map((slot) => {
              const info = job.slots.find((item) => item.id === slot.assignmentId);
              const label = info
                ? `Slot #${info.slotIndex + 1}${info.tester ? ` · ${info.tester.alias}` : ""}`
                : "Slot";
              return (
                <button
                  key={slot.assignmentId}
                  type="button"
                  className="small"
                  aria-pressed={slot === current}
                  onClick={() => {
                    setChosen(slot.assignmentId);
                  }}
                >
                  {label}
                </button>
              );
            })}
          </div>
        )}
      </div>
      {recording.isPending && <Loading label="Loading the recording…" />}
      {recording.error && <ErrorNote error={recording.error} onRetry={() => void recording.refetch()} />}
      {recording.data && !current && (
        <div className="empty recording-empty">
          <p className="empty-title">No recording yet</p>
          <p className="muted">
            {running
              ? "The tester’s video, screenshots and timeline appear here once they are uploaded."
              : "The tester recorded nothing for this job."}
          </p>
        </div>
      )}
      {current && <SlotRecording key={current.assignmentId} slot={current} job={job} />}
    </section>
  );
}

/** One slot's video, screenshots and timeline; `job` only lends its screen size (the admin's dispute page reuses it). */
export function SlotRecording({ slot, job }: { slot: SlotRecordingView; job: Pick<JobView, "screenSize"> }) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [videoError, setVideoError] = useState(false);
  // Offsets count from the video's frame 0 when the server knows it, else (older recordings) from the first entry.
  const start = useMemo(() => timelineStart(slot), [slot]);
  const width = slot.video?.width ?? job.screenSize.width;
  const height = slot.video?.height ?? job.screenSize.height;

  function seek(offset: number) {
    const video = videoRef.current;
    if (!video) return;
    video.currentTime = seekTime(offset, video.duration);
    setTime(video.currentTime);
  }

  return (
    <div className="recording-body">
      <div className="recording-media">
        {slot.video ? (
          <figure className="recording-video">
            <video
              ref={videoRef}
              controls
              preload="metadata"
              playsInline
              src={slot.video.url}
              aria-label={`Screen recording, ${width}×${height}`}
              style={{ aspectRatio: `${width} / ${height}` }}
              onTimeUpdate={(event) => {
                setTime(event.currentTarget.currentTime);
              }}
              onSeeked={(event) => {
                setTime(event.currentTarget.currentTime);
              }}
              onError={() => {
                setVideoError(true);
              }}
            >
              <track kind="captions" />
            </video>
            <figcaption className="muted small-text">
              Screen {width}×{height} · WebM ·{" "}
              <a href={slot.video.url} target="_blank" rel="noreferrer noopener">
                open the video
              </a>
            </figcaption>
            {!isExactSync(slot) && (
              <p className="muted small-text">
                This recording does not say when its video started: timeline times are counted from the first
                entry and may be a little off.
              </p>
            )}
            {videoError && (
              <p className="notice danger" role="alert">
                The video could not be loaded (its link may have expired): reload the page to get a fresh one.
              </p>
            )}
          </figure>
        ) : (
          <p className="recording-novideo muted">
            No video for this slot (screen {width}×{height}); the screenshots and the timeline are below.
          </p>
        )}
        <Screenshots screenshots={slot.screenshots} start={start} />
      </div>
      <RecordingTimeline
        recording={slot}
        start={start}
        time={time}
        canSeek={slot.video !== null}
        onSeek={seek}
      />
    </div>
  );
}

function Screenshots({
  screenshots,
  start,
}: {
  screenshots: SlotRecordingView["screenshots"];
  start: number;
}) {
  const [open, setOpen] = useState<number | null>(null);
  const dialogRef = useRef<HTMLDialogElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    if (open !== null && !dialog.open) dialog.showModal();
    if (open === null && dialog.open) dialog.close();
  }, [open]);

  if (screenshots.length === 0) return <p className="muted small-text">No screenshots.</p>;
  const label = (index: number) => {
    const shot = screenshots[index];
    const at = shot ? formatOffset(offsetOf(shotTime(shot), start)) : "";
    return `Screenshot ${index + 1} of ${screenshots.length}, at ${at}`;
  };
  const shown = open === null ? undefined : screenshots[open];

  return (
    <>
      <h3 className="recording-sub">Screenshots</h3>
      <ul className="recording-shots" aria-label="Screenshots">
        {screenshots.map((shot, index) => (
          <li key={shot.id}>
            <button
              type="button"
              className="recording-thumb"
              aria-label={`Open ${label(index)}`}
              onClick={(event) => {
                returnFocus.current = event.currentTarget;
                setOpen(index);
              }}
            >
              <img
                src={shot.url}
                alt={label(index)}
                loading="lazy"
                width={shot.width ?? undefined}
                height={shot.height ?? undefined}
              />
            </button>
          </li>
        ))}
      </ul>
      <dialog
        ref={dialogRef}
        className="recording-lightbox"
        aria-label={open === null ? "Screenshot" : label(open)}
        onClose={() => {
          setOpen(null);
          returnFocus.current?.focus();
        }}
        onClick={(event) => {
          // A click on the backdrop (the dialog itself, not its content) closes it.
          if (event.target === event.currentTarget) setOpen(null);
        }}
        onKeyDown={(event) => {
          if (open === null) return;
          if (event.key === "ArrowRight") setOpen((open + 1) % screenshots.length);
          if (event.key === "ArrowLeft") setOpen((open - 1 + screenshots.length) % screenshots.length);
        }}
      >
        {shown && open !== null && (
          <div className="recording-lightbox-body">
            <div className="recording-lightbox-bar">
              <span>{label(open)}</span>
              <button
                type="button"
                className="small"
                autoFocus
                onClick={() => {
                  setOpen(null);
                }}
              >
                Close
              </button>
            </div>
            <img src={shown.url} alt={label(open)} />
            {screenshots.length > 1 && (
              <p className="muted small-text">← → for the previous and next screenshot, Esc to close.</p>
            )}
          </div>
        )}
      </dialog>
    </>
  );
}
