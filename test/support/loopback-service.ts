/** Shared by the tests' loopback services (nginx, HAProxy): wait until one answers, or say why not. */
import type { ChildProcess } from 'node:child_process';

/**
 * Waits until `url`/healthz answers 200 (through the service to a Parley behind it). Throws
 * with `why()` (the service's own output) when it exits first or does not answer in 10 s.
 */
export async function untilHealthy(name: string, child: ChildProcess, url: string, why: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}): ${why()}`);
    const ok = await fetch(`${url}/healthz`).then((res) => res.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${name} did not answer on ${url}: ${why()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
