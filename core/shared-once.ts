import { MessageChannel, type MessagePort } from 'node:worker_threads';

/**
 * Values built once per process and shared by every worker thread: a model of several GB decoded into
 * SharedArrayBuffers is built by the first thread that asks, and the others receive a structured clone, whose
 * SharedArrayBuffers are the same memory. Parts that are not shared memory (small tables) are copied per thread.
 *
 * The main thread keeps the values and says who builds; each worker thread talks to it through its own port.
 * A thread without a port (the main thread, a lone process) builds for itself.
 */

type Request = { type: 'get'; key: string } | { type: 'built'; key: string; value: unknown } | { type: 'failed'; key: string };
type Reply = { type: 'value'; key: string; value: unknown } | { type: 'build'; key: string };

/** The main thread's side: one port per worker thread; a value lives as long as the server, i.e. the pool. */
export class SharedOnceServer {
  private readonly values = new Map<string, unknown>();
  /** Keys being built, with the threads waiting for them. */
  private readonly waiting = new Map<string, MessagePort[]>();
  private ports: MessagePort[] = [];

  /**
   * A port to hand to one worker thread (transfer it); `joinSharedOnce` takes it there. `group` collects this
   * side's ports of one set of threads, for dropPorts to close when those threads are gone.
   */
  port(group?: MessagePort[]): MessagePort {
    const { port1, port2 } = new MessageChannel();
    port1.on('message', (m: Request) => this.answer(port1, m));
    // Waiting for messages must not keep a finished run's process alive.
    port1.unref();
    this.ports.push(port1);
    group?.push(port1);
    return port2;
  }

  private answer(from: MessagePort, m: Request): void {
    const send = (to: MessagePort, reply: Reply) => to.postMessage(reply);
    if (m.type === 'get') {
      if (this.values.has(m.key)) send(from, { type: 'value', key: m.key, value: this.values.get(m.key) });
      else if (this.waiting.has(m.key)) this.waiting.get(m.key)!.push(from);
      else {
        this.waiting.set(m.key, []);
        send(from, { type: 'build', key: m.key });
      }
    } else if (m.type === 'built') {
      this.values.set(m.key, m.value);
      for (const port of this.waiting.get(m.key) ?? []) send(port, { type: 'value', key: m.key, value: m.value });
      this.waiting.delete(m.key);
    } else {
      // The builder failed (its own task reports why): the next thread waiting tries for itself.
      const next = this.waiting.get(m.key)?.shift();
      if (next) send(next, { type: 'build', key: m.key });
      else this.waiting.delete(m.key);
    }
  }

  /** Closes the ports of threads that are gone (`group`, else all); the values stay for the threads that come next. */
  dropPorts(group?: MessagePort[]): void {
    const gone = new Set(group ?? this.ports);
    for (const port of gone) port.close();
    this.ports = this.ports.filter((p) => !gone.has(p));
    if (!group) this.waiting.clear();
    for (const [key, ports] of this.waiting) {
      const left = ports.filter((p) => !gone.has(p));
      if (left.length === ports.length) continue;
      if (left.length > 0) this.waiting.set(key, left);
      else this.waiting.delete(key);
    }
  }
}

let channel: MessagePort | undefined;
const pending = new Map<string, (reply: Reply) => void>();
/** The port keeps the thread alive only while an answer is awaited. */
function awaiting(port: MessagePort, key: string, resolve: (reply: Reply) => void): void {
  if (pending.size === 0) port.ref();
  pending.set(key, resolve);
}
function answered(port: MessagePort, key: string): void {
  pending.delete(key);
  if (pending.size === 0) port.unref();
}
const local = new Map<string, Promise<unknown>>();

/** Called once in a worker thread with the port its pool made for it. */
export function joinSharedOnce(port: MessagePort): void {
  channel = port;
  port.on('message', (reply: Reply) => pending.get(reply.key)?.(reply));
  port.unref();
}

/**
 * The value under `key`, built by `build` once per process (once per thread when this thread has no port).
 * `key` must name the value's content (a file's path and hash), and `build` must return a structured-clonable
 * value whose large parts are typed arrays over SharedArrayBuffers.
 */
export function sharedOnce<T>(key: string, build: () => T | Promise<T>): Promise<T> {
  let value = local.get(key) as Promise<T> | undefined;
  if (!value) {
    value = channel ? viaServer(channel, key, build) : Promise.resolve().then(build);
    local.set(key, value);
    value.catch(() => local.delete(key));
  }
  return value;
}

async function viaServer<T>(port: MessagePort, key: string, build: () => T | Promise<T>): Promise<T> {
  const reply = await new Promise<Reply>((resolve) => {
    awaiting(port, key, resolve);
    port.postMessage({ type: 'get', key } satisfies Request);
  }).finally(() => answered(port, key));
  if (reply.type === 'value') return reply.value as T;
  let value: T;
  try {
    value = await build();
  } catch (err) {
    port.postMessage({ type: 'failed', key } satisfies Request);
    throw err;
  }
  port.postMessage({ type: 'built', key, value } satisfies Request);
  return value;
}
