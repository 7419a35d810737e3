import fs from 'node:fs';

/**
 * Every descendant of a process (Linux /proc), children before grandchildren. PostgreSQL's
 * backends make themselves session leaders (setsid), so a process group does not hold them: the
 * tree does.
 */
export function descendantsOf(pid: number): number[] {
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${parent}/task`);
    } catch {
      continue;
    }
    for (const task of tasks) {
      let children: number[] = [];
      try {
        children = fs.readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
      } catch {
        continue;
      }
      for (const child of children) {
        if (!found.includes(child)) {
          found.push(child);
          queue.push(child);
        }
      }
    }
  }
  return found;
}

/**
 * Kills a process and all its descendants with SIGKILL — collected first, so that a child
 * re-parented when its parent dies (or one that is stopped and cannot notice) is not missed.
 */
export function killProcessTree(pid: number): void {
  for (const target of [...descendantsOf(pid).reverse(), pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Waits until the process is gone; false if it still runs after `timeoutMs`. */
export async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Whether the process runs and its command line contains every one of `parts` (Linux /proc). */
export function processMatches(pid: number, parts: string[]): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return parts.every((part) => cmdline.includes(part));
  } catch {
    return false;
  }
}
