// Playwright helpers for the VS Code workbench (1.139) as served by code-server: what a user clicks
// and types. Selectors are the workbench's own DOM classes and ARIA roles; each helper waits and
// throws an error that says what it was looking for.
export const WAIT = 30_000;

/** Waits for the workbench to be usable (activity bar and status bar rendered). */
export async function waitForWorkbench(page, timeout = 60_000) {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  await page.locator('#workbench\\.parts\\.statusbar').waitFor({ timeout });
  await page.locator('.part.activitybar').waitFor({ timeout });
}

/** Clicks the activity-bar entry whose aria-label/title starts with `name`. */
export async function openActivity(page, name, timeout = WAIT) {
  const item = page.locator(`.part.activitybar [aria-label^="${name}"], .part.activitybar [title^="${name}"]`).first();
  try {
    await item.waitFor({ timeout });
  } catch {
    const labels = await page.locator('.part.activitybar [aria-label]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    throw new Error(`no activity-bar item "${name}" within ${timeout / 1000} s; found: ${JSON.stringify(labels)}`);
  }
  // Clicking an already-selected container would close the sidebar.
  const expanded = await item.evaluate((el) => (el.closest('.action-item')?.classList.contains('checked') ?? false)
    || el.getAttribute('aria-selected') === 'true' || el.getAttribute('aria-checked') === 'true');
  if (!expanded) await item.click();
  await page.locator('.part.sidebar').waitFor({ timeout });
}

const quickInput = (page) => page.locator('.quick-input-widget');

/** F1, type the command title, run the matching row. */
export async function runCommand(page, title, timeout = WAIT) {
  await page.keyboard.press('Escape'); // close any open quick input or menu first
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('.quick-input-box input');
  await input.waitFor({ timeout });
  await input.fill(`>${title}`);
  const row = quickInput(page).locator('.monaco-list-row', { hasText: title }).first();
  try {
    await row.waitFor({ timeout });
  } catch {
    throw new Error(`command "${title}" not in the command palette within ${timeout / 1000} s; rows: ${JSON.stringify(await visibleRows(page))}`);
  }
  await row.click();
}

/**
 * Answers the open input box (vscode.window.showInputBox). With `password`, waits for the masked box,
 * which also guarantees the previous prompt is gone. `prompt` (a regex/string) waits for that prompt text.
 */
export async function answerInput(page, text, { password = false, prompt, timeout = WAIT } = {}) {
  const widget = quickInput(page);
  await widget.waitFor({ state: 'visible', timeout });
  if (prompt) {
    await widget.locator('.quick-input-message, .quick-input-title, .quick-input-description', { hasText: prompt })
      .first().waitFor({ timeout }).catch(() => { throw new Error(`input box with prompt ${prompt} did not appear`); });
  }
  const input = widget.locator(password ? '.quick-input-box input[type="password"]' : '.quick-input-box input').first();
  try {
    await input.waitFor({ state: 'visible', timeout });
  } catch {
    throw new Error(`no ${password ? 'password ' : ''}input box within ${timeout / 1000} s`);
  }
  await input.fill(text);
  await input.press('Enter');
}

/** Picks the quick-pick row whose label is exactly `label` (types it to filter first). Returns the row's text. */
export async function pickItem(page, label, { timeout = WAIT, filter = true } = {}) {
  const widget = quickInput(page);
  const row = widget.locator('.monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegex(label)}\\s*$`) }) }).first();
  try {
    await widget.locator('.monaco-list-row').first().waitFor({ timeout });
    if (filter) await widget.locator('.quick-input-box input').first().fill(label);
    await row.waitFor({ timeout });
  } catch {
    throw new Error(`no quick-pick item "${label}" within ${timeout / 1000} s; rows: ${JSON.stringify(await visibleRows(page))}`);
  }
  const text = (await row.innerText()).replace(/\s+/g, ' ').trim();
  await row.click();
  return text;
}

export async function visibleRows(page) {
  return page.locator('.quick-input-widget .monaco-list-row').evaluateAll((els) => els.map((e) => e.innerText.replace(/\s+/g, ' ').trim()))
    .catch(() => []);
}

/** The sidebar pane (view) titled `name`, expanded. */
export async function openView(page, name, timeout = WAIT) {
  const header = page.locator('.part.sidebar .pane-header').filter({ has: page.locator('h3.title', { hasText: new RegExp(`^\\s*${escapeRegex(name)}\\s*$`, 'i') }) }).first();
  try {
    await header.waitFor({ timeout });
  } catch {
    const titles = await page.locator('.part.sidebar .pane-header h3.title').allInnerTexts();
    throw new Error(`no view "${name}" in the sidebar within ${timeout / 1000} s; views: ${JSON.stringify(titles)}`);
  }
  if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  return header.locator('xpath=..'); // the .pane that holds header and body
}

/** Labels of the tree rows in a view (custom tree views render .monaco-list-row with .label-name). */
export async function treeLabels(pane) {
  return pane.locator('.pane-body .monaco-list-row .label-name').allInnerTexts().then((xs) => xs.map((x) => x.trim()));
}

/** Polls `fn` until it returns a truthy value; throws `message()` (with the last value) on timeout. */
export async function waitUntil(fn, message, { timeout = WAIT, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try { last = await fn(); if (last) return last; } catch (err) { last = err.message; }
    if (Date.now() > deadline) throw new Error(`${message(last)} (waited ${timeout / 1000} s)`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Status-bar items as { id, ariaLabel, text } for matching and logging. */
export async function statusBarItems(page) {
  return page.locator('#workbench\\.parts\\.statusbar .statusbar-item').evaluateAll((els) => els.map((e) => ({
    id: e.id, ariaLabel: e.getAttribute('aria-label') || e.querySelector('[aria-label]')?.getAttribute('aria-label') || '',
    text: e.innerText.trim(),
  })));
}

/** Hovers a locator and returns the hover/tooltip text the workbench shows ('' if none). */
export async function hoverText(page, locator) {
  await page.mouse.move(0, 0);
  await locator.hover();
  const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible, .monaco-hover-content:visible').first();
  let text = '';
  try { await hover.waitFor({ timeout: 3000 }); text = (await hover.innerText()).trim(); } catch { /* no tooltip */ }
  // A sticky hover would intercept later clicks in the sidebar: move away and dismiss it.
  await page.mouse.move(700, 300);
  await page.keyboard.press('Escape');
  await hover.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => {});
  return text;
}

/** The modal dialog's button labelled exactly `label`. */
export async function clickDialogButton(page, label, timeout = WAIT) {
  const dialog = page.locator('.monaco-dialog-box');
  try {
    await dialog.waitFor({ timeout });
  } catch {
    throw new Error(`no modal dialog within ${timeout / 1000} s`);
  }
  const message = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
  const button = dialog.getByRole('button', { name: label, exact: true });
  if (!(await button.count())) throw new Error(`dialog "${message}" has no button "${label}"`);
  await button.click();
  await dialog.waitFor({ state: 'hidden', timeout });
  return message;
}

function escapeRegex(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }
