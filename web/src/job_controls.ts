// What a page shows while a server job it started runs: a progress bar, a
// Cancel button and a status line read out to screen readers. Leaving the
// page cancels the job, since nobody is waiting for it any more.
import { api, followJob, Job } from "./api";
import { h, onLeave } from "./dom";

export class JobControls<Result> {
  readonly progress: HTMLProgressElement;
  readonly cancel = h("button", { type: "button", hidden: "" }, "Cancel");
  readonly status: HTMLParagraphElement;
  private running: Job<Result> | undefined;
  private left = false;

  constructor(label: string, statusId: string) {
    this.progress = h("progress", { max: "1", value: "0", hidden: "", "aria-label": label });
    this.status = h("p", { id: statusId, "aria-live": "polite" });
    this.cancel.addEventListener("click", () => this.stop());
    onLeave(() => {
      this.left = true;
      this.stop();
    });
  }

  // Starts the job and follows it to its result; rejects when it failed or was
  // cancelled, or once the reader has left the page.
  async run(start: () => Promise<Job<Result>>): Promise<Result> {
    this.cancel.hidden = this.progress.hidden = false;
    try {
      this.running = await start();
      this.stopIfLeft();
      const result = await followJob(this.running, (job) => {
        this.progress.value = job.progress;
        this.status.textContent = `${job.step}…`;
      });
      this.stopIfLeft();  // the page that would show it is gone
      return result;
    } finally {
      this.running = undefined;
      this.cancel.hidden = this.progress.hidden = true;
    }
  }

  // On each submission of `form`: runs the job `start` starts (with `button`
  // disabled meanwhile) and hands its result to `show`; a failure is said in
  // the status line, after `failed`.
  runOnSubmit(form: HTMLFormElement, button: HTMLButtonElement, start: () => Promise<Job<Result>>, show: (result: Result) => void, failed: string): void {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      button.disabled = true;
      try {
        show(await this.run(start));
      } catch (error) {
        this.status.textContent = `${failed}: ${(error as Error).message}`;
      } finally {
        button.disabled = false;
      }
    });
  }

  private stopIfLeft(): void {
    if (!this.left) return;
    this.stop();
    throw new Error("the page was left");
  }

  private stop(): void {
    if (this.running) void api(`/jobs/${this.running.id}`, "DELETE").catch(() => undefined);
  }
}
