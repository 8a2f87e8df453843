/**
 * Collects dataset warnings without repeats: files that share a warning are named together in
 * one sentence, so a thousand CMYK files give one line, not a thousand.
 */

import { countOf, listNames } from './nameList';

/** Warnings in first-seen order; each message appears once, with the files it concerns. */
export class WarningGroups {
  private readonly groups = new Map<string, Set<string>>();

  /** Records `message`, about the file `path` when given; repeats of a path are dropped. */
  add(message: string, path?: string): void {
    const paths = this.groups.get(message) ?? new Set<string>();
    if (path !== undefined) paths.add(path);
    this.groups.set(message, paths);
  }

  /** One sentence per message, e.g. 'CMYK JPEG: ... 2 files: "a.jpg", "b.jpg".'. */
  list(): string[] {
    return Array.from(this.groups, ([message, paths]) => {
      if (paths.size === 0) return message;
      return `${message} ${countOf(paths.size, 'file')}: ${listNames([...paths])}.`;
    });
  }
}
