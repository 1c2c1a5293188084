import type { Algorithm, Options } from '@node-rs/argon2';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import PQueue from 'p-queue';
import { Errno } from '../common/errno.js';
import { ErrnoError } from '../common/errno.error.js';

/** `Algorithm.Argon2id`: the package declares it as a const enum, which has no value at run time. */
const ARGON2ID = 2 as Algorithm;

/** argon2id at the OWASP baseline (19 MiB, 2 passes). */
const OPTIONS: Options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** One hashing thread per core: they run at the lowest CPU priority, so they take only what requests leave. */
const THREADS = availableParallelism();

/**
 * At most 32 hashes per thread may wait (about 1 s at ~30 ms a hash): past that, a login or a
 * registration answers 1005 at once instead of queueing behind a flood for seconds.
 */
export const HASH_QUEUE_LIMIT = 32 * THREADS;

export type Job = { op: 'hash'; password: string; options: Options } | { op: 'verify'; hashed: string; password: string };
export type Answer = { value: string | boolean } | { error: string };

/**
 * A hashing thread: argon2 synchronously, at nice 19 (on Linux a thread's own). The event loop
 * keeps its priority, so a login storm takes the cores that requests leave idle.
 */
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
try { require('node:os').setPriority(19); } catch {}
const argon2 = require(workerData.argon2);
parentPort.on('message', (job) => {
  try {
    const value = job.op === 'hash' ? argon2.hashSync(job.password, job.options) : argon2.verifySync(job.hashed, job.password);
    parentPort.postMessage({ value });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});`;

/**
 * Jobs handed to a thread at once: the next waits in its inbox, so the thread starts it without a
 * round trip through the event loop.
 */
const JOBS_PER_THREAD = 2;

interface Thread {
  worker: Worker;
  /** The jobs handed to it, oldest first: a thread answers in order. */
  pending: { resolve: (answer: Answer) => void; reject: (error: Error) => void }[];
}

/**
 * `size` threads running `code`, started as jobs come and kept (unref'd: they never hold the
 * process open). Each thread holds up to JOBS_PER_THREAD jobs, so it never idles between two
 * while the event loop is busy with requests. A job resolves with the thread's answer (argon2's,
 * or its refusal of a stored value that is no hash); it rejects only when its thread dies, which
 * is replaced at the next job.
 */
export class HashThreads {
  private readonly threads: Thread[] = [];
  private readonly queue: PQueue;
  private readonly argon2 = createRequire(import.meta.url).resolve('@node-rs/argon2');

  constructor(
    private readonly code = WORKER_CODE,
    private readonly size = THREADS,
  ) {
    this.queue = new PQueue({ concurrency: size * JOBS_PER_THREAD });
  }

  get waiting(): number {
    return this.queue.size;
  }

  run(job: Job): Promise<Answer> {
    // `throwOnTimeout` only types the result; no timeout is set.
    return this.queue.add(() => this.onThread(job), { throwOnTimeout: true });
  }

  private onThread(job: Job): Promise<Answer> {
    const thread = this.pick();
    return new Promise((resolve, reject) => {
      thread.pending.push({ resolve, reject });
      thread.worker.postMessage(job);
    });
  }

  /** An idle thread, else a new one while there are fewer than `size`, else the least busy. */
  private pick(): Thread {
    const least = this.threads.reduce<Thread | undefined>(
      (best, thread) => (best && best.pending.length <= thread.pending.length ? best : thread),
      undefined,
    );
    return least && (least.pending.length === 0 || this.threads.length >= this.size) ? least : this.start();
  }

  private start(): Thread {
    const thread: Thread = { worker: new Worker(this.code, { eval: true, workerData: { argon2: this.argon2 } }), pending: [] };
    const fail = (error: Error) => {
      const at = this.threads.indexOf(thread);
      if (at !== -1) this.threads.splice(at, 1);
      for (const job of thread.pending.splice(0)) job.reject(error);
    };
    thread.worker.unref();
    // An error (an exit follows it) or an exit fails the jobs it held; a thread that ends while
    // idle leaves the pool, never handed a job that no one would answer.
    thread.worker
      .on('message', (answer: Answer) => thread.pending.shift()?.resolve(answer))
      .on('error', fail)
      .on('exit', (code: number) => fail(new Error(`hashing thread exited (${code})`)));
    this.threads.push(thread);
    return thread;
  }
}

const threads = new HashThreads();

/** Queues `job` on the hashing threads, or refuses (1005) when the queue is full. */
function queued(job: Job): Promise<Answer> {
  if (threads.waiting >= HASH_QUEUE_LIMIT) return Promise.reject(new ErrnoError(Errno.TooFrequent));
  return threads.run(job);
}

export async function hashPassword(password: string): Promise<string> {
  const answer = await queued({ op: 'hash', password, options: OPTIONS });
  if ('error' in answer) throw new Error(`argon2: ${answer.error}`);
  return answer.value as string;
}

/**
 * True when `password` matches, false also for a stored value that is no hash; 1005 when the
 * hashing queue is full. A hashing thread that dies is an error, never a wrong password.
 */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  const answer = await queued({ op: 'verify', hashed: passwordHash, password });
  return 'value' in answer && answer.value === true;
}

/** Compared against when an account does not exist, so that both answers take the same time. */
let dummyHash: Promise<string> | undefined;
export async function verifyDummy(password: string): Promise<void> {
  // A refused first hash (queue full) is not remembered: the next call tries again.
  dummyHash ??= hashPassword('personal-space-dummy-password-1').catch((error: unknown) => {
    dummyHash = undefined;
    throw error;
  });
  await verifyPassword(await dummyHash, password);
}
