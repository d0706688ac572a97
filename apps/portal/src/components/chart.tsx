// A uPlot chart over evenly spaced buckets: sizes to its container, takes its colours from the CSS tokens, and is an image with a name (the numbers live in a table beside it).
import "uplot/dist/uPlot.min.css";

import { useEffect, useRef, useState } from "react";
import uPlot from "uplot";

/** A CSS colour token of styles.css (`--accent`, `--ok`, …). */
export type ColorToken = "--accent" | "--ok" | "--info" | "--warn" | "--danger" | "--muted";

export interface ChartSeries {
  label: string;
  values: (number | null)[];
  color: ColorToken;
  /** Bars for amounts, lines (with points) for counts and times. Default line. */
  kind?: "line" | "bars";
  dashed?: boolean;
}

export interface ChartProps {
  /** The accessible name: what the chart shows. */
  label: string;
  /** One label per bucket, shown along the x axis. */
  xLabels: string[];
  series: ChartSeries[];
  /** Formats a y axis value. */
  formatY: (value: number) => string;
  height?: number;
}

function token(name: string, fallback: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

/** Re-renders when the system switches light / dark, so the tokens are read again. */
function useColorScheme(): string {
  const [scheme, setScheme] = useState(() =>
    window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light",
  );
  useEffect(() => {
    const query = window.matchMedia("(prefers-color-scheme: dark)");
    const onChange = () => {
      setScheme(query.matches ? "dark" : "light");
    };
    query.addEventListener("change", onChange);
    return () => {
      query.removeEventListener("change", onChange);
    };
  }, []);
  return scheme;
}

export function Chart({ label, xLabels, series, formatY, height = 220 }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();

  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const text = token("--muted", "#5b6470");
    const grid = token("--line", "#dde1e6");
    const count = xLabels.length;
    const bars = uPlot.paths.bars?.({ size: [0.7, 48], align: 0 });
    const options: uPlot.Options = {
      width: Math.max(200, target.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 7 } },
      padding: [12, 12, 0, 4],
      scales: {
        x: { time: false, range: () => [-0.5, Math.max(0.5, count - 0.5)] },
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      axes: [
        {
          stroke: text,
          grid: { show: false },
          ticks: { stroke: grid },
          font: "12px system-ui, sans-serif",
          // Whole buckets only, spaced so labels never overlap at any width.
          incrs: [1, 2, 3, 7, 14, 28],
          space: 56,
          values: (_u, splits) => splits.map((i) => (Number.isInteger(i) ? (xLabels[i] ?? "") : "")),
        },
        {
          stroke: text,
          grid: { stroke: grid, width: 1 },
          ticks: { show: false },
          font: "12px system-ui, sans-serif",
          size: 64,
          values: (_u, splits) => splits.map((value) => formatY(value)),
        },
      ],
      series: [
        {},
        ...series.map((s): uPlot.Series => {
          const color = token(s.color, "#2f6fed");
          return s.kind === "bars"
            ? {
                label: s.label,
                stroke: color,
                fill: `color-mix(in srgb, ${color} 70%, transparent)`,
                width: 0,
                ...(bars ? { paths: bars } : {}),
                points: { show: false },
              }
            : {
                label: s.label,
                stroke: color,
                width: 2,
                ...(s.dashed ? { dash: [6, 4] } : {}),
                points: { show: true, size: 5, fill: color },
                spanGaps: false,
              };
        }),
      ],
    };
    const data: uPlot.AlignedData = [xLabels.map((_label, index) => index), ...series.map((s) => s.values)];
    const plot = new uPlot(options, data, target);
    const observer = new ResizeObserver(() => {
      plot.setSize({ width: Math.max(200, target.clientWidth), height });
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [xLabels, series, formatY, height, scheme]);

  return (
    <div className="chart">
      <div className="chart-canvas" ref={box} role="img" aria-label={label} />
      <ul className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <li key={s.label}>
            <span
              className={`chart-swatch${s.kind === "bars" ? " bar" : ""}${s.dashed ? " dashed" : ""}`}
              style={{ color: `var(${s.color})` }}
            />
            {s.label}
          </li>
        ))}
      </ul>
    </div>
  );
}
