// The script the recorder runs in its isolated world: reports the tester's clicks through a CDP binding.

/**
 * Source for `Page.addScriptToEvaluateOnNewDocument` / `Runtime.evaluate` in the recorder's isolated
 * world. It is a string, not a serialized function, so no bundler helper (`__name`, …) leaks into it.
 * The world shares the DOM with the page but not its globals: the page cannot see or replace the
 * binding, `JSON` or `CSS`. Clicks in child frames are not reported (their coordinates are not the
 * viewport's).
 */
export function clickScript(bindingName: string): string {
  return `(() => {
  const BINDING = ${JSON.stringify(bindingName)};
  if (globalThis.__eyeballClicksInstalled || window.top !== window) return;
  globalThis.__eyeballClicksInstalled = true;
  const MAX_DEPTH = 5;
  const esc = (s) => CSS.escape(s);
  const isUnique = (selector) => {
    try { return document.querySelectorAll(selector).length === 1; } catch { return false; }
  };
  const anchorOf = (el) => {
    if (el.id && isUnique("#" + esc(el.id))) return "#" + esc(el.id);
    const testId = el.getAttribute("data-testid");
    if (testId) {
      const selector = '[data-testid="' + esc(testId) + '"]';
      if (isUnique(selector)) return selector;
    }
    return null;
  };
  const step = (el) => {
    const tag = el.localName;
    const parent = el.parentElement;
    if (!parent) return tag;
    const same = Array.prototype.filter.call(parent.children, (c) => c.localName === tag);
    return same.length > 1 ? tag + ":nth-of-type(" + (same.indexOf(el) + 1) + ")" : tag;
  };
  const selectorFor = (target) => {
    if (!(target instanceof Element)) return undefined;
    const own = anchorOf(target);
    if (own) return own;
    const parts = [];
    let el = target;
    while (el && parts.length < MAX_DEPTH) {
      parts.unshift(step(el));
      const selector = parts.join(" > ");
      if (el.localName === "html" || isUnique(selector)) return selector;
      el = el.parentElement;
      const anchor = el && anchorOf(el);
      if (anchor) return anchor + " > " + selector;
    }
    return parts.join(" > ");
  };
  window.addEventListener("click", (event) => {
    // Only the tester's clicks: a page calling element.click() is not an interaction.
    if (!event.isTrusted) return;
    const report = globalThis[BINDING];
    if (typeof report !== "function") return;
    let element;
    try { element = selectorFor(event.target); } catch { element = undefined; }
    report(JSON.stringify({ x: event.clientX, y: event.clientY, t: Date.now(), element }));
  }, { capture: true, passive: true });
})();`;
}
