// @ts-check
/**
 * A short, readable timeline for the demo: notable moments one per line, runs
 * of plain successful calls folded into one line.
 */

/**
 * @typedef {{ at: number, source: string, text: string }} Moment
 * @typedef {{ at: number, ok: { service: string, number: number, keyId: string } }} OkCall
 */

export class Timeline {
  /** @type {(Moment | OkCall)[]} */
  #entries = [];
  #start = Date.now();

  /**
   * A notable moment, now.
   * @param {string} source
   * @param {string} text
   */
  add(source, text) {
    this.#entries.push({ at: Date.now(), source, text });
  }

  /**
   * A call that succeeded at the first attempt.
   * @param {string} service
   * @param {number} number
   * @param {string} keyId masked key id the call used
   */
  ok(service, number, keyId) {
    this.#entries.push({ at: Date.now(), ok: { service, number, keyId } });
  }

  /** @param {Moment[]} moments recorded elsewhere, with their own times */
  merge(moments) {
    this.#entries.push(...moments);
  }

  /** @returns {string[]} the lines, in time order */
  lines() {
    const sorted = [...this.#entries].sort((a, b) => a.at - b.at);
    /** @type {string[]} */
    const lines = [];
    /** @type {{ at: number, first: number, last: number, count: Record<string, number>, keyId: string } | undefined} */
    let run;
    const flush = () => {
      if (!run) return;
      const services = Object.entries(run.count)
        .map(([service, count]) => `${service} ${count}`)
        .join(', ');
      const range = run.first === run.last ? `#${run.first}` : `#${run.first}–#${run.last}`;
      lines.push(this.#line(run.at, 'calls', `${range} ok (${services}) with key ${run.keyId}`));
      run = undefined;
    };
    for (const entry of sorted) {
      if ('ok' in entry) {
        const { service, number, keyId } = entry.ok;
        if (run && run.keyId !== keyId) flush();
        run ??= { at: entry.at, first: number, last: number, count: {}, keyId };
        run.first = Math.min(run.first, number);
        run.last = Math.max(run.last, number);
        run.count[service] = (run.count[service] ?? 0) + 1;
      } else {
        flush();
        lines.push(this.#line(entry.at, entry.source, entry.text));
      }
    }
    flush();
    return lines;
  }

  print() {
    for (const line of this.lines()) console.log(line);
  }

  /**
   * @param {number} at
   * @param {string} source
   * @param {string} text
   */
  #line(at, source, text) {
    const seconds = ((at - this.#start) / 1000).toFixed(2).padStart(6);
    return `${seconds}  ${source.padEnd(6)} ${text}`;
  }
}
