import { register } from 'node:module';
import { threadId } from 'node:worker_threads';

// `node --import` this (NODE_OPTIONS reaches worker threads too) to log the modules each thread loads.
register(new URL('./module-log-hooks.js', import.meta.url), { data: { thread: threadId } });
