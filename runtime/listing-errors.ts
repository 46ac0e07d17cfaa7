import { readdir, realpath } from 'node:fs';
import type { FileSystemAdapter } from 'tinyglobby';

/** A path the directory walk could not follow: a directory it may not list, or a link to nothing. */
export interface ListingError {
  path: string;
  kind: 'unreadable_directory' | 'dangling_symlink';
  code: string;
}

/**
 * File system calls for the glob walker that note what they fail on. The walker itself passes over a directory
 * it cannot list and a symbolic link it cannot resolve without a word: files that silently never get read.
 */
export function listingFs(errors: ListingError[]): FileSystemAdapter {
  return {
    readdir: ((path: string, options: { withFileTypes: true }, callback: (err: NodeJS.ErrnoException | null, entries: unknown[]) => void) =>
      readdir(path, options, (err, entries) => {
        if (err) errors.push({ path: path.replace(/(.)\/+$/, '$1'), kind: 'unreadable_directory', code: err.code ?? err.message });
        callback(err, entries);
      })) as FileSystemAdapter['readdir'],
    realpath: ((path: string, callback: (err: NodeJS.ErrnoException | null, resolved: string) => void) =>
      realpath(path, (err, resolved) => {
        if (err) errors.push({ path, kind: 'dangling_symlink', code: err.code ?? err.message });
        callback(err, resolved);
      })) as FileSystemAdapter['realpath'],
  };
}

export function describeListingError(e: ListingError): string {
  return e.kind === 'unreadable_directory' ? `cannot list directory ${e.path} (${e.code})` : `symbolic link ${e.path} points to nothing readable (${e.code})`;
}
