/**
 * What a viewer would see cut: every visible text run checked against the viewport and against
 * each ancestor that hides overflow (an ellipsis included). A run's box is its whole text box
 * (the font's content area, taller than the glyphs), the strictest reading: the KPI tiles use a
 * face whose line metrics fit their tight line-height (styles.css, 'Noto Sans SC Tight').
 */
import type { Page } from 'playwright-core';

export interface TextProblem {
  text: string;
  problem: string;
}

/** Runs in the page: no imports, no closures over Node values. */
function findTextProblems(): TextProblem[] {
  const out: TextProblem[] = [];
  const hides = (cs: CSSStyleDeclaration): { x: boolean; y: boolean } => ({
    x: cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis',
    y: cs.overflowY !== 'visible',
  });
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = (n.textContent ?? '').trim();
    const el = n.parentElement;
    if (!text || !el) continue;
    if (el.closest('option, script, style, title')) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    // One rect per line of the run: a wrapped run is judged line by line.
    for (const r of Array.from(range.getClientRects())) {
      if (r.width < 0.5) continue;
      const box = { left: r.left, right: r.right, top: r.top, bottom: r.bottom };
      const tol = 0.5;
      if (
        box.left < -tol ||
        box.top < -tol ||
        box.right > innerWidth + tol ||
        box.bottom > innerHeight + tol
      ) {
        out.push({ text, problem: `outside the ${innerWidth}×${innerHeight} viewport` });
        break;
      }
      let cut: string | null = null;
      for (let a: Element | null = el; a && a !== document.documentElement; a = a.parentElement) {
        const h = hides(getComputedStyle(a));
        if (!h.x && !h.y) continue;
        const c = a.getBoundingClientRect();
        const xCut = h.x && (box.left < c.left - tol || box.right > c.right + tol);
        const yCut = h.y && (box.top < c.top - tol || box.bottom > c.bottom + tol);
        if (xCut || yCut) {
          cut = `cut by <${a.tagName.toLowerCase()} class="${a.getAttribute('class') ?? ''}">`;
          break;
        }
      }
      if (cut) {
        out.push({ text, problem: cut });
        break;
      }
    }
  }
  const doc = document.documentElement;
  if (doc.scrollHeight > innerHeight + 1 || doc.scrollWidth > innerWidth + 1) {
    out.push({ text: '', problem: `the page scrolls (${doc.scrollWidth}×${doc.scrollHeight})` });
  }
  return out;
}

/** Every visible text run that leaves the viewport or is cut by its box, and a page scroll. */
export function textProblems(page: Page): Promise<TextProblem[]> {
  return page.evaluate(findTextProblems);
}
