// Made-up URLs on example domains.

import type { Rng } from './random.js';

const WEB_HOSTS = [
  'example.com',
  'www.example.org',
  'blog.example.net',
  'news.example.com',
  'forum.example.org',
  'reviews.example.net',
  'wiki.example.org',
  'talk.example.com',
];
export const MIRROR_HOSTS = ['mirror.example.net', 'archive.example.org', 'cache.example.com', 'copy.example.net'];

/** Made-up page URLs, each unique: one per corpus build, so a second build gives the same URLs. */
export class Urls {
  private count = 0;

  make(rng: Rng, text: string, hosts: readonly string[] = WEB_HOSTS): string {
    this.count++;
    const slug =
      (text.toLowerCase().match(/[a-z0-9]+/g) ?? [])
        .slice(0, 5)
        .join('-')
        .slice(0, 60) || 'page';
    return `https://${rng.pick(hosts)}/${rng.int(2001, 2023)}/${slug}-${this.count.toString(36)}`;
  }
}
