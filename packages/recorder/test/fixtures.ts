// Fixture pages served on loopback for the browser tests and the benchmark.

export interface FixtureContext {
  closedPort: number;
  query: URLSearchParams;
}

export interface FixtureRoute {
  type: string;
  status?: number;
  body: string | ((context: FixtureContext) => string);
}

/** The buttons of /fixture: where to click (viewport CSS px, inside every preset) and the selector expected. */
export const FIXTURE_CLICKS = [
  { x: 80, y: 40, element: "#save", text: "Save" },
  { x: 60, y: 114, element: "section > div > button:nth-of-type(1)", text: "One" },
  { x: 200, y: 110, element: "button:nth-of-type(2)", text: "Two" },
  { x: 50, y: 200, element: '[data-testid="cancel-btn"]', text: "Cancel" },
] as const;

/** What /fixture logs, in order (the uncaught exception comes from a timer). */
export const FIXTURE_CONSOLE = [
  { type: "log", message: 'fixture log 42 {a: 1} ["x", 2]' },
  { type: "warning", message: "fixture warn" },
  { type: "error", message: "fixture error" },
  { type: "info", message: "fixture fetches done" },
] as const;

const fixturePage = ({ closedPort }: FixtureContext): string => `<!doctype html>
<html><head><meta charset="utf-8"><title>Recorder fixture</title>
<link rel="icon" href="data:,">
<style>
  html, body { margin: 0; font: 14px sans-serif; }
  button { position: absolute; width: 120px; height: 40px; }
</style></head>
<body>
  <div class="toolbar"><button id="save" style="left: 20px; top: 20px">Save</button></div>
  <main><section><div class="row">
    <button class="btn primary" style="left: 20px; top: 100px">One</button>
    <button class="btn" style="left: 160px; top: 100px">Two</button>
  </div></section></main>
  <button data-testid="cancel-btn" style="left: 20px; top: 180px">Cancel</button>
  <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">
  <script>
    // What the page itself saw, to compare with what the recorder reports.
    window.fixtureClicks = [];
    addEventListener("click", (e) => fixtureClicks.push({ x: e.clientX, y: e.clientY, text: e.target.textContent }), true);
    console.log("fixture log", 42, { a: 1 }, ["x", 2]);
    console.warn("fixture warn");
    console.error("fixture error");
    setTimeout(() => { throw new Error("fixture boom"); }, 0);
    Promise.allSettled([
      fetch("/api/ok"),
      fetch("/api/missing"),
      fetch("http://127.0.0.1:${closedPort}/refused"),
    ]).then(() => console.info("fixture fetches done"));
  </script>
</body></html>`;

const tallPage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<style>html, body { margin: 0 } .a { height: 5000px; background: rgb(255, 0, 0) } .b { height: 5000px; background: rgb(0, 255, 0) }</style>
</head><body><div class="a"></div><div class="b"></div></body></html>`;

const slowFetchPage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>
<body><script>fetch("/api/slow").catch(() => {}); console.log("slow fetch started");</script></body></html>`;

const BENCH_ASSETS = 4;

const benchPage = `<!doctype html><html><head><meta charset="utf-8"><title>Bench</title>
<link rel="icon" href="data:,"><link rel="stylesheet" href="/bench/style.css">
${Array.from({ length: BENCH_ASSETS }, (_, i) => `<script src="/bench/script-${i}.js"></script>`).join("\n")}
</head><body><h1>Bench page</h1>
${Array.from({ length: BENCH_ASSETS }, (_, i) => `<img src="/bench/image-${i}.svg" width="200" height="120" alt="">`).join("\n")}
<p>${"Lorem ipsum dolor sit amet. ".repeat(200)}</p>
</body></html>`;

const benchScript = (i: number): string =>
  `(function () { let s = 0; for (let j = 0; j < 20000; j++) s += j % ${i + 3}; console.log("bench script ${i}", s); })();`;

const benchImage = (i: number): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120"><rect width="200" height="120" fill="hsl(${i * 80}, 70%, 50%)"/><text x="20" y="60">${i}</text></svg>`;

/** A page that repaints every frame: a moving box and a changing background. */
const animPage = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<style>html, body { margin: 0; height: 100% } #box { position: absolute; width: 80px; height: 80px; background: #234 }</style>
</head><body><div id="box"></div><script>
  const box = document.getElementById("box");
  function frame(t) {
    box.style.transform = "translate(" + (Math.sin(t / 400) * 0.4 + 0.5) * (innerWidth - 80) + "px," + (Math.cos(t / 300) * 0.4 + 0.5) * (innerHeight - 80) + "px)";
    document.body.style.background = "hsl(" + Math.round(t / 10) % 360 + ", 60%, 80%)";
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
</script></body></html>`;

export const FIXTURE_ROUTES: Record<string, FixtureRoute | undefined> = {
  "/fixture": { type: "text/html; charset=utf-8", body: fixturePage },
  "/api/ok": { type: "application/json", body: '{"ok":true}' },
  "/api/missing": { type: "application/json", status: 404, body: '{"error":"missing"}' },
  "/tall": { type: "text/html; charset=utf-8", body: tallPage },
  "/slow-fetch": { type: "text/html; charset=utf-8", body: slowFetchPage },
  "/bench": { type: "text/html; charset=utf-8", body: benchPage },
  "/bench/style.css": {
    type: "text/css",
    body: "body { font: 16px serif; color: #222 } img { margin: 4px }",
  },
  "/anim": { type: "text/html; charset=utf-8", body: animPage },
  ...Object.fromEntries(
    Array.from({ length: BENCH_ASSETS }, (_, i): [string, FixtureRoute][] => [
      [`/bench/script-${i}.js`, { type: "text/javascript", body: benchScript(i) }],
      [`/bench/image-${i}.svg`, { type: "image/svg+xml", body: benchImage(i) }],
    ]).flat(),
  ),
};
