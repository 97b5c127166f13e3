// What the layout tests measure in the page: overflow of the document, text cut by the viewport
// or by a clipping box, and words broken across lines.
import type { Locator, Page } from 'playwright-core';
import { openAsGuestUntil } from './browser.ts';

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** How far the document scrolls sideways: 0 when nothing sticks out of the viewport. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.scrollingElement!.scrollWidth - window.innerWidth,
  );
}

/**
 * Texts in `root` (the page's main content) that are cut: outside the viewport sideways, or
 * outside a box that clips them (overflow hidden or clip, ellipsis included). Text inside a box
 * meant to scroll sideways (overflow-x auto or scroll) may leave the viewport: it scrolls into it.
 */
export async function cutTexts(page: Page, root = 'main'): Promise<string[]> {
  return page.evaluate(rootSelector => {
    const cut: string[] = [];
    const scope = document.querySelector(rootSelector);
    if (!scope) return [`no ${rootSelector}`];
    const describe = (el: Element) =>
      `"${(el.textContent ?? '')
        .trim()
        .slice(0, 60)}" (${el.tagName.toLowerCase()}${
        el.className && typeof el.className === 'string'
          ? `.${el.className.split(' ')[0]}`
          : ''
      })`;
    for (const el of Array.from(scope.querySelectorAll('*'))) {
      const ownText = Array.from(el.childNodes).some(
        node =>
          node.nodeType === Node.TEXT_NODE && node.textContent!.trim() !== '',
      );
      if (!ownText) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      const rect = el.getBoundingClientRect();
      // Visually hidden text for screen readers (1px boxes) is meant to be unseen.
      if (rect.width <= 1 || rect.height <= 1) continue;
      if (
        (style.overflowX === 'hidden' || style.overflowX === 'clip') &&
        el.scrollWidth > el.clientWidth + 1
      ) {
        cut.push(`${describe(el)} is cut by its own box`);
        continue;
      }
      let scrolls = false;
      for (
        let parent = el.parentElement;
        parent && parent !== document.body;
        parent = parent.parentElement
      ) {
        const parentStyle = getComputedStyle(parent);
        if (['auto', 'scroll'].includes(parentStyle.overflowX)) {
          scrolls = true;
          break;
        }
        if (['hidden', 'clip'].includes(parentStyle.overflowX)) {
          const box = parent.getBoundingClientRect();
          if (rect.left < box.left - 1 || rect.right > box.right + 1) {
            cut.push(
              `${describe(el)} sticks out of ${describe(parent)} (${Math.round(
                rect.left,
              )}..${Math.round(rect.right)} in ${Math.round(
                box.left,
              )}..${Math.round(box.right)})`,
            );
            break;
          }
        }
      }
      if (!scrolls && (rect.left < -1 || rect.right > window.innerWidth + 1)) {
        cut.push(
          `${describe(el)} is outside the viewport (${Math.round(
            rect.left,
          )}..${Math.round(rect.right)})`,
        );
      }
    }
    // A select draws its chosen option itself: measured against the room its box leaves it.
    const context = document.createElement('canvas').getContext('2d')!;
    for (const select of Array.from(scope.querySelectorAll('select'))) {
      const chosen = select.selectedOptions[0]?.text ?? '';
      const style = getComputedStyle(select);
      context.font = style.font;
      const room =
        select.clientWidth -
        parseFloat(style.paddingLeft) -
        parseFloat(style.paddingRight);
      if (context.measureText(chosen).width > room + 1)
        cut.push(`the choice "${chosen}" of a select is cut by its box`);
    }
    return [...new Set(cut)];
  }, root);
}

/** The words of the located elements' text that are split across two lines. */
export async function brokenWords(locator: Locator): Promise<string[]> {
  return locator.evaluateAll(elements => {
    const broken: string[] = [];
    for (const el of elements) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        // Split where the browser may break a line by itself: spaces, hyphens and dashes.
        for (const match of text.matchAll(/[^\s\-–—]+/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          // One line: every fragment of the word shares its top.
          const tops = new Set(
            Array.from(range.getClientRects())
              .filter(r => r.width > 0)
              .map(r => Math.round(r.top)),
          );
          if (tops.size > 1) broken.push(match[0]);
        }
      }
    }
    return broken;
  });
}

/**
 * Opens a path of the app, entering as guest when the sign-in page shows. As openAsGuest, but
 * also on a phone, where Backstage's sidebar is a bar of buttons at the bottom.
 */
export async function openAsGuestAtAnySize(
  page: Page,
  path: string,
): Promise<void> {
  await openAsGuestUntil(
    page,
    path,
    page
      .getByRole('navigation', { name: 'sidebar nav' })
      .or(page.getByTestId('mobile-sidebar-root')),
  );
}

/** The located elements that are not wholly inside the viewport sideways, by their text. */
export async function outOfView(locator: Locator): Promise<string[]> {
  return locator.evaluateAll(elements =>
    elements
      .filter(el => {
        const rect = el.getBoundingClientRect();
        return rect.left < -1 || rect.right > window.innerWidth + 1;
      })
      .map(
        el =>
          el.getAttribute('aria-label') ??
          (el.textContent ?? '').trim().slice(0, 60),
      ),
  );
}
