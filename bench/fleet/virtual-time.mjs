// @ts-check
/**
 * One virtual-time event queue shared by every simulated process: the Clock
 * and Scheduler injected into each real ManagedCredentialsProvider. Time moves
 * only when `runUntil` takes the next timer; after each instant, every promise
 * chain the timers started is drained (setImmediate) before time moves on.
 */
/** @typedef {{ at: number, seq: number, callback: () => void, cancelled: boolean }} Timer */

export class VirtualTime {
  /** @type {Timer[]} */
  #heap = [];
  #seq = 0;
  #mono = 0;
  #wallStart;

  /** @param {number} wallStart epoch ms at virtual time 0 */
  constructor(wallStart) {
    this.#wallStart = wallStart;
  }

  now() {
    return this.#wallStart + this.#mono;
  }

  monotonic() {
    return this.#mono;
  }

  /**
   * @param {() => void} callback
   * @param {number} delayMs
   */
  setTimeout(callback, delayMs) {
    const timer = { at: this.#mono + Math.max(0, delayMs), seq: ++this.#seq, callback, cancelled: false };
    this.#push(timer);
    return timer;
  }

  /** @param {unknown} handle */
  clearTimeout(handle) {
    if (handle && typeof handle === 'object') /** @type {{ cancelled: boolean }} */ (handle).cancelled = true;
  }

  /**
   * Runs every timer due up to `endMono`, in order, draining promise chains after each instant.
   * @param {number} endMono
   */
  async runUntil(endMono) {
    for (;;) {
      const next = this.#heap[0];
      if (!next || next.at > endMono) break;
      this.#mono = next.at;
      while (this.#heap[0] && this.#heap[0].at === this.#mono) {
        const timer = this.#pop();
        if (!timer.cancelled) timer.callback();
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.#mono = endMono;
  }

  /** @param {Timer} timer */
  #push(timer) {
    const heap = this.#heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(this.#at(i), this.#at(parent))) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** @returns {Timer} */
  #pop() {
    const heap = this.#heap;
    const top = this.#at(0);
    const last = this.#at(heap.length - 1);
    heap.pop();
    if (heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(this.#at(left), this.#at(smallest))) smallest = left;
      if (right < heap.length && before(this.#at(right), this.#at(smallest))) smallest = right;
      if (smallest === i) break;
      this.#swap(i, smallest);
      i = smallest;
    }
    return top;
  }

  /** @param {number} i */
  #at(i) {
    return /** @type {Timer} */ (this.#heap[i]);
  }

  /**
   * @param {number} i
   * @param {number} j
   */
  #swap(i, j) {
    const heap = this.#heap;
    const item = this.#at(i);
    heap[i] = this.#at(j);
    heap[j] = item;
  }
}

/**
 * @param {{ at: number, seq: number }} a
 * @param {{ at: number, seq: number }} b
 */
function before(a, b) {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/**
 * A small seeded PRNG (mulberry32): each process gets its own stream, runs are repeatable.
 * @param {number} seed
 */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
