/**
 * Work the first render will need but need not do itself (making Intl formatters, the
 * sanitiser): each job in a task of its own, queued now, so that it runs before the first
 * page's answer is handled (a timer of 0 comes before a network answer in practice) without
 * adding to that task or to one another: none of them becomes a long task.
 * (requestIdleCallback was tried: on a busy page it fired only after the first render.)
 */
export function apart(job: () => void): void {
  setTimeout(job, 0);
}
