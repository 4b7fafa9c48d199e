// Page object of the console: navigation, the Processes panel and the Console panel, selected by role and label.
import type { Locator, Page } from 'playwright-core';

export class ConsoleApp {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('navigation', { name: 'Panels' }).waitFor();
  }

  async show(panel: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: panel, exact: true }).click();
    await this.page.getByRole('main', { name: panel }).waitFor();
  }

  processRow(name: string): Locator {
    return this.page.locator(`tr[data-process="${name}"]`);
  }

  async processStatus(name: string): Promise<string> {
    return (await this.processRow(name).locator('.status').textContent()) ?? '';
  }

  get commandInput(): Locator {
    return this.page.getByRole('textbox', { name: 'Command' });
  }

  get output(): Locator {
    return this.page.getByRole('log', { name: 'Command output' });
  }

  /** Types a command, presses Enter and waits for its reply to appear. */
  async run(command: string): Promise<Locator> {
    const before = await this.output.locator('.entry').count();
    await this.commandInput.fill(command);
    await this.commandInput.press('Enter');
    const entry = this.output.locator('.entry').nth(before);
    await this.output.locator('.entry[data-state="done"]').nth(before).waitFor();
    return entry;
  }

  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
  }
}
